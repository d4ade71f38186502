#include "server_process.hpp"

#include <algorithm>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <utility>

namespace soporte::test {
namespace {

using SteadyClock = std::chrono::steady_clock;

// A child that exits before reading its stdin must not kill the test with SIGPIPE.
const bool kSigpipeIgnored = [] {
  ::signal(SIGPIPE, SIG_IGN);
  return true;
}();

int RemainingMs(SteadyClock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

struct Pipe {
  int read = -1, write = -1;
  Pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    read = fds[0];
    write = fds[1];
  }
};

// fork + exec of the soporte binary. The child's stdin/stdout/stderr become the given fds
// (-1 keeps the parent's). Returns the child's pid.
pid_t Spawn(const std::vector<std::string>& args, int in_fd, int out_fd, int err_fd) {
  std::vector<std::string> argv_store;
  argv_store.push_back(SoporteBinary());
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    if (in_fd >= 0) ::dup2(in_fd, 0);
    if (out_fd >= 0) ::dup2(out_fd, 1);
    if (err_fd >= 0) ::dup2(err_fd, 2);
    ::execv(argv[0], argv.data());
    static const char kMsg[] = "exec of the soporte binary failed\n";
    (void)!::write(2, kMsg, sizeof kMsg - 1);
    ::_exit(127);
  }
  return pid;
}

int ExitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

int WaitBlocking(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return ExitCodeOf(status);
}

void SetNonBlocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

// Reads everything available on non-blocking `fd` into `out`; returns false at EOF.
bool Drain(int fd, std::string& out) {
  std::array<char, 8192> buf;
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n > 0) {
      out.append(buf.data(), static_cast<std::size_t>(n));
      continue;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    return errno == EAGAIN;
  }
}

}  // namespace

const char* SoporteBinary() { return SOPORTE_BIN; }

std::string CommandResult::Describe() const {
  return "exit " + std::to_string(exit_code) + "; stdout: " + out + "; stderr: " + err;
}

CommandResult RunSoporte(const std::vector<std::string>& args, const std::string& stdin_text) {
  Pipe in, out, err;
  const pid_t pid = Spawn(args, in.read, out.write, err.write);
  ::close(in.read);
  ::close(out.write);
  ::close(err.write);
  SetNonBlocking(out.read);
  SetNonBlocking(err.read);
  // The inputs are a line or two: far below the pipe buffer, so this never blocks.
  if (!stdin_text.empty() && ::write(in.write, stdin_text.data(), stdin_text.size()) < 0) {
    // The child may have exited already; its status tells the story.
  }
  ::close(in.write);

  CommandResult r;
  const auto deadline = SteadyClock::now() + std::chrono::seconds(120);
  std::array<pollfd, 2> fds{pollfd{out.read, POLLIN, 0}, pollfd{err.read, POLLIN, 0}};
  int open = 2;
  while (open > 0) {
    const int ready = ::poll(fds.data(), fds.size(), RemainingMs(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      ::kill(pid, SIGKILL);
      WaitBlocking(pid);
      ::close(out.read);
      ::close(err.read);
      throw std::runtime_error("soporte " + (args.empty() ? std::string() : args[0]) +
                               " did not finish within 120 s; stdout: " + r.out + "; stderr: " + r.err);
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      if (!Drain(fds[i].fd, i == 0 ? r.out : r.err)) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      }
    }
  }
  r.exit_code = WaitBlocking(pid);
  return r;
}

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string templ = std::string(base && *base ? base : "/tmp") + "/soporte-it-XXXXXX";
  if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
  path_ = templ;
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

TempDir::TempDir(TempDir&& other) noexcept : path_(std::exchange(other.path_, {})) {}

DataDir::DataDir() : data_(dir_.path() + "/data") { Run({"init", "--data", data_}); }

std::string DataDir::Run(const std::vector<std::string>& args, const std::string& stdin_text) {
  CommandResult r = RunSoporte(args, stdin_text);
  if (r.exit_code != 0) {
    std::string cmd;
    for (const auto& a : args) cmd += a + " ";
    throw std::runtime_error("soporte " + cmd + "failed: " + r.Describe());
  }
  // One value on one line: strip the newline.
  while (!r.out.empty() && (r.out.back() == '\n' || r.out.back() == '\r')) r.out.pop_back();
  return r.out;
}

std::string DataDir::IngestMail(const std::string& message) {
  return Run({"mail", "ingest", "--data", data_}, message);
}

