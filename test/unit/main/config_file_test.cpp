#include "main/config_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

namespace soporte::main {
namespace {

// A command shaped like `serve`: a text, a URL, a repeatable option, integers, a number, a flag.
struct Options {
  std::string config, data, listen = "127.0.0.1:8080", smtp_url, metrics_token;
  std::vector<std::string> imap_urls;
  int threads = 0;
  double escalate = 15;
  bool secure_cookies = false;
};

class ConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("config_file_test." + std::to_string(::getpid()) + "." +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    cmd_.option_defaults()->always_capture_default();
    cmd_.add_option("--config", o_.config);
    cmd_.add_option("--data", o_.data);
    cmd_.add_option("--listen", o_.listen);
    cmd_.add_option("--smtp-url", o_.smtp_url);
    cmd_.add_option("--metrics-token", o_.metrics_token)->option_text("FILE");
    cmd_.add_option("--imap-url", o_.imap_urls);
    cmd_.add_option("--threads", o_.threads);
    cmd_.add_option("--page-escalate-minutes", o_.escalate);
    cmd_.add_flag("--secure-cookies", o_.secure_cookies);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text, int mode = 0600) {
    const auto path = (dir_ / name).string();
    std::ofstream(path) << text;
    ::chmod(path.c_str(), mode);
    return path;
  }

  // Parses `args` as the command line, then applies the environment `env_`.
  Result<AppliedConfig> Apply(const std::string& args) {
    cmd_.parse(args, false);
    return ApplyConfig(cmd_, [this](const std::string& name) -> std::optional<std::string> {
      auto it = env_.find(name);
      if (it == env_.end()) return std::nullopt;
      return it->second;
    });
  }

