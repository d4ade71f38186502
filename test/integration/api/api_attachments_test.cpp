// Attachments through the API (api_fixture.hpp): upload, type sniffing, download, history, and
// the per-file size limit.
#include "api_fixture.hpp"

namespace soporte::test {
namespace {

using namespace api;  // NOLINT(google-build-using-namespace): the shared fixture

TEST_F(ApiTest, AttachmentsUploadSniffDownloadAndHistory) {
  Auth alice = Login(c(), "alice@acme.example", kPassword);
  const std::int64_t n =
      Int(Create(alice,
                 {{"type", "incident"}, {"criticality", "important"}, {"subject", "Pantallazo"}}),
          "number");

  // A PNG sent as "x.txt" with text/plain comes back as image/png (sniffed from the bytes).
  auto [png_type, png_body] = BuildMultipart({{"file", "x.txt", "text/plain", TinyPng()}});
  HttpResponse up = c().Send("POST", T(n, "/attachments"), alice, png_body, png_type);
  json::array png_list = Expect(up, 201, "upload png").at("attachments").as_array();
  ASSERT_EQ(png_list.size(), 1u);
  const json::value png = png_list[0];
  EXPECT_EQ(Str(png, "filename"), "x.txt");
  EXPECT_EQ(Str(png, "content_type"), "image/png");
  EXPECT_EQ(Int(png, "size"), static_cast<std::int64_t>(TinyPng().size()));
  EXPECT_EQ(Str(png, "sha256"), Sha256Hex(TinyPng()));
  EXPECT_EQ(Str(png, "url"), "/api/v1/attachments/" + std::to_string(Int(png, "id")));
  EXPECT_TRUE(Str(png, "created_at").ends_with("-05:00"));

  // 5 MB of random bytes (agent, Bearer), with a plain form field beside the file.
  const std::string big = RandomBytes(5 * 1024 * 1024, 42);
  auto [big_type, big_body] = BuildMultipart(
      {{"comment", "", "", "volcado"}, {"file", "dump.bin", "application/octet-stream", big}});
  json::array big_list =
      Expect(c().Send("POST", T(n, "/attachments"), agent_, big_body, big_type), 201, "upload 5 MB")
          .at("attachments")
          .as_array();
  ASSERT_EQ(big_list.size(), 1u) << "the plain field is not a file";
  const json::value dump = big_list[0];
  EXPECT_EQ(Int(dump, "size"), static_cast<std::int64_t>(big.size()));
  EXPECT_EQ(Str(dump, "sha256"), Sha256Hex(big));
  EXPECT_EQ(Str(dump, "content_type"), "application/octet-stream");

  // Download both: same bytes, same digest, the sniffed type, a safe Content-Disposition.
  HttpResponse got_png = c().Get(Str(png, "url"), alice);
  ASSERT_EQ(got_png.status, 200) << got_png.Describe();
  EXPECT_EQ(got_png.body, TinyPng());
  EXPECT_EQ(got_png.Header("Content-Type"), "image/png");
  EXPECT_EQ(got_png.Header("Content-Disposition"), "inline; filename*=UTF-8''x.txt");
  EXPECT_EQ(got_png.Header("X-Content-Type-Options"), "nosniff");
  HttpResponse got_big = c().Get(Str(dump, "url"), alice);
  ASSERT_EQ(got_big.status, 200) << got_big.status;
  EXPECT_EQ(got_big.body.size(), big.size());
  EXPECT_TRUE(got_big.body == big) << "downloaded bytes differ from the upload";
  EXPECT_EQ(Sha256Hex(got_big.body), Str(dump, "sha256"));
  EXPECT_EQ(got_big.Header("Content-Disposition"), "attachment; filename*=UTF-8''dump.bin");
  // HEAD: the download's status and headers, its length, and no body; the connection goes on.
  const int opened = c().connections_opened();
  HttpResponse head_big = c().Send("HEAD", Str(dump, "url"), alice);
  EXPECT_EQ(head_big.status, 200) << head_big.Describe();
  EXPECT_EQ(head_big.Header("Content-Length"), std::to_string(big.size()));
  EXPECT_EQ(head_big.Header("Content-Disposition"), "attachment; filename*=UTF-8''dump.bin");
  EXPECT_EQ(head_big.body, "");
  HttpResponse head_missing = c().Send("HEAD", "/api/v1/attachments/999999", alice);
  EXPECT_EQ(head_missing.status, 404);
  EXPECT_EQ(head_missing.body, "");
  EXPECT_EQ(c().Get(Str(png, "url"), alice).body, TinyPng());
  EXPECT_EQ(c().connections_opened(), opened);

  // Listing and history.
  json::array listed =
      Expect(c().Get(T(n, "/attachments"), alice), 200, "list").at("attachments").as_array();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0], png);
  EXPECT_EQ(listed[1], dump);
  std::vector<std::string> attached;
  for (const auto& e : History(n))
    if (Str(e, "field") == "attachment") attached.push_back(Str(e, "after"));
  EXPECT_EQ(attached, (std::vector<std::string>{"x.txt", "dump.bin"}));

