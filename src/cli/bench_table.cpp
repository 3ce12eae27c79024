#include "cli/bench_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>

namespace concur::cli {

void finish_ratios(std::vector<BenchGroup>& groups) {
  for (auto& g : groups) {
    if (g.rows.empty()) continue;
    double base = g.rows.front().seconds;
    for (auto& r : g.rows) r.ratio = base > 0 ? r.seconds / base : 0;
  }
}

std::string format_duration(double s) {
  if (s < 1e-6) return fmt::format("{:.0f} ns", s * 1e9);
  if (s < 1e-3) return fmt::format("{:.1f} us", s * 1e6);
  if (s < 1) return fmt::format("{:.2f} ms", s * 1e3);
  return fmt::format("{:.2f} s", s);
}

std::string format_rate(double seconds_per_item) {
  if (seconds_per_item <= 0) return "-";
  double rate = 1 / seconds_per_item;
  if (rate >= 1e6) return fmt::format("{:.2f} M/s", rate / 1e6);
  if (rate >= 1e3) return fmt::format("{:.0f} k/s", rate / 1e3);
  return fmt::format("{:.0f} /s", rate);
}

std::string format_table(const std::vector<BenchGroup>& groups) {
  std::size_t width = 0;
  for (const auto& g : groups)
    for (const auto& r : g.rows) width = std::max(width, r.name.size());
  std::string text = fmt::format("  {:<{}}  {:>10}  {:>9}  {}\n", "", width, "per op", "x base", "taken as");
  for (const auto& g : groups) {
    text += "\n" + g.title + "\n";
    for (const auto& r : g.rows) {
      std::string value = r.as_rate ? format_rate(r.seconds) : format_duration(r.seconds);
      std::string ratio = &r == &g.rows.front() ? "baseline" : fmt::format("{:.2f}x", r.ratio);
      text += fmt::format("  {:<{}}  {:>10}  {:>9}  {}\n", r.name, width, value, ratio, r.stat);
      text += fmt::format("  {:<{}}  -> {}\n", "", width, r.note);
    }
  }
  return text;
}

nlohmann::json to_json(const std::vector<BenchGroup>& groups) {
  nlohmann::json all = nlohmann::json::array();
  for (const auto& g : groups) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& r : g.rows)
      rows.push_back({{"name", r.name},
                      {"seconds_per_op", r.seconds},
                      {"ratio", r.ratio},
                      {"baseline", &r == &g.rows.front()},
                      {"stat", r.stat},
                      {"note", r.note}});
    all.push_back({{"group", g.title}, {"rows", rows}});
  }
  return all;
}

double best_of(std::vector<double> samples) { return *std::min_element(samples.begin(), samples.end()); }

double median_of(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  std::size_t n = samples.size();
  return n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
}

}  // namespace concur::cli
