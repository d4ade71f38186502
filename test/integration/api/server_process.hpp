// Runs the real `soporte` binary for the integration tests: the data commands (init, org,
// contract, user, token) as short-lived children, and `soporte serve` on 127.0.0.1 port 0 as a
// long-lived child whose port is read from its "listening on" line. Each test owns a temporary
// data directory (mkdtemp), removed when the test ends. Nothing here sleeps: waits are
// bounded polls on the child's pipes and exit status.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace soporte::test {

// Path of the soporte binary under test (SOPORTE_BIN from CMake).
const char* SoporteBinary();

struct CommandResult {
  int exit_code = -1;  // the child's exit status; 128+N when killed by signal N
  std::string out;
  std::string err;
  std::string Describe() const;  // "exit N; stdout …; stderr …" for assertion messages
};

// Runs `soporte args...` with `stdin_text` on its standard input and waits for it (at most
// 120 s; then SIGKILL and an exception). Thread-compatible; call from the test's main thread.
CommandResult RunSoporte(const std::vector<std::string>& args, const std::string& stdin_text = {});

// A fresh temporary directory (mkdtemp under $TMPDIR or /tmp), removed recursively on
// destruction. Move-only.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A soporte data directory filled through the CLI. Every method runs one command, fails the
// test (gtest fatal failure via exception) when it exits non-zero, and returns what it printed.
class DataDir {
 public:
  // Creates the temporary directory and runs `soporte init --data DIR/data`.
  DataDir();
  const std::string& path() const { return data_; }

  void AddOrg(const std::string& slug, const std::string& name);
  // Returns the new contract's id. valid_from "" keeps the CLI default (today).
  std::int64_t AddContract(const std::string& org, const std::string& modality,
                           const std::string& valid_from = "2026-01-01");
  // Returns the new user's id. org "" for staff.
  std::int64_t AddUser(const std::string& email, const std::string& name, const std::string& role,
                       const std::string& org, const std::string& password, bool org_admin = false);
  // Returns the API token (printed once by the CLI).
  std::string CreateToken(const std::string& email);
  // Runs `soporte mail ingest` with the RFC 5322 `message` on stdin; returns what it printed
  // (a ticket number, or "unassigned N" for mail kept for staff).
  std::string IngestMail(const std::string& message);

 private:
  std::string Run(const std::vector<std::string>& args, const std::string& stdin_text = {});
  TempDir dir_;
  std::string data_;
};

// `soporte serve --data DIR --listen 127.0.0.1:0 --fast-password-hashing [extra...]` (extra may
// name another --listen, e.g. 0.0.0.0:0; the port is read from the "listening on" line).
class ServerProcess {
 public:
  // Starts the server and waits (bounded, 60 s) for its "listening on http://127.0.0.1:PORT"
  // line. Throws std::runtime_error with the server's output when it exits or never listens.
  // `stderr_path`: when set, the server's standard error goes to that file (created or
  // truncated) instead of the test's, so a test can read what the server logged.
  static ServerProcess Start(const std::string& data_dir, const std::vector<std::string>& extra = {},
                             const std::string& stderr_path = {});

  ServerProcess(ServerProcess&& other) noexcept;
  ServerProcess& operator=(ServerProcess&&) = delete;
  // Stops a still-running server with SIGTERM (then SIGKILL past the deadline).
  ~ServerProcess();

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }

  // SIGTERM, then waits up to `seconds` for a clean exit; SIGKILL after that. Returns the exit
  // status (0 for a clean shutdown; non-zero e.g. when ASan reported a leak at exit), or
  // 128+signal when it had to be killed. Everything it printed after the "listening" line is
  // appended to `output()`.
  int Stop(int seconds = 30);
  // SIGKILL now and reap it (the crash test). Returns 128+9.
  int Kill();
  const std::string& output() const { return output_; }

 private:
  ServerProcess() = default;
  int Reap(int seconds);
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::uint16_t port_ = 0;
  std::string output_;
};

}  // namespace soporte::test
