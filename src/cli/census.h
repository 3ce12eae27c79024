// The census of `concur demo NAME --runs N`: what N runs of a demo came to, as terminal bar
// charts with counts and percentages.
//
// Each run adds its check's outcomes (demo.h: "final x" = 1261, "dinner" = "deadlocked",
// "meals eaten" by "1st" = 7) and whether its check held. A demo that names no outcome is
// counted by its whole output: how many different outputs the runs printed, and how often
// each. Facets come out in the order the first run named them; within a facet, whole
// numbers are sorted (and grouped into ten ranges when there are more than twelve), other
// values come in order of count, the twelve most common shown.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "cli/demo_options.h"
#include "demos/demo.h"

namespace concur::cli {

class Census {
 public:
  // Counts one run: its seed, its check (with outcomes) and its standard output.
  void add(std::uint64_t seed, const demos::Check& check, const std::string& output);

  // Prints every facet's chart, bars scaled to fit `width` columns.
  void print(std::ostream& out, int width) const;

  int runs() const { return runs_; }
  int held() const { return held_; }

 private:
  struct Facet {
    std::string name;
    std::vector<std::string> order;  // values in order of first appearance
    std::map<std::string, long long> counts;
    void add(const std::string& value, long long count);
  };
  Facet& facet(const std::string& name);

  std::vector<Facet> facets_;
  std::map<std::string, std::pair<int, std::uint64_t>> outputs_;  // output -> (label number, first seed)
  int runs_ = 0;
  int held_ = 0;
};

// `concur demo NAME --runs N`: runs the demo N times with seeds settings.seed, +1, ...,
// quietly (deterministic runs side by side in worker processes: census_runs.h), then prints
// the census. Returns 0 if every run's check held, 1 if not, or the
// code of a run that was stopped (the census of the runs before it is printed first).
int run_census(const demos::Demo& demo, const DemoSettings& settings, std::ostream& out, std::ostream& err);

}  // namespace concur::cli
