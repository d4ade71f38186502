// Scheduler: periodic jobs for `soporte serve` (outbox delivery, mail polling, later SLA timers).
// Each job's timer lives on the io_context; when it fires, the job runs on a worker pool (jobs
// block on storage, SMTP, IMAP: never on an io thread), and the next run is planned `period`
// after the previous run ENDED, so a job never overlaps itself. An exception ends that run only
// (caught once per run, reported to the log sink). Stop() cancels the timers; a run in flight
// finishes. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include "app/ports/store.hpp"

namespace soporte::jobs {

using LogFn = std::function<void(const std::string&)>;

// Logs "<what>: <message>" for a job round that failed with `e`, except when the store cannot be
// reached (app::StoreUnreachable): the store logs that outage once, where a line per round of
// every job would bury it, and the job simply runs again on its next round.
inline void LogFailure(const LogFn& log, const std::string& what, const Error& e) {
  if (log && !app::StoreUnreachable(e)) log(what + ": " + e.message);
}

class Scheduler {
 public:
  Scheduler(boost::asio::io_context& ioc, boost::asio::thread_pool& pool, LogFn log);
  ~Scheduler();

  // Runs `fn` every `period`, the first time after `first_delay`.
  void Every(std::string name, std::chrono::milliseconds period, std::function<void()> fn,
             std::chrono::milliseconds first_delay = std::chrono::milliseconds(0));
  // Asks job `name` to run as soon as it is idle (e.g. a reply was just queued). No-op when
  // unknown or stopped.
  void Poke(const std::string& name);
  void Stop();

 private:
  struct Job;
  void Arm(const std::shared_ptr<Job>& job, std::chrono::milliseconds delay);
  void Fire(const std::shared_ptr<Job>& job);

  boost::asio::io_context& ioc_;
  boost::asio::thread_pool& pool_;
  LogFn log_;
  std::mutex mu_;
  std::vector<std::shared_ptr<Job>> jobs_;
  std::shared_ptr<std::atomic<bool>> stopped_ = std::make_shared<std::atomic<bool>>(false);
};

}  // namespace soporte::jobs
