#include "transport/http/metrics.hpp"

#include <map>
#include <sstream>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace soporte::transport::http {
namespace {

// A minimal text-format 0.0.4 line checker: returns sample name+labels → value, and fails the
// test on any line that is neither a HELP/TYPE comment nor `name{k="v",...} value`.
std::map<std::string, std::string> ParseExposition(const std::string& text) {
  std::map<std::string, std::string> samples;
  std::istringstream in(text);
  std::string line;
  EXPECT_TRUE(text.empty() || text.back() == '\n');
  while (std::getline(in, line)) {
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
      if (line.starts_with("# TYPE ")) {
        const std::string type = line.substr(line.rfind(' ') + 1);
        EXPECT_TRUE(type == "counter" || type == "gauge" || type == "histogram") << line;
      }
      continue;
    }
    std::size_t i = 0;
    auto name_char = [](char c, bool first) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
             (!first && c >= '0' && c <= '9');
    };
    while (i < line.size() && name_char(line[i], i == 0)) ++i;
    EXPECT_GT(i, 0u) << line;
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        std::size_t k = i;
        while (i < line.size() && name_char(line[i], i == k)) ++i;
        EXPECT_GT(i, k) << line;
        EXPECT_EQ(line.substr(i, 2), "=\"") << line;
        i += 2;
        while (i < line.size() && line[i] != '"') i += line[i] == '\\' ? 2 : 1;
        ++i;  // closing quote
        if (i < line.size() && line[i] == ',') ++i;
      }
      EXPECT_LT(i, line.size()) << line;
      ++i;  // '}'
    }
    EXPECT_EQ(line[i], ' ') << line;
    const std::string value = line.substr(i + 1);
    char* end = nullptr;
    std::strtod(value.c_str(), &end);
    EXPECT_TRUE(*end == '\0' || value == "+Inf" || value == "NaN") << line;
    samples[line.substr(0, i)] = value;
  }
  return samples;
}

TEST(MetricsTest, CountersHistogramsAndGaugesRenderAndParse) {
  Metrics m;
  auto requests = m.AddCounter("soporte_http_requests_total", "HTTP requests", {"route", "method", "status"});
  auto latency = m.AddHistogram("soporte_http_request_duration_seconds", "Latency", {"route"},
                                Metrics::LatencyBuckets());
  requests.WithLabels({"/api/v1/tickets/{number}", "GET", "200"}).Increment();
  requests.WithLabels({"/api/v1/tickets/{number}", "GET", "200"}).Increment(2);
  requests.WithLabels({"weird \"route\"\n", "POST", "500"}).Increment();
  auto& h = latency.WithLabels({"/x"});
  h.Observe(0.0007);
  h.Observe(0.003);
  h.Observe(20);
  m.AddGauge("soporte_open_tickets", "Open tickets by criticality", [] {
    return std::vector<Metrics::GaugeSample>{{{{"criticality", "critical"}}, 3}, {{{"criticality", "low"}}, 7}};
  });
  const std::string text = m.Render();
  auto s = ParseExposition(text);
  EXPECT_EQ(s["soporte_http_requests_total{route=\"/api/v1/tickets/{number}\",method=\"GET\",status=\"200\"}"], "3");
  EXPECT_EQ(s["soporte_http_requests_total{route=\"weird \\\"route\\\"\\n\",method=\"POST\",status=\"500\"}"], "1");
  EXPECT_EQ(s["soporte_http_request_duration_seconds_bucket{route=\"/x\",le=\"0.001\"}"], "1");
  EXPECT_EQ(s["soporte_http_request_duration_seconds_bucket{route=\"/x\",le=\"0.005\"}"], "2");
  EXPECT_EQ(s["soporte_http_request_duration_seconds_bucket{route=\"/x\",le=\"10\"}"], "2");
  EXPECT_EQ(s["soporte_http_request_duration_seconds_bucket{route=\"/x\",le=\"+Inf\"}"], "3");
  EXPECT_EQ(s["soporte_http_request_duration_seconds_count{route=\"/x\"}"], "3");
  EXPECT_EQ(s["soporte_open_tickets{criticality=\"critical\"}"], "3");
  EXPECT_NE(text.find("# TYPE soporte_http_request_duration_seconds histogram\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE soporte_open_tickets gauge\n"), std::string::npos);
}

TEST(MetricsTest, CounterReadAtScrapeTimeIsDeclaredACounter) {
  Metrics m;
  std::uint64_t writes = 5, batches = 2;
  m.AddCounter("soporte_store_writes_total", "Write calls and transactions", [&] {
    return std::vector<Metrics::GaugeSample>{{{{"unit", "calls"}}, static_cast<double>(writes)},
                                             {{{"unit", "transactions"}}, static_cast<double>(batches)}};
  });
  std::string text = m.Render();
  EXPECT_NE(text.find("# TYPE soporte_store_writes_total counter\n"), std::string::npos) << text;
  EXPECT_EQ(text.find(" gauge\n"), std::string::npos) << text;
  EXPECT_EQ(ParseExposition(text)["soporte_store_writes_total{unit=\"calls\"}"], "5");
  writes = 9;  // read again at every scrape
  text = m.Render();
  EXPECT_EQ(ParseExposition(text)["soporte_store_writes_total{unit=\"calls\"}"], "9");
  EXPECT_EQ(ParseExposition(text)["soporte_store_writes_total{unit=\"transactions\"}"], "2");
}

TEST(MetricsTest, SeriesReferencesAreStableAndCountsExactUnderContention) {
  Metrics m;
  auto c = m.AddCounter("hits_total", "hits", {"who"});
  auto again = m.AddCounter("hits_total", "hits", {"who"});  // same family
  EXPECT_EQ(c.impl, again.impl);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10000; ++i) c.WithLabels({t % 2 ? "a" : "b"}).Increment();
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(&c.WithLabels({"a"}), &again.WithLabels({"a"}));
  EXPECT_EQ(c.WithLabels({"a"}).value(), 20000u);
  EXPECT_EQ(c.WithLabels({"b"}).value(), 20000u);
}

}  // namespace
}  // namespace soporte::transport::http
