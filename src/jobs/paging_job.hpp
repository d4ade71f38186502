// The paging job of `soporte serve`, thin over app/oncall/paging: each run escalates the
// unacknowledged pages whose time has come, then hands due deliveries to the gateway command
// (when one is configured). Failures are reported to the log; the rows stay due and the next
// run retries them (nothing is lost across restarts: the rows are the truth).
#pragma once

#include "app/oncall/paging.hpp"
#include "app/ports/page_gateway.hpp"
#include "jobs/scheduler.hpp"

namespace soporte::jobs {

class PagingJob {
 public:
  // `gateway` may be null (no --page-command: pages go by mail only).
  PagingJob(app::Paging& paging, app::PageGateway* gateway, LogFn log)
      : paging_(paging), gateway_(gateway), log_(std::move(log)) {}
  void Run();

 private:
  app::Paging& paging_;
  app::PageGateway* gateway_;
  LogFn log_;
};

}  // namespace soporte::jobs