  // Not multipart: 415. Multipart without a file: 400. No CSRF: 403. Missing: 404.
  HttpResponse json_upload = c().Post(T(n, "/attachments"), json::object{{"file", "x"}}, agent_);
  EXPECT_EQ(json_upload.status, 415) << json_upload.Describe();
  EXPECT_EQ(json_upload.ErrorCode(), "unsupported_media_type");
  auto [field_type, field_body] = BuildMultipart({{"comment", "", "", "sin archivo"}});
  HttpResponse no_file = c().Send("POST", T(n, "/attachments"), agent_, field_body, field_type);
  EXPECT_EQ(no_file.status, 400) << no_file.Describe();
  HttpResponse no_csrf =
      c().Send("POST", T(n, "/attachments"), alice.WithoutCsrf(), png_body, png_type);
  EXPECT_EQ(no_csrf.status, 403) << no_csrf.Describe();
  HttpResponse missing = c().Get("/api/v1/attachments/999999", agent_);
  EXPECT_EQ(missing.status, 404) << missing.Describe();
  EXPECT_EQ(missing.ErrorCode(), "not_found");

  // A closed ticket takes no attachments.
  Patch(n, {{"status", "resolved"}}, agent_);
  Patch(n, {{"status", "closed"}}, agent_);
  HttpResponse closed = c().Send("POST", T(n, "/attachments"), agent_, png_body, png_type);
  EXPECT_EQ(closed.status, 409) << closed.Describe();
  EXPECT_EQ(
      Expect(c().Get(T(n, "/attachments"), alice), 200, "list").at("attachments").as_array().size(),
      2u);
}

class SmallAttachmentLimitTest : public ApiTest {
 protected:
  std::vector<std::string> ServeArgs() const override { return {"--attachment-limit-mb", "1"}; }
};

TEST_F(SmallAttachmentLimitTest, FileOverTheLimitIs413AndStoresNothing) {
  const std::int64_t n = Int(StaffTicket("acme", "normal", "2026-11-20T16:00:00-05:00"), "number");
  const std::string exactly = RandomBytes(1024 * 1024, 7);
  auto [type, body] = BuildMultipart({{"file", "exactly-1mb.bin", "", exactly}});
  json::array ok = Expect(c().Send("POST", T(n, "/attachments"), agent_, body, type), 201,
                          "a file of exactly the limit")
                       .at("attachments")
                       .as_array();
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_EQ(Int(ok[0], "size"), 1024 * 1024);

  const std::string over = RandomBytes(1024 * 1024 + 1, 8);
  auto [over_type, over_body] = BuildMultipart({{"file", "over.bin", "", over}});
  HttpResponse r = c().Send("POST", T(n, "/attachments"), agent_, over_body, over_type);
  EXPECT_EQ(r.status, 413) << r.Describe();
  EXPECT_EQ(r.ErrorCode(), "too_large");
  EXPECT_NE(r.ErrorMessage().find("over.bin"), std::string::npos) << r.Describe();

  // Nothing of the refused upload was recorded, and the server keeps serving.
  json::array listed =
      Expect(c().Get(T(n, "/attachments"), agent_), 200, "list").at("attachments").as_array();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(Str(listed[0], "filename"), "exactly-1mb.bin");
  EXPECT_EQ(c().Get("/healthz").status, 200);
}

