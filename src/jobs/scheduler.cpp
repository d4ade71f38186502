#include "jobs/scheduler.hpp"

#include <exception>

#include <boost/asio/post.hpp>

namespace soporte::jobs {

namespace asio = boost::asio;

struct Scheduler::Job {
  Job(asio::io_context& ioc, std::string n, std::chrono::milliseconds p, std::function<void()> f)
      : name(std::move(n)), period(p), fn(std::move(f)), timer(ioc) {}
  std::string name;
  std::chrono::milliseconds period;
  std::function<void()> fn;
  asio::steady_timer timer;  // touched on the io_context only
  std::atomic<bool> running{false};
  std::atomic<bool> poked{false};
};

Scheduler::Scheduler(asio::io_context& ioc, asio::thread_pool& pool, LogFn log)
    : ioc_(ioc), pool_(pool), log_(std::move(log)) {}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Every(std::string name, std::chrono::milliseconds period, std::function<void()> fn,
                      std::chrono::milliseconds first_delay) {
  auto job = std::make_shared<Job>(ioc_, std::move(name), period, std::move(fn));
  {
    std::lock_guard lock(mu_);
    jobs_.push_back(job);
  }
  asio::post(ioc_, [this, job, first_delay] { Arm(job, first_delay); });
}

void Scheduler::Arm(const std::shared_ptr<Job>& job, std::chrono::milliseconds delay) {
  if (*stopped_) return;
  job->timer.expires_after(delay);
  job->timer.async_wait([this, job, stopped = stopped_](const boost::system::error_code& ec) {
    if (ec || *stopped) return;
    Fire(job);
  });
}

void Scheduler::Fire(const std::shared_ptr<Job>& job) {
  if (job->running.exchange(true)) return;
  job->poked = false;
  asio::post(pool_, [this, job, stopped = stopped_] {
    try {
      job->fn();
    } catch (const std::exception& e) {
      if (log_) log_("job " + job->name + " failed: " + e.what());
    } catch (...) {
      if (log_) log_("job " + job->name + " failed");
    }
    job->running = false;
    if (*stopped) return;
    const bool again = job->poked.exchange(false);
    asio::post(ioc_, [this, job, again, stopped] {
      if (!*stopped) Arm(job, again ? std::chrono::milliseconds(0) : job->period);
    });
  });
}

void Scheduler::Poke(const std::string& name) {
  std::shared_ptr<Job> job;
  {
    std::lock_guard lock(mu_);
    for (auto& j : jobs_) {
      if (j->name == name) job = j;
    }
  }
  if (!job || *stopped_) return;
  if (job->running) {
    job->poked = true;  // run again right after the current run
    return;
  }
  asio::post(ioc_, [this, job, stopped = stopped_] {
    if (*stopped) return;
    job->timer.cancel();
    Fire(job);
  });
}

void Scheduler::Stop() {
  if (stopped_->exchange(true)) return;
  std::vector<std::shared_ptr<Job>> jobs;
  {
    std::lock_guard lock(mu_);
    jobs = jobs_;
  }
  // Timers are cancelled on the io_context (their only thread); if it no longer runs they are
  // destroyed with the jobs.
  asio::post(ioc_, [jobs] {
    for (auto& j : jobs) j->timer.cancel();
  });
}

}  // namespace soporte::jobs
