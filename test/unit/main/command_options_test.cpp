// What the data commands and `soporte serve` decide from their options (main/command_options,
// main/serve_steps): refused values and their messages, defaults, the URL announced.
#include "main/command_options.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include <boost/asio/ip/address.hpp>

#include "main/serve_steps.hpp"

namespace soporte::main {
namespace {

std::string MessageOf(const Error& e) { return e.message; }

TEST(CommandOptionsTest, ContractOptions) {
  auto c = ContractOf(ContractOptions{"24x7", "America/Bogota", "2026-01-01", "2026-12-31"});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->modality, domain::sla::Modality::k24x7);
  EXPECT_EQ(c->zone, "America/Bogota");
  ASSERT_TRUE(c->valid_from && c->valid_to);
  EXPECT_LT(*c->valid_from, *c->valid_to);
  auto open = ContractOf(ContractOptions{"8x5"});
  ASSERT_TRUE(open);
  EXPECT_FALSE(open->valid_from);
  EXPECT_FALSE(open->valid_to);

  auto modality = ContractOf(ContractOptions{"9x5"});
  ASSERT_FALSE(modality);
  EXPECT_EQ(modality.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(MessageOf(modality.error()), "--modality must be 24x7 or 8x5 (got '9x5')");
  auto zone = ContractOf(ContractOptions{"8x5", "Mars/Olympus"});
  ASSERT_FALSE(zone);
  EXPECT_EQ(MessageOf(zone.error()), "--tz: unknown time zone 'Mars/Olympus'");
  EXPECT_EQ(ContractOf(ContractOptions{"8x5", "UTC", "01/02/2026"}).error().code,
            ErrorCode::kInvalidArgument);
}

TEST(CommandOptionsTest, NewUserReadsThePasswordLineWithoutItsCr) {
  std::istringstream stdin_text("s3cret-pass\r\nignored\n");
  auto u = NewUserOf(UserAddOptions{"c@acme.example.com", "Carlos", "customer", "acme", true, true},
                     stdin_text);
  ASSERT_TRUE(u) << u.error().message;
  EXPECT_EQ(u->password, "s3cret-pass");
  EXPECT_EQ(u->role, domain::Role::kCustomer);
  EXPECT_EQ(u->org_slug, std::optional<std::string>("acme"));
  EXPECT_TRUE(u->org_admin);

  std::istringstream none("");
  auto staff = NewUserOf(UserAddOptions{"a@example.com", "Ana", "admin", "", false, false}, none);
  ASSERT_TRUE(staff);
  EXPECT_FALSE(staff->org_slug);
  EXPECT_TRUE(staff->password.empty());

  std::istringstream empty("\r\n");
  auto refused = NewUserOf(UserAddOptions{"a@example.com", "Ana", "admin", "", true, false}, empty);
  ASSERT_FALSE(refused);
  EXPECT_EQ(MessageOf(refused.error()), "--password-stdin: no password on standard input");
  std::istringstream unused("x\n");
  EXPECT_EQ(MessageOf(NewUserOf(UserAddOptions{"a@example.com", "Ana", "root"}, unused).error()),
            "--role must be customer, agent, supervisor or admin (got 'root')");
}

TEST(CommandOptionsTest, UserChangeTakesOnlyWhatWasGiven) {
  auto c = UserChangeOf(UserSetOptions{"true", std::nullopt, "en", std::nullopt, "false"});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->org_admin, std::optional<bool>(true));
  EXPECT_EQ(c->active, std::optional<bool>(false));
  EXPECT_EQ(c->lang, std::optional<std::string>("en"));
  EXPECT_FALSE(c->name);
  EXPECT_FALSE(c->role);

  auto role = UserChangeOf(
      UserSetOptions{std::nullopt, std::nullopt, std::nullopt, "supervisor", std::nullopt});
  ASSERT_TRUE(role);
  EXPECT_EQ(role->role, std::optional<domain::Role>(domain::Role::kSupervisor));

  EXPECT_EQ(MessageOf(UserChangeOf(UserSetOptions{"yes"}).error()),
            "--org-admin must be true or false (got 'yes')");
  EXPECT_EQ(MessageOf(UserChangeOf(UserSetOptions{std::nullopt, std::nullopt, std::nullopt,
                                                  std::nullopt, "0"})
                          .error()),
            "--active must be true or false (got '0')");
  EXPECT_EQ(MessageOf(UserChangeOf(UserSetOptions{std::nullopt, std::nullopt, "fr"}).error()),
            "--lang must be es or en (got 'fr')");
  const auto nothing = UserChangeOf(UserSetOptions{});
  ASSERT_FALSE(nothing);
  EXPECT_EQ(nothing.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(MessageOf(nothing.error()),
            "nothing to change: give --org-admin, --name, --lang, --role or --active");
}

TEST(ServeStepsTest, OptionsToDeskApiAndThreads) {
  ServeOptions o;
  o.attachment_limit_mb = 0;
  EXPECT_FALSE(CheckServeOptions(o));
  o.attachment_limit_mb = 5;
  EXPECT_TRUE(CheckServeOptions(o));
  o.secure_cookies = true;
  const auto api = ApiOptionsOf(o);
  EXPECT_EQ(api.attachment_limit, 5 * 1024 * 1024);
  EXPECT_TRUE(api.secure_cookies);

  o.fast_password_hashing = true;
  o.mail.mail_from = "mesa@vendor.example.com";
  o.support_phone = "+57 601 555 0100";
  o.secret_key = "/keys/secret.key";
  const DeskOptions d = DeskOptionsOf(o);
  EXPECT_TRUE(d.fast_password_hashing);
  EXPECT_EQ(d.mail_from, "mesa@vendor.example.com");
  EXPECT_EQ(d.secret_key_path, "/keys/secret.key");
  EXPECT_TRUE(d.check_secret_key);
  EXPECT_EQ(d.contact.phone, "+57 601 555 0100");

  EXPECT_EQ(IoThreadsOf(o, 8), 8);  // --threads 0: the cores
  EXPECT_EQ(IoThreadsOf(o, 0), 1);
  o.io_threads = 3;
  EXPECT_EQ(IoThreadsOf(o, 8), 3);

  // The PostgreSQL pool follows the io threads, bounded by the storage threads and 64.
  EXPECT_EQ(PostgresOptionsOf(o, 8).max_connections, 8);  // 3 io threads: 2 * 3 + 2
  o.io_threads = 0;
  EXPECT_EQ(PostgresOptionsOf(o, 2).max_connections, 6);  // the cores
  o.db_threads = 4;
  EXPECT_EQ(PostgresOptionsOf(o, 2).max_connections, 4);  // no more than --db-threads
  o.db_threads = 500;
  o.io_threads = 100;
  EXPECT_EQ(PostgresOptionsOf(o, 2).max_connections, 64);
  o.db_threads = 0;
  EXPECT_EQ(PostgresOptionsOf(o, 2).max_connections, 1);
}

TEST(ServeStepsTest, ListenUrlBracketsIpv6) {
  namespace ip = boost::asio::ip;
  EXPECT_EQ(ListenUrl(ip::tcp::endpoint(ip::make_address("127.0.0.1"), 8080)),
            "http://127.0.0.1:8080");
  EXPECT_EQ(ListenUrl(ip::tcp::endpoint(ip::make_address("::1"), 443)), "http://[::1]:443");
}

}  // namespace
}  // namespace soporte::main
