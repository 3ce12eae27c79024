// What a demo is: the entry in the demo table, and what its run functions get and return.
//
// The table (table.cpp) lists every demo in lecture order with its variants, options and
// lecture sections; `list`, `check`, `explain` and `source` all read that one table, and it
// is also the dispatch: each Variant holds its run function, `Check (*)(const Context&)`,
// which re-enacts that lecture program with the core (src/core/concur.h) and returns the
// check it ends with. A demo file exports one run function per variant (demos.h), named
// run_DEMO_VARIANT; variants that share their code call one function with a parameter.
#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace concur::demos {

// What the CLI passes to a demo: the chosen variant and the demo's own options.
struct Context {
  std::string variant;  // the chosen variant's name, for labels: its run function is the dispatch
  std::map<std::string, long long> ints;      // from the entry's int_options
  std::map<std::string, std::string> choices;  // from the entry's choice_options
  // A --deterministic run (every lock operation, print and yield point a scheduling
  // decision) that is one of many: `--runs` and `check` cut a loop the lecture runs 100000
  // times to 1000 (loops() below) and take an option's deterministic_default, so that a
  // census of a thousand runs takes seconds; what it shows is the same. A single
  // --deterministic run or --step keeps the lecture's counts. `loops_cut` is set when a
  // loop was cut, for the census's and check's lines to say so.
  bool deterministic = false;
  bool short_loops = false;
  mutable bool loops_cut = false;
  static constexpr long long kShortLoop = 1000;
  long long loops(long long lecture_count) const {
    if (!short_loops || lecture_count <= kShortLoop) return lecture_count;
    loops_cut = true;
    return kShortLoop;
  }
  std::map<std::string, bool> flags;          // from the entry's flag_options
  long long integer(const std::string& name) const { return ints.at(name); }
  bool flag(const std::string& name) const { return flags.at(name); }
  const std::string& choice(const std::string& name) const { return choices.at(name); }
};

// One thing a run came to, for the census of `--runs N`: `count` more of `value` under
// `facet` ("final x" = "1261"; "meals eaten" = "1st", 7 times).
struct Outcome {
  std::string facet;
  std::string value;
  long long count = 1;
};

// The demo's closing check: did what it teaches hold on this run?
struct Check {
  bool held;
  std::string message;  // one line, e.g. "consumer logged every item (10/10)"
  std::vector<Outcome> outcomes = {};  // what --runs counts; empty: the census groups whole outputs
};

using RunFn = Check (*)(const Context&);

struct Variant {
  std::string name;
  std::string summary;
  RunFn run;  // re-enacts this variant's lecture program and returns its check
  std::string watch = "";  // this variant's "Watch:" line, when the demo's does not fit it
  std::string not_deterministic = "";  // why --deterministic cannot run it; empty: it can
  // The finest time scale its lesson survives, when --fast's is too fast for it to show: a
  // lesson about threads sleeping side by side needs lecture seconds longer than the
  // 10-40 ms a loaded machine can take to start a thread. `check` and `--fast` run it
  // there (--fast says so on the Watch: line). 0: kFastScale, as every other.
  double check_time_scale = 0;
};

// A demo-specific integer option, `--NAME N`, validated to [min, max].
struct IntOption {
  std::string name;
  std::string help;
  long long default_value;
  long long min;
  long long max;
  long long deterministic_default = 0;  // the default in a census or check under --deterministic, when not 0
  std::vector<std::string> variants = {};  // the variants that read it; empty: every variant
  std::string flag = "";  // the switch it belongs to: read only when --FLAG is on (see replaces_run)
  // The value `concur check` runs with, when not 0: a smaller count that shows the same
  // lesson and keeps the check of every demo quick (gil's countdown). 0: the default.
  long long check_value = 0;
  // Its value is how many lecture seconds the run lasts (philosophers' --duration): the one
  // length a demo knows in advance, shown as progress in --live's header.
  bool lecture_length = false;
};

// A demo-specific switch, `--NAME`.
struct FlagOption {
  std::string name;
  std::string help;
  std::string watch = "";  // the "Watch:" line when the switch is on, if it changes what to watch
  std::vector<std::string> variants = {};  // the variants that read it; empty: every variant
  // On, the switch runs something of its own instead of the variant's threads (race
  // --explore counts schedules; the variant's run function reads the switch): of the
  // demo's options it reads only those whose `flag` names it, and the views of running
  // threads (--runs, --step, --narrate, --timeline, --trace) are refused with it.
  bool replaces_run = false;
};

// A demo-specific option with a fixed set of values, `--NAME VALUE`; the first is default.
struct ChoiceOption {
  std::string name;
  std::string help;
  std::vector<std::string> values;
  std::map<std::string, std::string> not_deterministic = {};  // value -> why --deterministic cannot run it
  std::vector<std::string> variants = {};  // the variants that read it; empty: every variant
  std::string flag = "";  // the switch it belongs to: read only when --FLAG is on (see replaces_run)
};

// A lecture section a demo re-enacts: the seed document and the section's title.
struct Section {
  std::string seed;   // "001"
  std::string title;  // "Implementing semaphore"
};

struct Demo {
  std::string name;
  std::string summary;             // one line for `list`
  std::string watch;               // the "Watch:" line: what to look for
  std::vector<Variant> variants;   // the first is the default
  std::vector<Section> sections;
  std::vector<IntOption> int_options = {};
  std::vector<ChoiceOption> choice_options = {};
  std::vector<FlagOption> flag_options = {};
  // Why --deterministic cannot run this demo (it starts processes, or measures real time);
  // empty when it can. Variants and choice values may refuse on their own.
  std::string not_deterministic = "";

  // The variant named `name`. The CLI accepts only names in the table, so any other is a
  // bug: std::out_of_range.
  const Variant& variant(const std::string& name) const;
};

// The demo table, in lecture order.
const std::vector<Demo>& table();
// The entry named `name`, or nullptr.
const Demo* find(const std::string& name);

// A demo's C++ source and its explanation (demos/explain/NAME.md), embedded at build time;
// empty if there is none.
std::string source_of(const std::string& name);
std::string explanation_of(const std::string& name);

}  // namespace concur::demos
