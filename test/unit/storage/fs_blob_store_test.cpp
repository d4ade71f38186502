// FsBlobStore: content addressing (SHA-256), dedupe, the size limit, and that an upload that is
// never committed leaves no file behind.
#include "storage/fs/fs_blob_store.hpp"

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

namespace soporte::storage {
namespace {

namespace fs = std::filesystem;

// SHA-256 test vectors (FIPS 180-2).
constexpr const char* kAbcSha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr const char* kEmptySha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

class FsBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "soporte-blobs-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
    auto s = FsBlobStore::Open((root_ / "blobs").string());
    ASSERT_TRUE(s) << s.error().message;
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  std::size_t TmpFiles() const {
    auto it = fs::directory_iterator(root_ / "blobs" / "tmp");
    return static_cast<std::size_t>(std::distance(it, fs::directory_iterator{}));
  }
  static std::string ReadAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  fs::path root_;
  std::unique_ptr<FsBlobStore> store_;
};

TEST_F(FsBlobStoreTest, StoresByHashInTwoLevelsOfDirectories) {
  auto w = store_->Begin(1024);
  ASSERT_TRUE(w);
  ASSERT_TRUE((*w)->Write("a"));
  ASSERT_TRUE((*w)->Write("bc"));
  EXPECT_EQ((*w)->size(), 3);
  EXPECT_EQ((*w)->Head(), "abc");
  EXPECT_EQ(TmpFiles(), 1u);
  auto info = (*w)->Commit();
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->sha256, kAbcSha);
  EXPECT_EQ(info->size, 3);
  EXPECT_EQ(TmpFiles(), 0u);

  auto path = store_->PathOf(kAbcSha);
  ASSERT_TRUE(path);
  EXPECT_EQ(fs::path(*path), root_ / "blobs" / "ba" / "78" / kAbcSha);
  EXPECT_EQ(ReadAll(*path), "abc");
}

TEST_F(FsBlobStoreTest, EmptyBlobHasTheEmptyHash) {
  auto w = store_->Begin(0);
  ASSERT_TRUE(w);
  auto info = (*w)->Commit();
  ASSERT_TRUE(info);
  EXPECT_EQ(info->sha256, kEmptySha);
  EXPECT_EQ(info->size, 0);
}

TEST_F(FsBlobStoreTest, SameContentIsStoredOnce) {
  for (int i = 0; i < 2; ++i) {
    auto w = store_->Begin(1024);
    ASSERT_TRUE(w);
    ASSERT_TRUE((*w)->Write("abc"));
    auto info = (*w)->Commit();
    ASSERT_TRUE(info);
    EXPECT_EQ(info->sha256, kAbcSha);
  }
  EXPECT_EQ(TmpFiles(), 0u);
  std::size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(root_ / "blobs")) files += e.is_regular_file();
  EXPECT_EQ(files, 1u);
}

TEST_F(FsBlobStoreTest, RefusesPastTheLimitAndCleansUp) {
  {
    auto w = store_->Begin(4);
    ASSERT_TRUE(w);
    ASSERT_TRUE((*w)->Write("abcd"));  // exactly the limit is allowed
    auto over = (*w)->Write("e");
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().code, ErrorCode::kTooLarge);
    EXPECT_FALSE((*w)->Commit());  // a refused upload cannot be committed
  }
  EXPECT_EQ(TmpFiles(), 0u);
}

TEST_F(FsBlobStoreTest, DroppingAWriterRemovesItsTemporaryFile) {
  {
    auto w = store_->Begin(1 << 20);
    ASSERT_TRUE(w);
    ASSERT_TRUE((*w)->Write(std::string(10000, 'x')));
    EXPECT_EQ((*w)->Head().size(), 4096u);  // only the first 4 KiB are kept for sniffing
    EXPECT_EQ(TmpFiles(), 1u);
  }
  EXPECT_EQ(TmpFiles(), 0u);
  EXPECT_EQ(store_->PathOf(kAbcSha).error().code, ErrorCode::kNotFound);
}

