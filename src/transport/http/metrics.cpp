#include "transport/http/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <fmt/format.h>

#include "common/check.hpp"

namespace soporte::transport::http {

namespace {

enum class Kind { kCounter, kHistogram, kGauge, kCounterReader };

bool ValidName(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// Text format 0.0.4: label values escape \ " and newline; HELP escapes \ and newline.
void AppendEscaped(std::string& out, std::string_view s, bool quote) {
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '"' && quote) out += "\\\"";
    else out += c;
  }
}

void AppendNumber(std::string& out, double v) {
  if (std::isnan(v)) out += "NaN";
  else if (std::isinf(v)) out += v > 0 ? "+Inf" : "-Inf";
  else fmt::format_to(std::back_inserter(out), "{}", v);
}

void AppendLabels(std::string& out, const std::vector<std::string>& names,
                  const std::vector<std::string>& values, std::string_view extra_name = {},
                  std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return;
  out += '{';
  bool first = true;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!first) out += ',';
    first = false;
    out += names[i];
    out += "=\"";
    AppendEscaped(out, values[i], true);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!first) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
}

}  // namespace

Metrics::Histogram::Histogram(const std::vector<double>* bounds)
    : bounds_(bounds), buckets_(new std::atomic<std::uint64_t>[bounds->size() + 1]) {
  for (std::size_t i = 0; i <= bounds->size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Metrics::Histogram::Observe(double value) {
  const auto& b = *bounds_;
  const std::size_t i = static_cast<std::size_t>(std::lower_bound(b.begin(), b.end(), value) - b.begin());
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

class Metrics::Family {
 public:
  Kind kind;
  std::string name;
  std::string help;
  std::vector<std::string> label_names;
  std::vector<double> bounds;  // histograms
  GaugeReader reader;          // gauges and counters read at scrape time

  std::mutex mutex;
  std::map<std::vector<std::string>, std::unique_ptr<Counter>> counters;
  std::map<std::vector<std::string>, std::unique_ptr<Histogram>> histograms;

  template <class Values>
  std::vector<std::string> Key(const Values& values) {
    SOPORTE_CHECK(values.size() == label_names.size());
    std::vector<std::string> key;
    key.reserve(values.size());
    for (const auto& v : values) key.emplace_back(v);
    return key;
  }

  template <class Values>
  Counter& GetCounter(const Values& values) {
    auto key = Key(values);
    std::lock_guard lock(mutex);
    auto& slot = counters[std::move(key)];
    if (!slot) slot = std::make_unique<Counter>();
    return *slot;
  }

  template <class Values>
  Histogram& GetHistogram(const Values& values) {
    auto key = Key(values);
    std::lock_guard lock(mutex);
    auto& slot = histograms[std::move(key)];
    if (!slot) slot = std::make_unique<Histogram>(&bounds);
    return *slot;
  }

  void Render(std::string& out) {
    out += "# HELP ";
    out += name;
    out += ' ';
    AppendEscaped(out, help, false);
    out += "\n# TYPE ";
    out += name;
    out += kind == Kind::kCounter || kind == Kind::kCounterReader ? " counter\n"
           : kind == Kind::kHistogram                            ? " histogram\n"
                                                                 : " gauge\n";
    if (kind == Kind::kGauge || kind == Kind::kCounterReader) {
      for (const GaugeSample& s : reader()) {
        std::vector<std::string> names, values;
        for (const auto& [k, v] : s.labels) {
          if (!ValidName(k)) continue;
          names.push_back(k);
          values.push_back(v);
        }
        out += name;
        AppendLabels(out, names, values);
        out += ' ';
        AppendNumber(out, s.value);
        out += '\n';
      }
      return;
    }
    std::lock_guard lock(mutex);
    if (kind == Kind::kCounter) {
      for (const auto& [values, c] : counters) {
        out += name;
        AppendLabels(out, label_names, values);
        fmt::format_to(std::back_inserter(out), " {}\n", c->value());
      }
      return;
    }
    for (const auto& [values, h] : histograms) {
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i <= bounds.size(); ++i) {
        cumulative += h->bucket(i);
        std::string le;
        if (i == bounds.size()) le = "+Inf";
        else AppendNumber(le, bounds[i]);
        out += name;
        out += "_bucket";
        AppendLabels(out, label_names, values, "le", le);
        fmt::format_to(std::back_inserter(out), " {}\n", cumulative);
      }
      out += name;
      out += "_sum";
      AppendLabels(out, label_names, values);
      out += ' ';
      AppendNumber(out, h->sum());
      out += '\n';
      out += name;
      out += "_count";
      AppendLabels(out, label_names, values);
      // The +Inf bucket and _count agree within one scrape: both are the cumulative total.
      fmt::format_to(std::back_inserter(out), " {}\n", cumulative);
    }
  }
};

Metrics::Counter& Metrics::CounterFamily::WithLabels(std::initializer_list<std::string_view> values) {
  return impl->GetCounter(values);
}
Metrics::Counter& Metrics::CounterFamily::WithLabels(const std::vector<std::string>& values) {
  return impl->GetCounter(values);
}
Metrics::Histogram& Metrics::HistogramFamily::WithLabels(
    std::initializer_list<std::string_view> values) {
  return impl->GetHistogram(values);
}
Metrics::Histogram& Metrics::HistogramFamily::WithLabels(const std::vector<std::string>& values) {
  return impl->GetHistogram(values);
}

Metrics::Metrics() = default;
Metrics::~Metrics() = default;

namespace {

template <class F>
Metrics::Family* FindOrAdd(std::mutex& mutex, std::vector<std::unique_ptr<Metrics::Family>>& families,
                           std::string& name, Kind kind, F&& init) {
  SOPORTE_CHECK(ValidName(name));
  std::lock_guard lock(mutex);
  for (auto& f : families) {
    if (f->name != name) continue;
    SOPORTE_CHECK(f->kind == kind && kind != Kind::kGauge && kind != Kind::kCounterReader);
    return f.get();
  }
  auto f = std::make_unique<Metrics::Family>();
  f->kind = kind;
  f->name = std::move(name);
  init(*f);
  families.push_back(std::move(f));
  return families.back().get();
}

}  // namespace

Metrics::CounterFamily Metrics::AddCounter(std::string name, std::string help,
                                           std::vector<std::string> labels) {
  for (const auto& l : labels) SOPORTE_CHECK(ValidName(l));
  return CounterFamily{FindOrAdd(mutex_, families_, name, Kind::kCounter, [&](Family& f) {
    f.help = std::move(help);
    f.label_names = std::move(labels);
  })};
}

Metrics::HistogramFamily Metrics::AddHistogram(std::string name, std::string help,
                                               std::vector<std::string> labels,
                                               std::vector<double> bounds) {
  for (const auto& l : labels) SOPORTE_CHECK(ValidName(l) && l != "le");
  SOPORTE_CHECK(std::is_sorted(bounds.begin(), bounds.end()));
  return HistogramFamily{FindOrAdd(mutex_, families_, name, Kind::kHistogram, [&](Family& f) {
    f.help = std::move(help);
    f.label_names = std::move(labels);
    f.bounds = std::move(bounds);
  })};
}

void Metrics::AddGauge(std::string name, std::string help, GaugeReader reader) {
  SOPORTE_CHECK(reader != nullptr);
  FindOrAdd(mutex_, families_, name, Kind::kGauge, [&](Family& f) {
    f.help = std::move(help);
    f.reader = std::move(reader);
  });
}

void Metrics::AddCounter(std::string name, std::string help, CounterReader reader) {
  SOPORTE_CHECK(reader != nullptr);
  FindOrAdd(mutex_, families_, name, Kind::kCounterReader, [&](Family& f) {
    f.help = std::move(help);
    f.reader = std::move(reader);
  });
}

std::string Metrics::Render() const {
  std::vector<Family*> snapshot;
  {
    std::lock_guard lock(mutex_);
    for (const auto& f : families_) snapshot.push_back(f.get());
  }
  std::string out;
  out.reserve(4096);
  for (Family* f : snapshot) f->Render(out);
  return out;
}

std::vector<double> Metrics::LatencyBuckets() {
  return {.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10};
}

}  // namespace soporte::transport::http
