// A small Prometheus registry: counters and histograms with labels, and gauges and counters read
// through a callback at scrape time. No global state: one instance is built in main/ and passed to the
// HttpServer and to whoever registers gauges. Render() writes text exposition format 0.0.4.
// Hot path: a series is created once (mutex) and then updated with relaxed atomics only.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace soporte::transport::http {

class Metrics {
 public:
  // A monotonically increasing count. Thread-safe, lock-free.
  class Counter {
   public:
    void Increment(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

   private:
    std::atomic<std::uint64_t> value_{0};
  };

  // Cumulative buckets + sum + count. Observe() is thread-safe and lock-free.
  class Histogram {
   public:
    explicit Histogram(const std::vector<double>* bounds);
    void Observe(double value);
    // Snapshot helpers for Render() and tests; non-cumulative count of bucket `i`
    // (i == bounds.size() is the +Inf overflow bucket).
    std::uint64_t bucket(std::size_t i) const { return buckets_[i].load(std::memory_order_relaxed); }
    std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
    double sum() const { return sum_.load(std::memory_order_relaxed); }
    const std::vector<double>& bounds() const { return *bounds_; }

   private:
    const std::vector<double>* bounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;
    std::atomic<std::uint64_t> count_{0};
    std::atomic<double> sum_{0.0};
  };

  class Family;  // defined in metrics.cpp

  // A counter or histogram family: one series per label-value tuple.
  // WithLabels() returns the series for `values` (one per label name, in order), creating it on
  // first use; the reference stays valid for the registry's lifetime, so callers on a hot path
  // look it up once and keep it. Aborts if the number of values differs from the label names.
  // Thread-safe (a short mutex); allocates only when the series is new.
  class CounterFamily {
   public:
    Counter& WithLabels(std::initializer_list<std::string_view> values);
    Counter& WithLabels(const std::vector<std::string>& values);
    Family* impl;
  };
  class HistogramFamily {
   public:
    Histogram& WithLabels(std::initializer_list<std::string_view> values);
    Histogram& WithLabels(const std::vector<std::string>& values);
    Family* impl;
  };

  struct GaugeSample {
    std::vector<std::pair<std::string, std::string>> labels;  // (name, value)
    double value = 0;
  };
  // Called at scrape time on the thread calling Render(); must not call back into the registry.
  using GaugeReader = std::function<std::vector<GaugeSample>()>;
  // The same for a counter kept elsewhere (e.g. the store's write statistics): the reader returns
  // totals since start, which must never decrease.
  using CounterReader = GaugeReader;

  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Register a family. `name` and label names must be valid Prometheus names
  // ([a-zA-Z_:][a-zA-Z0-9_:]*); registering the same name again with the same kind returns the
  // existing family; a different kind or an invalid name aborts (a wiring bug). Thread-safe.
  CounterFamily AddCounter(std::string name, std::string help, std::vector<std::string> labels);
  HistogramFamily AddHistogram(std::string name, std::string help,
                               std::vector<std::string> labels, std::vector<double> bounds);
  void AddGauge(std::string name, std::string help, GaugeReader reader);
  // A counter family whose samples `reader` returns at scrape time (`# TYPE name counter`).
  // Its name should end in `_total`. Registering the name twice aborts, as for gauges.
  void AddCounter(std::string name, std::string help, CounterReader reader);

  // The whole registry in text format 0.0.4, families in registration order, series sorted by
  // label values. Calls the gauge readers (outside the registry mutex). Thread-safe.
  std::string Render() const;

  // .001 .0025 .005 .01 .025 .05 .1 .25 .5 1 2.5 5 10 (seconds).
  static std::vector<double> LatencyBuckets();

 private:
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Family>> families_;
};

}  // namespace soporte::transport::http
