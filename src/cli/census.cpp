#include "cli/census.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "cli/app.h"
#include "cli/census_runs.h"
#include "core/runtime.h"

namespace concur::cli {

namespace {

constexpr std::size_t kMaxRows = 12;
constexpr long long kRanges = 10;

bool whole_number(const std::string& text, long long& value) {
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && ec == std::errc() && p == text.data() + text.size();
}

struct CensusRow {
  std::string label;
  long long count;
};

// Whole numbers in ascending order, in ten ranges when there are too many to list.
std::vector<CensusRow> numeric_rows(const std::map<long long, long long>& by_value) {
  std::vector<CensusRow> rows;
  if (by_value.size() <= kMaxRows) {
    for (auto [value, count] : by_value) rows.push_back({std::to_string(value), count});
    return rows;
  }
  long long lo = by_value.begin()->first, hi = by_value.rbegin()->first;
  long long step = (hi - lo + kRanges) / kRanges;  // ceil((hi - lo + 1) / kRanges)
  for (long long start = lo; start <= hi; start += step) {
    long long end = std::min(hi, start + step - 1), count = 0;
    for (auto it = by_value.lower_bound(start); it != by_value.end() && it->first <= end; ++it) count += it->second;
    rows.push_back({fmt::format("{}-{}", start, end), count});
  }
  return rows;
}

}  // namespace

void Census::Facet::add(const std::string& value, long long count) {
  if (!counts.count(value)) order.push_back(value);
  counts[value] += count;
}

Census::Facet& Census::facet(const std::string& name) {
  for (Facet& f : facets_)
    if (f.name == name) return f;
  facets_.push_back({name, {}, {}});
  return facets_.back();
}

void Census::add(std::uint64_t seed, const demos::Check& check, const std::string& output) {
  ++runs_;
  held_ += check.held ? 1 : 0;
  for (const auto& o : check.outcomes) facet(o.facet).add(o.value, o.count);
  if (check.outcomes.empty()) {
    auto [it, fresh] = outputs_.try_emplace(output, static_cast<int>(outputs_.size()) + 1, seed);
    facet("different outputs").add(fmt::format("output #{} (first with seed {})", it->second.first, it->second.second), 1);
    (void)fresh;
  }
  facet("check").add(check.held ? "held" : "failed", 1);
}

void Census::print(std::ostream& out, int width) const {
  for (const Facet& f : facets_) {
    // The rows: numbers in order (or ranges), other values by count
    std::vector<CensusRow> rows;
    std::map<long long, long long> by_value;
    long long number = 0, total = 0;
    bool numeric = true;
    for (const auto& value : f.order) {
      total += f.counts.at(value);
      if (whole_number(value, number))
        by_value[number] += f.counts.at(value);
      else
        numeric = false;
    }
    if (numeric) {
      rows = numeric_rows(by_value);
    } else {
      for (const auto& value : f.order) rows.push_back({value, f.counts.at(value)});
      std::stable_sort(rows.begin(), rows.end(), [](const CensusRow& a, const CensusRow& b) { return a.count > b.count; });
      if (rows.size() > kMaxRows) {
        long long rest = 0;
        for (std::size_t i = kMaxRows; i < rows.size(); ++i) rest += rows[i].count;
        std::size_t others = rows.size() - kMaxRows;
        rows.resize(kMaxRows);
        rows.push_back({fmt::format("({} other value{})", others, others == 1 ? "" : "s"), rest});
      }
    }

    // The chart: label, bar scaled to the largest count, count, percentage
    std::size_t label_width = 0, count_width = 1;
    long long most = 1;
    for (const CensusRow& r : rows) {
      label_width = std::max(label_width, r.label.size());
      count_width = std::max(count_width, std::to_string(r.count).size());
      most = std::max(most, r.count);
    }
    int bar_width = std::clamp(width - static_cast<int>(label_width + count_width) - 14, 10, 50);
    out << fmt::format("{}: {} counted over {} run{}\n", f.name, total, runs_, runs_ == 1 ? "" : "s");
    for (const CensusRow& r : rows) {
      auto bar = static_cast<std::size_t>(std::lround(static_cast<double>(r.count) * bar_width / most));
      if (r.count > 0 && bar == 0) bar = 1;
      out << fmt::format("  {:<{}}  {:<{}}  {:>{}}  {:5.1f}%\n", r.label, label_width, std::string(bar, '#'),
                         bar_width, r.count, count_width, total ? 100.0 * r.count / total : 0.0);
    }
    out << "\n";
  }
}

int run_census(const demos::Demo& demo, const DemoSettings& settings, std::ostream& out, std::ostream& err) {
  Census census;
  int code = kExitOk;
  std::uint64_t last = settings.run.seed;
  bool stopped = false;
  bool loops_cut = false;
  for (const CensusRun& run : census_runs(demo, settings, census_workers(settings), err, stopped)) {
    loops_cut = loops_cut || run.loops_cut;
    if (run.code >= kExitWatchdog) {  // stopped: report what was counted, and why it ended
      err << run.errors;
      code = run.code;
      break;
    }
    census.add(run.seed, run.check, run.output);
    last = run.seed;
  }
  if (stopped && code == kExitOk) {  // stopped while the runs were in worker processes
    err << "concur: " << stop_word(runtime().cancel_reason()) << "\n";
    code = exit_code(runtime().cancel_reason());
  }

  // The census
  std::string variant = demo.variants.size() > 1 ? " --variant " + settings.context.variant : "";
  std::string how = settings.run.deterministic ? "deterministic"
                                           : fmt::format("real threads, time scale {:g}", settings.run.time_scale);
  if (loops_cut) how += fmt::format(", loops cut to {}", demos::Context::kShortLoop);
  out << fmt::format("Census of {} run{} of {}{} ({}), seeds {}..{}:\n\n", census.runs(),
                     census.runs() == 1 ? "" : "s", demo.name, variant, how, settings.run.seed, last);
  const char* columns = std::getenv("COLUMNS");
  int width = columns ? std::atoi(columns) : 80;
  census.print(out, width > 20 ? width : 80);
  out << fmt::format("The check held in {} of {} runs.\n", census.held(), census.runs());
  if (code != kExitOk) return code;
  return census.held() == census.runs() ? kExitOk : kExitCheckFailed;
}

}  // namespace concur::cli