  std::filesystem::path dir_;
  CLI::App cmd_{"test", "serve"};
  Options o_;
  std::map<std::string, std::string> env_;
};

TEST_F(ConfigFileTest, KeysAreTheLongOptionsWithUnderscores) {
  EXPECT_EQ(ConfigKeyOf(*cmd_.get_option("--smtp-url")), "smtp_url");
  EXPECT_EQ(ConfigKeyOf(*cmd_.get_option("--page-escalate-minutes")), "page_escalate_minutes");
}

TEST_F(ConfigFileTest, FileFillsEveryKindOfOption) {
  const auto file = Write("a.toml",
                          "# a comment\n"
                          "data = '/var/lib/soporte'\n"
                          "listen = \"0.0.0.0:80\"\n"
                          "imap_url = ['imap://a:b@h/INBOX', 'imap://c:d@h/INBOX']\n"
                          "threads = 4\n"
                          "page_escalate_minutes = 2.5\n"
                          "secure_cookies = true\n");
  auto applied = Apply("--config " + file);
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(o_.data, "/var/lib/soporte");
  EXPECT_EQ(o_.listen, "0.0.0.0:80");
  EXPECT_EQ(o_.imap_urls, (std::vector<std::string>{"imap://a:b@h/INBOX", "imap://c:d@h/INBOX"}));
  EXPECT_EQ(o_.threads, 4);
  EXPECT_DOUBLE_EQ(o_.escalate, 2.5);
  EXPECT_TRUE(o_.secure_cookies);
  EXPECT_EQ(applied->origins.at("listen"), file + ":3");
  EXPECT_EQ(applied->origins.count("smtp_url"), 0u);  // left at its default
}

TEST_F(ConfigFileTest, CommandLineThenEnvironmentThenFileThenDefault) {
  const auto file = Write("a.toml", "listen = '1.1.1.1:1'\nthreads = 3\ndata = 'from-file'\n");
  env_["SOPORTE_THREADS"] = "7";
  env_["SOPORTE_LISTEN"] = "2.2.2.2:2";
  auto applied = Apply("--config " + file + " --listen 3.3.3.3:3");
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(o_.listen, "3.3.3.3:3");  // command line over environment and file
  EXPECT_EQ(o_.threads, 7);           // environment over file
  EXPECT_EQ(o_.data, "from-file");    // file over default
  EXPECT_DOUBLE_EQ(o_.escalate, 15);  // default
  EXPECT_EQ(applied->origins.at("listen"), "command line");
  EXPECT_EQ(applied->origins.at("threads"), "environment SOPORTE_THREADS");
}

TEST_F(ConfigFileTest, AnEmptyArrayLeavesARepeatableOptionEmpty) {
  // What `config check` prints for an unset repeatable option must load again.
  auto applied = Apply("--config " + Write("a.toml", "imap_url = []\n"));
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_TRUE(o_.imap_urls.empty());
}

TEST_F(ConfigFileTest, ConfigFileMayBeNamedByTheEnvironment) {
  env_["SOPORTE_CONFIG"] = Write("a.toml", "threads = 2\n");
  ASSERT_TRUE(Apply(""));
  EXPECT_EQ(o_.threads, 2);
}

TEST_F(ConfigFileTest, UnknownKeyIsRefusedWithFileLineAndKey) {
  const auto file = Write("a.toml", "listen = '1.1.1.1:1'\n\nsmtp_ulr = 'smtp://x'\n");
  auto applied = Apply("--config " + file);
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(applied.error().message.find(file + ":3: smtp_ulr: unknown key"), std::string::npos)
      << applied.error().message;
}

TEST_F(ConfigFileTest, TablesAndTheConfigKeyItselfAreUnknown) {
  auto table = Apply("--config " + Write("a.toml", "[serve]\nlisten = 'x'\n"));
  ASSERT_FALSE(table);
  EXPECT_NE(table.error().message.find(":1: serve: unknown key"), std::string::npos)
      << table.error().message;
  const auto file = Write("b.toml", "config = 'other.toml'\n");
  CLI::App cmd{"test", "serve"};
  std::string config;
  cmd.add_option("--config", config);
  cmd.parse("--config " + file, false);
  auto applied = ApplyConfig(cmd, [](const std::string&) { return std::nullopt; });
  ASSERT_FALSE(applied);
  EXPECT_NE(applied.error().message.find(":1: config: unknown key"), std::string::npos)
      << applied.error().message;
}

TEST_F(ConfigFileTest, WrongTypesAreRefusedNamingTheExpectedType) {
  struct Case {
    std::string text, needle;
  };
  for (const Case& c :
       {Case{"threads = '4'\n", ":1: threads: expected an integer, got a string"},
        Case{"threads = 4.5\n", ":1: threads: expected an integer"},
        Case{"secure_cookies = 'yes'\n", ":1: secure_cookies: expected true or false"},
        Case{"listen = 8080\n", ":1: listen: expected a string, got an integer"},
        Case{"imap_url = [1]\n", ":1: imap_url: expected an array of strings"},
        Case{"listen = ['a']\n", ":1: listen: expected a string, got an array"}}) {
    CLI::App cmd{"test", "serve"};
    Options o;
    cmd.add_option("--config", o.config);
    cmd.add_option("--listen", o.listen);
    cmd.add_option("--imap-url", o.imap_urls);
    cmd.add_option("--threads", o.threads);
    cmd.add_flag("--secure-cookies", o.secure_cookies);
    const auto file = Write("t.toml", c.text);
    cmd.parse("--config " + file, false);
    auto applied = ApplyConfig(cmd, [](const std::string&) { return std::nullopt; });
    ASSERT_FALSE(applied) << c.text;
    EXPECT_NE(applied.error().message.find(file + c.needle), std::string::npos)
        << c.text << " → " << applied.error().message;
  }
}

TEST_F(ConfigFileTest, SyntaxErrorNamesFileAndLine) {
  const auto file = Write("a.toml", "listen = '1.1.1.1:1'\nthreads = = 3\n");
  auto applied = Apply("--config " + file);
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().message.rfind(file + ":2:", 0), 0u) << applied.error().message;
}

TEST_F(ConfigFileTest, BadEnvironmentValueNamesTheVariable) {
  env_["SOPORTE_THREADS"] = "many";
  auto applied = Apply("");
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().message.rfind("SOPORTE_THREADS: ", 0), 0u) << applied.error().message;
}

TEST_F(ConfigFileTest, SecretFromFileWithoutTrailingNewline) {
  const auto secret = Write("smtp", "smtp://u:p@host:25\n", 0640);
  const auto file = Write("a.toml", "smtp_url_file = '" + secret + "'\n");
  auto applied = Apply("--config " + file);
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(o_.smtp_url, "smtp://u:p@host:25");
  EXPECT_EQ(applied->origins.at("smtp_url"), file + ":1");
}