void DataDir::AddOrg(const std::string& slug, const std::string& name) {
  Run({"org", "add", "--data", data_, "--slug", slug, "--name", name});
}

std::int64_t DataDir::AddContract(const std::string& org, const std::string& modality,
                                  const std::string& valid_from) {
  std::vector<std::string> args{"contract", "add", "--data", data_, "--org", org, "--modality", modality};
  if (!valid_from.empty()) {
    args.push_back("--valid-from");
    args.push_back(valid_from);
  }
  return std::stoll(Run(args));
}

std::int64_t DataDir::AddUser(const std::string& email, const std::string& name, const std::string& role,
                              const std::string& org, const std::string& password, bool org_admin) {
  std::vector<std::string> args{"user", "add", "--data", data_, "--email", email,
                                "--name", name, "--role", role, "--password-stdin"};
  if (org_admin) args.push_back("--org-admin");
  if (!org.empty()) {
    args.push_back("--org");
    args.push_back(org);
  }
  return std::stoll(Run(args, password + "\n"));
}

std::string DataDir::CreateToken(const std::string& email) {
  return Run({"token", "create", "--data", data_, "--email", email});
}

ServerProcess ServerProcess::Start(const std::string& data_dir, const std::vector<std::string>& extra,
                                   const std::string& stderr_path) {
  std::vector<std::string> args{"serve", "--data", data_dir, "--fast-password-hashing"};
  // --listen 127.0.0.1:0 unless the test chose another address (the client still connects to
  // 127.0.0.1, which reaches a 0.0.0.0 listener too).
  if (std::find(extra.begin(), extra.end(), "--listen") == extra.end()) {
    args.insert(args.end(), {"--listen", "127.0.0.1:0"});
  }
  args.insert(args.end(), extra.begin(), extra.end());
  Pipe out;
  const int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ServerProcess p;
  // stderr stays the test's own, so sanitizer reports land in the test log (unless asked).
  int err_fd = -1;
  if (!stderr_path.empty()) {
    err_fd = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (err_fd < 0) throw std::runtime_error("cannot create " + stderr_path);
  }
  p.pid_ = Spawn(args, devnull, out.write, err_fd);
  if (err_fd >= 0) ::close(err_fd);
  ::close(devnull);
  ::close(out.write);
  p.stdout_fd_ = out.read;
  SetNonBlocking(p.stdout_fd_);

  constexpr std::string_view kPrefix = "listening on http://";
  const auto deadline = SteadyClock::now() + std::chrono::seconds(60);
  for (;;) {
    if (auto at = p.output_.find(kPrefix); at != std::string::npos) {
      const auto eol = p.output_.find('\n', at);
      if (eol != std::string::npos) {
        const auto colon = p.output_.rfind(':', eol);
        p.port_ =
            static_cast<std::uint16_t>(std::stoi(p.output_.substr(colon + 1, eol - colon - 1)));
        p.output_.erase(0, eol + 1);
        return p;
      }
    }
    pollfd pfd{p.stdout_fd_, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, RemainingMs(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      const std::string seen = p.output_;
      p.Kill();
      throw std::runtime_error("soporte serve did not listen within 60 s; it printed: " + seen);
    }
    if (!Drain(p.stdout_fd_, p.output_)) {
      const int code = p.Reap(30);
      throw std::runtime_error("soporte serve exited with " + std::to_string(code) +
                               " before listening; it printed: " + p.output_);
    }
  }
}

ServerProcess::ServerProcess(ServerProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      stdout_fd_(std::exchange(other.stdout_fd_, -1)),
      port_(other.port_),
      output_(std::move(other.output_)) {}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Stop();
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

int ServerProcess::Reap(int seconds) {
  // The child's stdout reaches EOF when it exits: wait for that (bounded), then reap.
  const auto deadline = SteadyClock::now() + std::chrono::seconds(seconds);
  while (stdout_fd_ >= 0) {
    pollfd pfd{stdout_fd_, POLLIN, 0};
    const int ready = ::poll(&pfd, 1, RemainingMs(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      ::kill(pid_, SIGKILL);  // past the deadline
      break;
    }
    if (!Drain(stdout_fd_, output_)) break;
  }
  const int code = WaitBlocking(pid_);
  pid_ = -1;
  if (stdout_fd_ >= 0) {
    ::close(stdout_fd_);
    stdout_fd_ = -1;
  }
  return code;
}

int ServerProcess::Stop(int seconds) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  return Reap(seconds);
}

int ServerProcess::Kill() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGKILL);
  return Reap(30);
}

}  // namespace soporte::test
