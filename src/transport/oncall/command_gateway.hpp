// The SMS/voice gateway as a command (`serve --page-command PATH`): each page runs PATH once with
// the page as JSON on its stdin (transport/api/codec/oncall_codec: PageMessageText); exit 0 means
// sent. A command that runs past its timeout is killed (its whole process group) and counts as
// a failure, as does a non-zero exit or a command that cannot start: the paging job retries it.
// stdout and stderr go to /dev/null; the command runs in its own process group. Thread-safe.
#pragma once

#include <chrono>
#include <string>

#include "app/ports/page_gateway.hpp"

namespace soporte::transport::oncall {

class CommandGateway final : public app::PageGateway {
 public:
  CommandGateway(std::string path, std::chrono::milliseconds timeout)
      : path_(std::move(path)), timeout_(timeout) {}

  Status Send(const app::PageMessage& page) override;

 private:
  std::string path_;
  std::chrono::milliseconds timeout_;
};

}  // namespace soporte::transport::oncall