TEST_F(FsBlobStoreTest, PathOfChecksTheName) {
  EXPECT_EQ(store_->PathOf("../../etc/passwd").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->PathOf(std::string(64, 'A')).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(FsBlobStoreTest, OpenRemovesLeftoverUploads) {
  const auto crashed = root_ / "blobs" / "tmp" / "upload-crashed";
  std::ofstream(crashed) << "partial";
  fs::last_write_time(crashed, fs::file_time_type::clock::now() - std::chrono::hours(25));
  auto again = FsBlobStore::Open((root_ / "blobs").string());
  ASSERT_TRUE(again);
  EXPECT_EQ(TmpFiles(), 0u);
}

// Another process (the MTA's `soporte mail ingest`) may be writing an upload right now.
TEST_F(FsBlobStoreTest, OpenKeepsUploadsInProgress) {
  std::ofstream(root_ / "blobs" / "tmp" / "upload-live") << "partial";
  auto again = FsBlobStore::Open((root_ / "blobs").string());
  ASSERT_TRUE(again);
  EXPECT_EQ(TmpFiles(), 1u);
}

// Backups: the blobs the destination lacks are copied (checked against their names), an upload
// in progress and stray files are left out, a second run copies nothing, and a damaged blob is
// named while the others are still copied.
TEST_F(FsBlobStoreTest, CopyBlobsCopiesWhatTheBackupLacksAndNamesADamagedOne) {
  const auto put = [&](std::string_view content) {
    auto w = store_->Begin(1024);
    EXPECT_TRUE(w && (*w)->Write(content));
    auto info = (*w)->Commit();
    EXPECT_TRUE(info);
    return info ? info->sha256 : std::string();
  };
  const std::string abc = put("abc"), empty = put("");
  auto uploading = store_->Begin(1024);  // in progress: its file is in tmp/
  ASSERT_TRUE(uploading && (*uploading)->Write("half"));
  std::ofstream(root_ / "blobs" / "notes.txt") << "an operator's note";
  const fs::path backup = root_ / "backup";

  auto first = CopyBlobs((root_ / "blobs").string(), backup.string());
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->copied, 2);
  EXPECT_EQ(first->already, 0);
  EXPECT_EQ(first->bytes, 3);
  EXPECT_EQ(ReadAll((backup / "ba" / "78" / abc).string()), "abc");
  EXPECT_TRUE(fs::exists(backup / "e3" / "b0" / empty));
  EXPECT_FALSE(fs::exists(backup / "tmp"));
  EXPECT_FALSE(fs::exists(backup / "notes.txt"));

  auto again = CopyBlobs((root_ / "blobs").string(), backup.string());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->copied, 0);
  EXPECT_EQ(again->already, 2);

  // A damaged blob (its bytes changed on disk) is named and not copied; a sound new one is.
  fs::remove(backup / "ba" / "78" / abc);
  fs::remove(backup / "e3" / "b0" / empty);
  std::ofstream(root_ / "blobs" / "ba" / "78" / abc, std::ios::trunc) << "abd";
  auto damaged = CopyBlobs((root_ / "blobs").string(), backup.string());
  ASSERT_FALSE(damaged);
  EXPECT_EQ(damaged.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(damaged.error().message.find(abc), std::string::npos) << damaged.error().message;
  EXPECT_NE(damaged.error().message.find("damaged"), std::string::npos);
  EXPECT_FALSE(fs::exists(backup / "ba" / "78" / abc));
  EXPECT_FALSE(fs::exists(backup / "ba" / "78" / ("." + abc + ".part")));
  EXPECT_TRUE(fs::exists(backup / "e3" / "b0" / empty));

  // No blobs directory yet (a desk with no attachment): nothing to copy, no error.
  auto none = CopyBlobs((root_ / "missing").string(), backup.string());
  ASSERT_TRUE(none);
  EXPECT_EQ(none->copied + none->already, 0);
}

}  // namespace
}  // namespace soporte::storage
