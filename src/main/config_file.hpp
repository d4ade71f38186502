// The configuration of a command beyond its command line: a TOML file (`--config FILE`, toml++)
// and the environment. The keys are the command's own CLI11 option table: every long option is a
// key with dashes as underscores (`--smtp-url` → `smtp_url`) and an environment variable
// SOPORTE_<KEY> (`SOPORTE_SMTP_URL`), so a new option is a key without a second list to keep.
// Precedence: command line, then environment, then file, then the option's default.
// `KEY_file` (and SOPORTE_<KEY>_FILE) reads the value from a file (a secret kept out of the
// configuration and of `ps`): its text without the trailing newline; one value a line for a
// repeatable option. A secret file readable by every user is refused.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "common/result.hpp"

namespace soporte::main {

// The value of an environment variable, or nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// EnvLookup over the process environment (std::getenv).
EnvLookup ProcessEnvironment();

// Where each option not left at its default got its value: "command line", "environment
// SOPORTE_X", "FILE:LINE" (a key of the file). Keyed by configuration key.
struct AppliedConfig {
  std::string file;  // the configuration file read ("" when none)
  std::map<std::string, std::string> origins;
};

// The configuration key of `option`: its first long name with dashes as underscores; "" for an
// option without one (then it is not a key).
std::string ConfigKeyOf(const CLI::Option& option);

// Completes the options of `cmd` (already parsed from the command line) from the environment
// (`env`) and from the file named by its `--config` option (or SOPORTE_CONFIG), and runs each
// filled option's callback so its bound variable takes the value. `--config` and `--help` are not
// keys. Fails with kInvalidArgument, naming the file, the line and the key, on a TOML syntax
// error, an unknown key, a value of the wrong type (a flag takes true/false, a number option a
// number, a repeatable option an array or one value), a value the option refuses, a key given
// both as KEY and KEY_file, or an unreadable or world-readable secret file; an environment
// variable's error names the variable. Not thread-safe (mutates `cmd`).
Result<AppliedConfig> ApplyConfig(CLI::App& cmd, const EnvLookup& env);

// ApplyConfig with `text` as the file's content and `name` as its name in errors and origins (the
// `--config` option is not read). For tests and the fuzz target.
Result<AppliedConfig> ApplyConfigText(CLI::App& cmd, std::string_view text, const std::string& name,
                                      const EnvLookup& env);

// `value` with its secrets masked for printing: the password of a URL's userinfo
// (`imap://agente:****@host/`), and the whole value of a key ending in `_password` or `_token`
// that is not a file name (its option's text is FILE or PATH).
std::string MaskSecret(const CLI::Option& option, const std::string& value);

// The effective configuration of `cmd` after ApplyConfig, as TOML a file could hold: one
// `key = value  # origin` line per key, in the option table's order, secrets masked (MaskSecret).
std::string EffectiveConfig(CLI::App& cmd, const AppliedConfig& applied);

// `e` with where its option was set appended when the message begins with an option's name
// ("--sla-warning-percent must be …") and that option came from the file or the environment:
// "… (soporte.toml:7: sla_warning_percent)". Other errors are returned as they are.
Error Attributed(Error e, const AppliedConfig& applied);

}  // namespace soporte::main