TEST_F(ConfigFileTest, SecretFileFromTheEnvironmentOneValueALine) {
  env_["SOPORTE_IMAP_URL_FILE"] = Write("imap", "imap://a:b@h/A\nimap://c:d@h/B\n");
  ASSERT_TRUE(Apply(""));
  EXPECT_EQ(o_.imap_urls, (std::vector<std::string>{"imap://a:b@h/A", "imap://c:d@h/B"}));
}

TEST_F(ConfigFileTest, WorldReadableSecretFileIsRefused) {
  const auto secret = Write("smtp", "smtp://u:p@host:25\n", 0644);
  const auto file = Write("a.toml", "\nsmtp_url_file = '" + secret + "'\n");
  auto applied = Apply("--config " + file);
  ASSERT_FALSE(applied);
  EXPECT_NE(applied.error().message.find(file + ":2: smtp_url_file: " + secret +
                                         " is readable by every user"),
            std::string::npos)
      << applied.error().message;
}

TEST_F(ConfigFileTest, KeyAndItsFileVariantTogetherAreRefused) {
  const auto secret = Write("smtp", "smtp://x\n");
  const auto file = Write("a.toml", "smtp_url = 'smtp://y'\nsmtp_url_file = '" + secret + "'\n");
  auto applied = Apply("--config " + file);
  ASSERT_FALSE(applied);
  EXPECT_NE(applied.error().message.find("give either smtp_url or smtp_url_file"),
            std::string::npos);
}

TEST_F(ConfigFileTest, FlagsHaveNoFileVariant) {
  const auto secret = Write("flag", "true\n");
  EXPECT_FALSE(Apply("--config " + Write("a.toml", "secure_cookies_file = '" + secret + "'\n")));
}

TEST_F(ConfigFileTest, MasksUrlPasswordsAndTokensButNotFileNames) {
  EXPECT_EQ(MaskSecret(*cmd_.get_option("--smtp-url"), "smtp://user:s3cret@host:25/x"),
            "smtp://user:****@host:25/x");
  EXPECT_EQ(MaskSecret(*cmd_.get_option("--smtp-url"), "smtp://host:25"), "smtp://host:25");
  EXPECT_EQ(MaskSecret(*cmd_.get_option("--metrics-token"), "/etc/soporte/metrics"),
            "/etc/soporte/metrics");
  CLI::App cmd;
  std::string token;
  cmd.add_option("--api-token", token);
  EXPECT_EQ(MaskSecret(*cmd.get_option("--api-token"), "abcdef"), "****");
}

TEST_F(ConfigFileTest, EffectiveConfigShowsValuesOriginsAndMasksSecrets) {
  const auto file =
      Write("a.toml", "imap_url = ['imap://agente:clave@h/INBOX']\nsecure_cookies = true\n");
  env_["SOPORTE_SMTP_URL"] = "smtp://u:hush@h:25";
  auto applied = Apply("--config " + file + " --threads 2");
  ASSERT_TRUE(applied);
  const std::string text = EffectiveConfig(cmd_, *applied);
  EXPECT_NE(text.find("imap_url = [\"imap://agente:****@h/INBOX\"]  # " + file + ":1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("smtp_url = \"smtp://u:****@h:25\"  # environment SOPORTE_SMTP_URL"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("threads = 2  # command line"), std::string::npos) << text;
  EXPECT_NE(text.find("secure_cookies = true  #"), std::string::npos) << text;
  EXPECT_NE(text.find("listen = \"127.0.0.1:8080\"  # default"), std::string::npos) << text;
  EXPECT_EQ(text.find("clave"), std::string::npos);
  EXPECT_EQ(text.find("hush"), std::string::npos);
  EXPECT_EQ(text.find("config ="), std::string::npos);
}

TEST_F(ConfigFileTest, AttributedNamesWhereABadValueWasSet) {
  const auto file = Write("a.toml", "threads = 3\n");
  auto applied = Apply("--config " + file + " --listen x");
  ASSERT_TRUE(applied);
  EXPECT_EQ(
      Attributed(Error{ErrorCode::kInvalidArgument, "--threads must be small"}, *applied).message,
      "--threads must be small (" + file + ":1: threads)");
  EXPECT_EQ(Attributed(Error{ErrorCode::kInvalidArgument, "--listen: bad"}, *applied).message,
            "--listen: bad");  // the command line names itself
}

}  // namespace
}  // namespace soporte::main