// A hostile file name (bytes that are not UTF-8, a path, a length that an old cut split inside
// a character) comes back as valid UTF-8 JSON in every answer that shows it (issue 16).
TEST_F(ApiTest, HostileFileNamesComeBackAsValidUtf8) {
  Auth alice = Login(c(), "alice@acme.example", kPassword);
  const std::int64_t n = Int(
      Create(alice, {{"type", "incident"}, {"criticality", "important"}, {"subject", "Nombres"}}),
      "number");
  std::string long_name = "\xFFz";
  for (int i = 0; i < 110; ++i) long_name += "\xC3\xB1";  // ñ: the cut used to land inside one
  long_name += ".txt";
  auto [type, body] = BuildMultipart({{"file", "a/b\\caf\xE9.log", "text/plain", "uno\n"},
                                      {"file", long_name, "text/plain", "dos\n"}});
  HttpResponse up = c().Send("POST", T(n, "/attachments"), agent_, body, type);
  json::array list = Expect(up, 201, "upload hostile names").at("attachments").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(Str(list[0], "filename"), "caf\xEF\xBF\xBD.log");
  const std::string cut = Str(list[1], "filename");
  EXPECT_LE(cut.size(), 200u);
  EXPECT_TRUE(cut.starts_with("\xC3\xB1")) << "cut inside a character";
  EXPECT_TRUE(cut.ends_with(".txt"));
  // The list, the ticket's history and the download say the same, and parse as JSON.
  json::array listed =
      Expect(c().Get(T(n, "/attachments"), agent_), 200, "list").at("attachments").as_array();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(Str(listed[1], "filename"), cut);
  std::vector<std::string> attached;
  for (const auto& e : History(n))
    if (Str(e, "field") == "attachment") attached.push_back(Str(e, "after"));
  EXPECT_EQ(attached, (std::vector<std::string>{"caf\xEF\xBF\xBD.log", cut}));
  HttpResponse got = c().Get(Str(list[0], "url"), agent_);
  ASSERT_EQ(got.status, 200) << got.Describe();
  EXPECT_EQ(got.Header("Content-Disposition"), "attachment; filename*=UTF-8''caf%EF%BF%BD.log");
}

// Downloads honour one byte range (issue 19: a video plays from any point): 206 with
// Content-Range and exactly those bytes, the suffix and open-ended forms, a range past the end
// is a 416 naming the size, several ranges or a malformed one get the whole file, and every
// answer says Accept-Ranges: bytes. Requests as a player (or curl -r) sends them.
TEST_F(ApiTest, AttachmentDownloadsHonourOneByteRange) {
  Auth alice = Login(c(), "alice@acme.example", kPassword);
  const std::int64_t n =
      Int(Create(alice, {{"type", "incident"}, {"criticality", "normal"}, {"subject", "Video"}}),
          "number");
  const std::string bytes = RandomBytes(6 * 1024 * 1024, 7);  // more than one ranged answer holds
  auto [type, body] =
      BuildMultipart({{"file", "grabacion.bin", "application/octet-stream", bytes}});
  const json::value file =
      Expect(c().Send("POST", T(n, "/attachments"), alice, body, type), 201, "upload")
          .at("attachments")
          .as_array()[0];
  const std::string url = Str(file, "url");
  // Appended, not "/" + std::string&&: GCC 12 -O2 reports a -Wrestrict false positive there.
  std::string total = "/";
  total += std::to_string(bytes.size());
  auto get = [&](const std::string& range) { return c().Get(url, alice, {{"Range", range}}); };

  HttpResponse whole = c().Get(url, alice);
  ASSERT_EQ(whole.status, 200);
  EXPECT_EQ(whole.Header("Accept-Ranges"), "bytes");

  HttpResponse mid = get("bytes=100-199");
  ASSERT_EQ(mid.status, 206) << mid.Describe();
  EXPECT_EQ(mid.Header("Content-Range"), "bytes 100-199" + total);
  EXPECT_EQ(mid.Header("Content-Length"), "100");
  EXPECT_EQ(mid.Header("Accept-Ranges"), "bytes");
  EXPECT_TRUE(mid.body == bytes.substr(100, 100));

  HttpResponse tail = get("bytes=-10");
  ASSERT_EQ(tail.status, 206);
  EXPECT_EQ(tail.Header("Content-Range"), "bytes " + std::to_string(bytes.size() - 10) + "-" +
                                              std::to_string(bytes.size() - 1) + total);
  EXPECT_TRUE(tail.body == bytes.substr(bytes.size() - 10));

  // Open-ended from the middle: at most 4 MiB come back, and the Content-Range says which.
  const std::size_t from = 1024 * 1024;
  HttpResponse open = get("bytes=" + std::to_string(from) + "-");
  ASSERT_EQ(open.status, 206);
  const std::size_t sent = 4 * 1024 * 1024;
  EXPECT_EQ(open.Header("Content-Range"),
            "bytes " + std::to_string(from) + "-" + std::to_string(from + sent - 1) + total);
  EXPECT_TRUE(open.body == bytes.substr(from, sent));

  HttpResponse past = get("bytes=" + std::to_string(bytes.size()) + "-");
  EXPECT_EQ(past.status, 416) << past.Describe();
  EXPECT_EQ(past.Header("Content-Range"), "bytes *" + total);

  for (const char* ignored : {"bytes=0-1,5-6", "items=0-9", "bytes=9-2"}) {
    HttpResponse r = get(ignored);
    EXPECT_EQ(r.status, 200) << ignored;
    EXPECT_EQ(r.body.size(), bytes.size()) << ignored;
  }
}

}  // namespace
}  // namespace soporte::test
