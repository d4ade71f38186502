// The contact settings' checks, and the chat widget's greeting and colour kept with them (issue
// 13): each bad field is named; an admin stores them trimmed (the colour lower-cased); the
// defaults stand for what was never stored.
#include "app/settings/contact_settings.hpp"

#include <gtest/gtest.h>

#include "app/accounts/admin_service.hpp"
#include "storage/memory/memory_store.hpp"
#include "unit/app/fakes.hpp"

namespace soporte::app {
namespace {

std::string FieldOf(const Status& st) {
  if (st) return "ok";
  EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
  return st.error().message.substr(0, st.error().message.find(':'));
}

TEST(ValidateContactSettings, ChatGreetingsAreOneLineOfAtMost200Characters) {
  ContactSettings s;
  s.chat_greeting_es = "Hola 👋, ¿en qué te podemos ayudar?";
  EXPECT_EQ(FieldOf(ValidateContactSettings(s)), "ok");
  // 200 characters of two bytes each pass: the limit counts characters, not bytes.
  s.chat_greeting_es = "";
  for (int i = 0; i < 200; ++i) s.chat_greeting_es += "ñ";
  EXPECT_EQ(FieldOf(ValidateContactSettings(s)), "ok");
  s.chat_greeting_es += "a";
  EXPECT_EQ(FieldOf(ValidateContactSettings(s)), "chat_greeting_es");
  s.chat_greeting_es = "";
  s.chat_greeting_en = "Hi\nthere";
  EXPECT_EQ(FieldOf(ValidateContactSettings(s)), "chat_greeting_en");
  s.chat_greeting_en = "bad \xff utf-8";
  EXPECT_EQ(FieldOf(ValidateContactSettings(s)), "chat_greeting_en");
}

TEST(ValidateContactSettings, TheChatColourIsRrggbbOrEmpty) {
  ContactSettings s;
  for (const char* ok : {"", "#0b5cad", "#ABCDEF"}) {
    s.chat_color = ok;
    EXPECT_EQ(FieldOf(ValidateContactSettings(s)), "ok") << ok;
  }
  for (const char* bad : {"0b5cad", "#0b5ca", "#0b5cadd", "#0g5cad", "red", "#fff"}) {
    s.chat_color = bad;
    EXPECT_EQ(FieldOf(ValidateContactSettings(s)), "chat_color") << bad;
  }
}

TEST(ContactSettingsService, AnAdminStoresTheChatSettingsAndOthersMayNot) {
  FakeClock clock{Instant{Seconds{1796418000}}};
  storage::MemoryStore store;
  ContactSettings defaults;
  defaults.phone = "+57 601 555 0100";
  ContactSettingsService settings(store, clock, defaults);
  testing::PlainHasher hasher;
  auto sla = sla::SlaEngine::Create();
  ASSERT_TRUE(sla);
  AdminService accounts(store, hasher, *sla, clock);
  auto root = accounts.CreateUser(
      SystemPrincipal(),
      NewUser{"root@example.com", "Root", domain::Role::kAdmin, std::nullopt, "password123"});
  ASSERT_TRUE(root) << root.error().message;
  const Principal admin = PrincipalOf(*root);
  ContactSettings in = *settings.Get();
  EXPECT_EQ(in.chat_color, "");
  in.chat_greeting_es = "  Buenas, somos ACME ";
  in.chat_color = "#AA3300";
  Principal agent = admin;
  agent.role = domain::Role::kAgent;
  EXPECT_EQ(settings.Put(agent, in).error().code, ErrorCode::kPermissionDenied);
  auto saved = settings.Put(admin, in);
  ASSERT_TRUE(saved) << saved.error().message;
  auto now = settings.Get();
  EXPECT_EQ(now->chat_greeting_es, "Buenas, somos ACME");
  EXPECT_EQ(now->chat_color, "#aa3300");
  EXPECT_EQ(now->phone, "+57 601 555 0100");
  in.chat_color = "azul";
  auto bad = settings.Put(admin, in);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message.rfind("chat_color:", 0), 0u) << bad.error().message;
  EXPECT_EQ(settings.Get()->chat_color, "#aa3300");  // nothing stored
}

}  // namespace
}  // namespace soporte::app
