#include "transport/oncall/command_gateway.hpp"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>
#include <vector>

#include "transport/api/codec/oncall_codec.hpp"

extern char** environ;

namespace soporte::transport::oncall {
namespace {

// An unlinked temporary file holding `text`, positioned at its start; -1 on failure.
int TextFile(const std::string& text) {
  char name[] = "/tmp/soporte-page-XXXXXX";
  const int fd = ::mkstemp(name);
  if (fd < 0) return -1;
  ::unlink(name);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return -1;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::lseek(fd, 0, SEEK_SET) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

Status CommandGateway::Send(const app::PageMessage& page) {
  // The page goes in through a file, not a pipe: a command that never reads its stdin cannot
  // block us, and its early exit cannot raise SIGPIPE here.
  const int in = TextFile(api::codec::PageMessageText(page));
  if (in < 0) return Fail(ErrorCode::kUnavailable, "page command: cannot write its input");
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_adddup2(&actions, in, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> argv{const_cast<char*>(path_.c_str()), nullptr};
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, path_.c_str(), &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(in);
  if (rc != 0) {
    return Fail(ErrorCode::kUnavailable,
                "page command: cannot start " + path_ + ": " + ::strerror(rc));
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  int status = 0;
  while (true) {
    const pid_t w = ::waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (w < 0 && errno != EINTR) {
      return Fail(ErrorCode::kUnavailable,
                  std::string("page command: waitpid: ") + ::strerror(errno));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(-pid, SIGKILL);  // the command and whatever it started
      ::kill(pid, SIGKILL);
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      return Fail(
          ErrorCode::kUnavailable,
          "page command: killed after " +
              std::to_string(std::chrono::duration_cast<std::chrono::seconds>(timeout_).count()) +
              " s without finishing");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Ok();
  if (WIFEXITED(status)) {
    return Fail(ErrorCode::kUnavailable,
                "page command: exit status " + std::to_string(WEXITSTATUS(status)));
  }
  return Fail(ErrorCode::kUnavailable,
              "page command: ended by signal " + std::to_string(WTERMSIG(status)));
}

}  // namespace soporte::transport::oncall
