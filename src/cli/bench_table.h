// `concur bench`'s results: rows in groups, each row's cost as a ratio to its group's
// baseline (the group's first row), and the two ways to print them (a table, JSON).
//
// A row holds its cost as real seconds per operation; a throughput row (Queue, Pipe) is
// shown as items per second but its ratio is still cost over the baseline's cost, so that
// in every group "3.0x" means "three times as expensive as the baseline".
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace concur::cli {

struct BenchRow {
  std::string name;        // "Thread (core)"
  double seconds = 0;      // real seconds per operation
  bool as_rate = false;    // show items/s instead of time per op
  std::string stat;        // how `seconds` was taken: "best of 5", "median of 20"
  std::string note;        // one line: what the row shows
  double ratio = 1;        // seconds / the baseline's seconds (set by finish_ratios)
};

struct BenchGroup {
  std::string title;  // "start a worker, then join it"
  std::vector<BenchRow> rows;  // rows[0] is the baseline
};

// Sets every row's ratio to its cost over its group's first row's cost (0 when the
// baseline cost is 0).
void finish_ratios(std::vector<BenchGroup>& groups);

// A duration in the unit that reads best: "23 ns", "41.2 us", "3.10 ms", "1.20 s".
std::string format_duration(double seconds);
// A rate from a cost per item: "4.12 M/s", "812 k/s", "95 /s".
std::string format_rate(double seconds_per_item);

// The table: a header line per group, then per row its name, value, ratio and statistic,
// with the row's note on the next line.
std::string format_table(const std::vector<BenchGroup>& groups);

// The same as JSON: [{"group", "rows": [{"name", "seconds_per_op", "ratio", "stat", "note"}]}].
nlohmann::json to_json(const std::vector<BenchGroup>& groups);

// The best (smallest) and the median of `samples` (which must not be empty).
double best_of(std::vector<double> samples);
double median_of(std::vector<double> samples);

}  // namespace concur::cli
