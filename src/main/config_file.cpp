#include "main/config_file.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <vector>

#include <toml++/toml.h>

namespace soporte::main {
namespace {

constexpr const char* kFileSuffix = "_file";

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string EnvNameOf(const std::string& key) { return "SOPORTE_" + Upper(key); }

bool IsFlag(const CLI::Option& o) { return o.get_expected_max() == 0; }
bool IsRepeatable(const CLI::Option& o) { return o.get_expected_max() > 1; }
bool IsNumber(const CLI::Option& o) {
  const std::string t = o.get_type_name();
  return t.rfind("INT", 0) == 0 || t.rfind("UINT", 0) == 0 || t.rfind("FLOAT", 0) == 0 ||
         t.rfind("NUMBER", 0) == 0;
}
bool IsInteger(const CLI::Option& o) {
  const std::string t = o.get_type_name();
  return t.rfind("INT", 0) == 0 || t.rfind("UINT", 0) == 0;
}
bool IsFileName(const CLI::Option& o) {
  return o.get_option_text() == "FILE" || o.get_option_text() == "PATH";
}

bool IsKeyOption(const CLI::Option& o) {
  const std::string key = ConfigKeyOf(o);
  // --print-routes is a one-off question to the binary, not a setting.
  return !key.empty() && key != "config" && key != "help" && key != "print_routes";
}

// The values one source gives an option, and where they were written.
struct Given {
  std::vector<std::string> values;
  std::string origin;  // "FILE:LINE" or "environment SOPORTE_X"
  std::string where;   // prefix of an error about them: "FILE:LINE: key" or "SOPORTE_X"
};

Error Refused(const std::string& where, const std::string& what) {
  return Error{ErrorCode::kInvalidArgument, where + ": " + what};
}

// The lines of a secret file: its text without trailing newlines; refused when every user may
// read it.
Result<std::string> ReadSecretFile(const std::string& path, const std::string& where) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return tl::make_unexpected(Refused(where, "cannot read " + path));
  if ((st.st_mode & S_IROTH) != 0) {
    return tl::make_unexpected(Refused(
        where,
        path + " is readable by every user; a secret file must not be (chmod o-r " + path + ")"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return tl::make_unexpected(Refused(where, "cannot read " + path));
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::vector<std::string> SplitWords(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string word;
  while (in >> word) out.push_back(word);
  return out;
}

const char* TomlTypeName(toml::node_type t) {
  switch (t) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number with a fraction";
    case toml::node_type::boolean: return "true or false";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "a date or time";
  }
}

std::string ExpectedOf(const CLI::Option& o) {
  if (IsFlag(o)) return "true or false";
  if (IsInteger(o)) return IsRepeatable(o) ? "an array of integers" : "an integer";
  if (IsNumber(o)) return IsRepeatable(o) ? "an array of numbers" : "a number";
  return IsRepeatable(o) ? "an array of strings (or one string)" : "a string";
}

// One TOML scalar as the option's text, or nullopt when its type does not fit the option.
std::optional<std::string> ScalarText(const CLI::Option& o, const toml::node& n) {
  if (IsFlag(o)) {
    if (auto b = n.value_exact<bool>()) return *b ? "true" : "false";
    return std::nullopt;
  }
  if (IsInteger(o)) {
    if (auto i = n.value_exact<std::int64_t>()) return std::to_string(*i);
    return std::nullopt;
  }
  if (IsNumber(o)) {
    if (auto i = n.value_exact<std::int64_t>()) return std::to_string(*i);
    if (auto d = n.value_exact<double>()) {
      std::ostringstream s;
      s.precision(17);
      s << *d;
      return s.str();
    }
    return std::nullopt;
  }
  if (auto s = n.value_exact<std::string>()) return *s;
  return std::nullopt;
}

// The option's values written in the file under its key.
Result<std::vector<std::string>> FileValues(const CLI::Option& o, const toml::node& n,
                                            const std::string& where) {
  std::vector<std::string> out;
  if (const auto* arr = n.as_array(); arr != nullptr && IsRepeatable(o)) {
    for (const auto& item : *arr) {
      auto text = ScalarText(o, item);
      if (!text) {
        return tl::make_unexpected(Refused(
            where,
            "expected " + ExpectedOf(o) + ", got an array holding " + TomlTypeName(item.type())));
      }
      out.push_back(*text);
    }
    return out;
  }
  auto text = ScalarText(o, n);
  if (!text) {
    return tl::make_unexpected(
        Refused(where, "expected " + ExpectedOf(o) + ", got " + TomlTypeName(n.type())));
  }
  out.push_back(*text);
  return out;
}

std::string FileOrigin(const std::string& file, const toml::source_region& src) {
  return file + ":" + std::to_string(src.begin.line);
}

// What the text of the file `path` gives each key (after checking every key is known and typed
// right).
Result<std::map<std::string, Given>> ParseFile(std::string_view text, const std::string& path,
                                               const std::map<std::string, CLI::Option*>& keys) {
  std::map<std::string, Given> out;
  toml::table table;
  try {
    table = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return Fail(ErrorCode::kInvalidArgument, path + ":" + std::to_string(e.source().begin.line) +
                                                 ":" + std::to_string(e.source().begin.column) +
                                                 ": " + std::string(e.description()));
  }
  for (const auto& [k, node] : table) {
    const std::string key(k.str());
    const std::string origin = FileOrigin(path, k.source());
    const std::string where = origin + ": " + key;
    auto it = keys.find(key);
    if (it != keys.end()) {
      SOPORTE_TRY(values, FileValues(*it->second, node, where));
      out[key] = Given{std::move(values), origin, where};
      continue;
    }
    const bool file_variant =
        key.size() > std::string(kFileSuffix).size() && key.ends_with(kFileSuffix);
    const std::string base = file_variant ? key.substr(0, key.size() - 5) : "";
    auto base_it = keys.find(base);
    if (!file_variant || base_it == keys.end() || IsFlag(*base_it->second)) {
      return tl::make_unexpected(Refused(where,
                                         "unknown key (keys are the options of the command "
                                         "with dashes as underscores; see --help)"));
    }
    auto file = node.value_exact<std::string>();
    if (!file) {
      return tl::make_unexpected(Refused(
          where, "expected a file name (a string), got " + std::string(TomlTypeName(node.type()))));
    }
    if (table.contains(base)) {
      return tl::make_unexpected(
          Refused(where, "give either " + base + " or " + key + ", not both"));
    }
    SOPORTE_TRY(secret, ReadSecretFile(*file, where));
    auto values =
        IsRepeatable(*base_it->second) ? SplitLines(secret) : std::vector<std::string>{secret};
    out[base] = Given{std::move(values), origin, where};
  }
  return out;
}

// What the environment gives `key`: SOPORTE_KEY, else SOPORTE_KEY_FILE (a secret file).
Result<std::optional<Given>> EnvValues(const CLI::Option& o, const std::string& key,
                                       const EnvLookup& env) {
  const std::string name = EnvNameOf(key);
  if (auto v = env(name)) {
    auto values = IsRepeatable(o) ? SplitWords(*v) : std::vector<std::string>{*v};
    return Given{std::move(values), "environment " + name, name};
  }
  if (IsFlag(o)) return std::optional<Given>{};
  const std::string file_name = name + "_FILE";
  if (auto path = env(file_name)) {
    SOPORTE_TRY(secret, ReadSecretFile(*path, file_name));
    auto values = IsRepeatable(o) ? SplitLines(secret) : std::vector<std::string>{secret};
    return Given{std::move(values), "environment " + file_name, file_name};
  }
  return std::optional<Given>{};
}

// Gives `o` the values and runs its callback; a value it refuses is an error naming `where`.
Status Set(CLI::Option& o, const Given& given) {
  if (given.values.empty()) return Ok();  // `key = []`: none, as the default of a repeatable option
  try {
    for (const auto& v : given.values) o.add_result(v);
    o.run_callback();
  } catch (const CLI::Error& e) {
    return Fail(ErrorCode::kInvalidArgument, given.where + ": " + e.what());
  }
  return Ok();
}

std::string QuoteToml(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x",
                    static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string ValueText(const CLI::Option& o, const std::string& raw) {
  const std::string v = MaskSecret(o, raw);
  if (IsFlag(o)) {
    const bool on = v == "true" || v == "1" || v == "on" || v == "yes";
    return on ? "true" : "false";
  }
  if (IsNumber(o) && !v.empty()) return v;
  return QuoteToml(v);
}

}  // namespace

EnvLookup ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

std::string ConfigKeyOf(const CLI::Option& option) {
  if (option.get_lnames().empty()) return "";
  std::string key = option.get_lnames().front();
  for (char& c : key) {
    if (c == '-') c = '_';
  }
  return key;
}

namespace {

// The options of `cmd` that are keys, in the option table's order.
std::vector<CLI::Option*> KeyOptions(CLI::App& cmd) {
  std::vector<CLI::Option*> out;
  for (CLI::Option* o : cmd.get_options()) {
    if (IsKeyOption(*o)) out.push_back(o);
  }
  return out;
}

// Fills the options the command line left from the environment, then from `file`.
Status Fill(CLI::App& cmd, const std::map<std::string, Given>& file, const EnvLookup& env,
            AppliedConfig& applied) {
  for (CLI::Option* o : KeyOptions(cmd)) {
    const std::string key = ConfigKeyOf(*o);
    if (o->count() > 0) {
      applied.origins[key] = "command line";
      continue;
    }
    SOPORTE_TRY(from_env, EnvValues(*o, key, env));
    std::optional<Given> given = std::move(from_env);
    if (!given) {
      auto it = file.find(key);
      if (it != file.end()) given = it->second;
    }
    if (!given) continue;
    SOPORTE_TRY_STATUS(Set(*o, *given));
    applied.origins[key] = given->origin;
  }
  return Ok();
}

std::map<std::string, CLI::Option*> KeyMap(CLI::App& cmd) {
  std::map<std::string, CLI::Option*> keys;
  for (CLI::Option* o : KeyOptions(cmd)) keys[ConfigKeyOf(*o)] = o;
  return keys;
}

}  // namespace

Result<AppliedConfig> ApplyConfigText(CLI::App& cmd, std::string_view text, const std::string& name,
                                      const EnvLookup& env) {
  AppliedConfig applied;
  applied.file = name;
  SOPORTE_TRY(file, ParseFile(text, name, KeyMap(cmd)));
  SOPORTE_TRY_STATUS(Fill(cmd, file, env, applied));
  return applied;
}

Result<AppliedConfig> ApplyConfig(CLI::App& cmd, const EnvLookup& env) {
  AppliedConfig applied;
  if (CLI::Option* config = cmd.get_option_no_throw("--config"); config != nullptr) {
    if (config->count() > 0 && !config->results().empty()) {
      applied.file = config->results().back();
    } else if (auto from_env = env("SOPORTE_CONFIG")) {
      applied.file = *from_env;
    }
  }
  std::map<std::string, Given> file;
  if (!applied.file.empty()) {
    std::ifstream in(applied.file, std::ios::binary);
    if (!in) return Fail(ErrorCode::kInvalidArgument, "--config: cannot read " + applied.file);
    std::stringstream text;
    text << in.rdbuf();
    SOPORTE_TRY(parsed, ParseFile(text.str(), applied.file, KeyMap(cmd)));
    file = std::move(parsed);
  }
  SOPORTE_TRY_STATUS(Fill(cmd, file, env, applied));
  return applied;
}

std::string MaskSecret(const CLI::Option& option, const std::string& value) {
  const std::string key = ConfigKeyOf(option);
  if ((key.ends_with("_password") || key.ends_with("_token")) && !IsFileName(option) &&
      !value.empty()) {
    return "****";
  }
  static const std::regex kUserinfo(R"(^([A-Za-z][A-Za-z0-9+.-]*://[^/@:]*):[^/@]*@)");
  return std::regex_replace(value, kUserinfo, "$1:****@", std::regex_constants::format_first_only);
}

std::string EffectiveConfig(CLI::App& cmd, const AppliedConfig& applied) {
  std::ostringstream out;
  out << "# effective configuration (secrets masked); each line says where its value came from\n";
  if (!applied.file.empty()) out << "# file: " << applied.file << "\n";
  for (CLI::Option* o : cmd.get_options()) {
    if (!IsKeyOption(*o)) continue;
    const std::string key = ConfigKeyOf(*o);
    auto origin = applied.origins.find(key);
    std::vector<std::string> raw;
    if (origin != applied.origins.end()) {
      raw = o->results();
    } else if (!o->get_default_str().empty() &&
               !(IsRepeatable(*o) && o->get_default_str() == "[]")) {
      raw = {o->get_default_str()};
    }
    if (raw.empty() && IsNumber(*o) && !IsRepeatable(*o)) {
      out << "# " << key << " = (its default)\n";  // a number whose default was not captured
      continue;
    }
    out << key << " = ";
    if (IsRepeatable(*o)) {
      out << "[";
      for (std::size_t i = 0; i < raw.size(); ++i) out << (i ? ", " : "") << ValueText(*o, raw[i]);
      out << "]";
    } else if (raw.empty()) {
      out << (IsFlag(*o) ? "false" : "\"\"");
    } else {
      out << ValueText(*o, raw.back());
    }
    out << "  # " << (origin == applied.origins.end() ? std::string("default") : origin->second)
        << "\n";
  }
  return out.str();
}

Error Attributed(Error e, const AppliedConfig& applied) {
  if (!e.message.starts_with("--")) return e;
  std::size_t end = 2;
  while (end < e.message.size() &&
         (std::isalnum(static_cast<unsigned char>(e.message[end])) || e.message[end] == '-')) {
    ++end;
  }
  std::string key = e.message.substr(2, end - 2);
  for (char& c : key) {
    if (c == '-') c = '_';
  }
  auto it = applied.origins.find(key);
  if (it == applied.origins.end() || it->second == "command line") return e;
  e.message += " (" + it->second + ": " + key + ")";
  return e;
}

}  // namespace soporte::main
