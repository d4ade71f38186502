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

}  // namespace
}  // namespace soporte::storage
