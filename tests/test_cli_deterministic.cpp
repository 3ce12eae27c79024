// Deterministic runs from the command line: `--deterministic` (the same seed prints the
// same bytes, sleeps cost no real time, demos that cannot run so are refused), `--runs N`
// (the census of N runs), `check --deterministic`, explain's "Deterministic runs:" note,
// and `--step` through the real binary (CONCUR_BINARY) with its answers on a pipe, as a
// scripted session would give them.
#include <functional>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "binary_fixture.h"
#include "cli/demo_options.h"
#include "cli/usage_error.h"
#include "demos/demo.h"
#include "cli_fixture.h"
#include "proc_files.h"

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using namespace concur::testing;  // the fixtures

namespace {

// `text` with every run of white space made one space: wrapped prose, searchable.
std::string one_line(const std::string& text) {
  return std::regex_replace(text, std::regex(R"(\s+)"), " ");
}

// How often `needle` occurs in `text`.
std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// A usage error: exit 2, nothing on stdout, one line on stderr.
::testing::AssertionResult refused_as_usage(const CliResult& r) {
  if (r.code != 2) return ::testing::AssertionFailure() << "exit " << r.code << "; stderr: " << r.err;
  if (!r.out.empty()) return ::testing::AssertionFailure() << "stdout: " << r.out;
  if (lines_of(r.err).size() != 1) return ::testing::AssertionFailure() << "stderr is not one line: " << r.err;
  return ::testing::AssertionSuccess();
}

// One bar of a census chart: label, bar, count, percentage.
struct Bar {
  std::string label;
  long long count;
  double percent;
};

// The bars of the census facet `name` ("final x"), in order.
std::vector<Bar> bars_of(const std::string& census, const std::string& name) {
  static const std::regex kBar(R"(  (.+?)  +#* *  +(\d+)  +(\d+\.\d)%)");
  std::vector<Bar> bars;
  bool inside = false;
  std::smatch m;
  for (const auto& line : lines_of(census)) {
    if (line.starts_with(name + ": ")) {
      inside = true;
    } else if (inside && std::regex_match(line, m, kBar)) {
      bars.push_back({m[1], std::stoll(m[2]), std::stod(m[3])});
    } else if (inside) {
      break;
    }
  }
  return bars;
}

// --- --step through the real binary, its answers on a pipe ---

constexpr const char* kPromptEnd = "q = stop: ";  // what ends every --step menu

// What `concur ARGS...` printed, with `answers` on its stdin (then closed).
Ran run_with_answers(const std::vector<std::string>& args, const std::string& answers) {
  Child concur(args, {.input = Stdin::kPipe});
  concur.answer(answers);
  concur.end_input();
  int code = run_binary(concur, 10);
  return {code, concur.out(), concur.err()};
}

// One thread offered at a --step prompt.
struct Offer {
  bool seeds_choice;
  std::size_t index;
  std::string thread;
  std::string doing;
};

std::vector<Offer> offers_in(const std::string& menu) {
  static const std::regex kOffer(R"( ([ *]) \[(\d+)\] (.+?)  +(.*))");
  std::vector<Offer> offers;
  std::smatch m;
  for (const auto& line : lines_of(menu))
    if (std::regex_match(line, m, kOffer)) offers.push_back({m[1] == "*", std::stoul(m[2]), m[3], m[4]});
  return offers;
}

// Plays a --step session, answering each prompt with `pick(offers)`; returns the run.
Ran play(const std::vector<std::string>& args, const std::function<std::size_t(const std::vector<Offer>&)>& pick) {
  Child concur(args, {.input = Stdin::kPipe});
  bool readable = true;
  concur.answer_prompts(
      kPromptEnd,
      [&](const std::string& menu) -> std::optional<std::string> {
        auto offers = offers_in(menu);
        readable = offers.size() >= 2;
        if (!readable) return std::nullopt;
        return std::to_string(pick(offers)) + "\n";
      },
      5);
  if (!readable) return {-1, concur.out(), concur.err() + "\n(unreadable menu)"};
  concur.end_input();
  int code = run_binary(concur, 5);
  return {code, concur.out(), concur.err()};
}

// The first offer whose thread is about to do `what`, else the first offer.
std::size_t first_about_to(const std::vector<Offer>& offers, const std::string& what) {
  for (const auto& o : offers)
    if (o.doing == what) return o.index;
  return 0;
}

const std::vector<std::string> kRaceStep = {"demo", "race", "--iterations", "3", "--rounds", "1",
                                            "--step", "--seed", "4", "--color", "never"};
const std::vector<std::string> kRaceDeterministic = {"demo", "race", "--iterations", "3", "--rounds", "1",
                                                     "--deterministic", "--seed", "4", "--color", "never"};

}  // namespace

// --- --deterministic ---

TEST(CliDeterministicTest, TheSameSeedPrintsTheSameBytesTwiceInOneProcess) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"demo", "semaphore", "--deterministic", "--seed", "5", "--color", "never"},
           {"demo", "philosophers", "--variant", "greedy-generous", "--deterministic", "--seed", "3", "--color",
            "never"}}) {
    CliResult first = run_cli(args);
    CliResult second = run_cli(args);
    ASSERT_EQ(first.code, 0) << args[1] << ": " << first.err;
    EXPECT_THAT(first.out, HasSubstr("check: ok"));
    EXPECT_EQ(first.out, second.out) << args[1];
    EXPECT_EQ(first.err, second.err) << args[1];
  }
}

TEST(CliDeterministicTest, SeedsOneAndTwoLoseDifferentUpdatesInTheUnsafeRace) {
  CliResult one = run_cli({"demo", "race", "--deterministic", "--seed", "1", "--color", "never"});
  CliResult two = run_cli({"demo", "race", "--deterministic", "--seed", "2", "--color", "never"});
  ASSERT_EQ(one.code, 0) << one.err;
  ASSERT_EQ(two.code, 0) << two.err;
  EXPECT_TRUE(has_line(one.out, R"(x = \d+ after Iteration 0.*)")) << one.out;
  EXPECT_NE(one.out, two.out);
}

// What validate() says of `demo --variant VARIANT --deterministic`: its usage error, or ""
// if it accepts it.
namespace {
std::string deterministic_refusal(const concur::demos::Demo& demo, const std::string& variant) {
  concur::cli::DemoOptions opts;
  opts.deterministic = true;
  opts.variant = variant;
  try {
    concur::cli::validate(demo, opts);
  } catch (const concur::cli::UsageError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

// Every variant of the table runs deterministically now; the refusal stays for a demo that
// cannot (a stand-in here): one line, exit 2, naming the variant and the reason.
TEST(CliDeterministicTest, AVariantThatCannotRunDeterministicallyIsRefusedWithOneLine) {
  concur::demos::Demo demo{.name = "stand-in",
                           .summary = "a demo for the CLI's tests",
                           .watch = "nothing much.",
                           .variants = {{"first", "runs", nullptr},
                                        {.name = "second", .summary = "does not", .run = nullptr,
                                         .not_deterministic = "it talks to the world in real time"}},
                           .sections = {}};
  EXPECT_EQ(deterministic_refusal(demo, "second"),
            "--deterministic: stand-in --variant second cannot run deterministically: it talks to the world in "
            "real time");
  EXPECT_EQ(deterministic_refusal(demo, "first"), "");
}

// A refusal of the whole demo does not name the default variant, as if another might do.
TEST(CliDeterministicTest, RefusingAWholeDemoDoesNotNameAVariant) {
  concur::demos::Demo demo{.name = "stand-in",
                           .summary = "a demo for the CLI's tests",
                           .watch = "nothing much.",
                           .variants = {{"first", "one", nullptr}, {"second", "two", nullptr}},
                           .sections = {},
                           .not_deterministic = "it starts a process in real time"};
  EXPECT_EQ(deterministic_refusal(demo, "first"),
            "--deterministic: stand-in cannot run deterministically: it starts a process in real time");
}

// The socket demos: the server accepts and serves on fibers in turn with the demo's threads
// and processes, on the virtual clock, so a seed gives the same bytes every time.
TEST(CliDeterministicTest, TheSocketDemosPrintTheSameBytesForTheSameSeed) {
  prepare_process_demos();
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"demo", "hybrid", "--deterministic", "--seed", "7", "--color", "never"},
           {"demo", "pool", "--variant", "fetch", "--deterministic", "--seed", "7", "--color", "never"},
           {"demo", "pool", "--variant", "fetch", "--executor", "process", "--deterministic", "--seed", "7",
            "--color", "never"},
           {"demo", "async", "--variant", "fetch", "--deterministic", "--seed", "7", "--color", "never"}}) {
    std::string what = args[1] + " " + args[3];
    CliResult one = run_cli(args);
    CliResult two = run_cli(args);
    ASSERT_EQ(one.code, 0) << what << one.out << one.err;
    ASSERT_EQ(two.code, 0) << what << two.out << two.err;
    EXPECT_EQ(one.out, two.out) << what;
    EXPECT_EQ(one.err, two.err) << what;
    EXPECT_TRUE(has_line(one.out, "check: ok - .*")) << what << one.out;
  }
}

// In pool's and async's fetch the pages' latencies alone order the lines; in hybrid the
// seed decides how the two downloads' and the factorial's lines interleave.
TEST(CliDeterministicTest, HybridsLinesInterleaveDifferentlyUnderDifferentSeeds) {
  prepare_process_demos();
  std::set<std::string> outputs;
  for (int seed = 1; seed <= 6; ++seed) {
    CliResult r = run_cli({"demo", "hybrid", "--deterministic", "--seed", std::to_string(seed), "--color", "never"});
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_TRUE(has_line(r.out, "All tasks completed.")) << r.out;
    outputs.insert(r.out);
  }
  EXPECT_GE(outputs.size(), 2u);
}

// The made-up domain is answered without a lookup (which would leave the run's control),
// as the resolver answers for it.
TEST(CliDeterministicTest, TheProxyAnswersTheMadeUpDomainWithoutALookup) {
  CliResult r = run_cli({"demo", "pool", "--variant", "fetch", "--deterministic", "--color", "never"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_TRUE(has_line(r.out, "'http://some-made-up-domain.com/' generated an exception: <urlopen error \\[Errno -2\\] "
                              "Name or service not known>"))
      << r.out;
}

TEST(CliDeterministicTest, ThirtyLectureSecondsOfPhilosophersTakeUnderARealSecond) {
  auto start = Clock::now();
  CliResult r = run_cli({"demo", "philosophers", "--variant", "ordered", "--deterministic", "--seed", "1", "--color",
                         "never"});
  double real = seconds_since(start);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_LT(real, 1.0);
  EXPECT_TRUE(has_line(r.out, R"(Meals: 1st \d+, 2nd \d+, 3rd \d+, 4th \d+, 5th \d+)")) << r.out;
  EXPECT_THAT(r.out, HasSubstr("check: ok - no deadlock"));
}

TEST(CliDeterministicTest, SleepsEndExactlyOnTheVirtualClock) {
  // Ten rounds of a 3 s producer: log lines from 19:21:19 to 19:21:49, to the millisecond
  CliResult semaphore = run_cli({"demo", "semaphore", "--deterministic", "--seed", "5", "--color", "never"});
  ASSERT_EQ(semaphore.code, 0) << semaphore.err;
  std::vector<std::string> logged;
  for (const auto& line : lines_of(semaphore.out))
    if (line.starts_with("2019-")) logged.push_back(line);
  ASSERT_EQ(logged.size(), 30u) << semaphore.out;
  EXPECT_THAT(logged.front(), StartsWith("2019-01-27 19:21:19,000 "));
  EXPECT_THAT(logged.back(), StartsWith("2019-01-27 19:21:49,000 "));
  for (const auto& line : logged) EXPECT_TRUE(std::regex_search(line, std::regex(R"(^\S+ \S+:\d\d,000 )"))) << line;

  // Coffee (2 s) and pastry (3 s): 5 s one after the other, 3 s side by side, exactly
  CliResult coffee = run_cli({"demo", "async", "--variant", "coffee", "--deterministic", "--seed", "1", "--color",
                              "never"});
  ASSERT_EQ(coffee.code, 0) << coffee.err;
  EXPECT_TRUE(has_line(coffee.out, "Total time: 5.0 seconds")) << coffee.out;
  EXPECT_TRUE(has_line(coffee.out, "Total time: 3.0 seconds")) << coffee.out;
  EXPECT_THAT(coffee.out, HasSubstr("synchronous 5.00 s"));
  EXPECT_THAT(coffee.out, HasSubstr("asynchronous 3.00 s"));
}

// --- --runs: the census ---

// (--iterations 20 keeps the twenty runs fast; the census counts the same 5 rounds a run.)
TEST(CensusTest, TwentyRacesCountAHundredRoundsAndTheCheckHoldsInEach) {
  std::vector<std::string> args = {"demo", "race", "--runs", "20", "--deterministic", "--seed", "1",
                                   "--iterations", "20"};
  CliResult r = run_cli(args);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, StartsWith("Census of 20 runs of race --variant unsafe (deterministic), seeds 1..20:\n"));
  EXPECT_TRUE(has_line(r.out, "final x: 100 counted over 20 runs")) << r.out;
  EXPECT_THAT(r.out, EndsWith("\nThe check held in 20 of 20 runs.\n"));

  // The bars add up: 100 rounds, 100 %
  std::vector<Bar> bars = bars_of(r.out, "final x");
  ASSERT_GE(bars.size(), 2u) << r.out;
  long long rounds = 0;
  double percent = 0;
  for (const Bar& b : bars) {
    rounds += b.count;
    percent += b.percent;
  }
  EXPECT_EQ(rounds, 100);
  EXPECT_NEAR(percent, 100.0, 0.5);

  // The census of a deterministic run is itself reproducible
  EXPECT_EQ(run_cli(args).out, r.out);
}

TEST(CensusTest, NaivePhilosophersShowADinnerFacet) {
  CliResult r =
      run_cli({"demo", "philosophers", "--variant", "naive", "--runs", "5", "--deterministic", "--seed", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("Census of 5 runs of philosophers --variant naive (deterministic), seeds 1..5:\n"));
  EXPECT_TRUE(has_line(r.out, "dinner: 5 counted over 5 runs")) << r.out;
  std::vector<Bar> dinner = bars_of(r.out, "dinner");
  ASSERT_FALSE(dinner.empty()) << r.out;
  long long runs = 0;
  for (const Bar& b : dinner) runs += b.count;
  EXPECT_EQ(runs, 5);
}

TEST(CensusTest, ADemoWithoutOutcomesCountsItsDifferentOutputs) {
  CliResult r = run_cli({"demo", "semaphore", "--runs", "4", "--deterministic", "--seed", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has_line(r.out, R"(different outputs: 4 counted over 4 runs)")) << r.out;
  EXPECT_TRUE(has_line(r.out, R"(  output #1 \(first with seed 1\) +#+ +\d+ +\d+\.\d%)")) << r.out;
  EXPECT_THAT(r.out, EndsWith("\nThe check held in 4 of 4 runs.\n"));
}

// Deterministic runs go side by side in worker processes (census_runs.h); the census must
// be the one a loop of runs in this process prints, byte for byte.
TEST(CensusTest, WorkerProcessesCountExactlyWhatOneRunAfterAnotherCounts) {
  for (std::vector<std::string> args : {
           std::vector<std::string>{"demo", "race", "--runs", "12", "--deterministic", "--seed", "3", "--iterations", "20"},
           std::vector<std::string>{"demo", "philosophers", "--variant", "naive", "--runs", "5", "--deterministic",
                                    "--seed", "9"},
           std::vector<std::string>{"demo", "semaphore", "--runs", "4", "--deterministic", "--seed", "2"}}) {
    Child serial(args, {.env = {"CONCUR_CENSUS_WORKERS=1"}});
    Child spread(args, {.env = {"CONCUR_CENSUS_WORKERS=3"}});
    ASSERT_EQ(exit_of(serial.finish(60)), "exit 0") << serial.err();
    ASSERT_EQ(exit_of(spread.finish(60)), "exit 0") << spread.err();
    EXPECT_EQ(spread.out(), serial.out()) << args[1];
    EXPECT_EQ(spread.err(), "");
  }
}

TEST(CensusTest, CtrlCStopsACensusInWorkersWith130AndLeavesNoWorkerBehind) {
#if defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "a ThreadSanitizer build runs the census in one process (census_runs.h)";
#endif
  Child census({"demo", "race", "--runs", "100000", "--deterministic", "--seed", "1"},
               {.env = {"CONCUR_CENSUS_WORKERS=2"}});
  ASSERT_TRUE(census.spawned());
  // Both workers are running once the group holds three processes.
  auto group_size = [&] {
    int n = 0;
    for (const ProcInfo& p : all_processes())
      if (p.pgid == census.pgid() && p.state != 'Z') ++n;
    return n;
  };
  ASSERT_TRUE(census.pump_until([&] { return group_size() >= 3; }, 20)) << census.err();
  census.signal(SIGINT);  // to concur alone: the workers block it, concur must end them
  EXPECT_EQ(exit_of(census.finish(10)), "exit 130") << census.err();
  EXPECT_THAT(census.err(), HasSubstr("concur: interrupted"));
  EXPECT_THAT(census.out(), HasSubstr("Census of "));
  EXPECT_EQ(group_size(), 0);
}

// A single deterministic run keeps the lecture's loop sizes; a census cuts them to 1000 for
// speed and says so in its header.
TEST(CensusTest, ACensusCutsTheLecturesLoopsAndSaysSoWhereOneRunKeepsThem) {
  CliResult one = run_cli({"demo", "lock", "--variant", "with-lock", "--deterministic", "--seed", "1"});
  EXPECT_EQ(one.code, 0) << one.err;
  EXPECT_TRUE(has_line(one.out, "Final Counter: 200000")) << one.out;
  CliResult census = run_cli({"demo", "lock", "--variant", "with-lock", "--runs", "2", "--deterministic", "--seed", "1"});
  EXPECT_EQ(census.code, 0) << census.err;
  EXPECT_THAT(census.out, StartsWith("Census of 2 runs of lock --variant with-lock (deterministic, loops cut to 1000), "
                                    "seeds 1..2:\n"));
  CliResult race = run_cli({"demo", "race", "--runs", "2", "--deterministic", "--seed", "1"});
  EXPECT_THAT(race.out, HasSubstr("(deterministic, loops cut to 1000)")) << "--iterations' census default";
}

TEST(CensusTest, ACountThatIsNotFromOneTo100000IsRefusedWithOneLine) {
  for (const std::string runs : {"0", "-1", "abc", "100001"}) {
    CliResult r = run_cli({"demo", "race", "--deterministic", "--runs", runs});
    EXPECT_TRUE(refused_as_usage(r)) << "--runs " << runs;
    EXPECT_THAT(r.err, HasSubstr("--runs")) << "--runs " << runs;
  }
}

TEST(CensusTest, StepAndRunsTogetherAreRefused) {
  CliResult r = run_cli({"demo", "race", "--runs", "3", "--step"});
  EXPECT_TRUE(refused_as_usage(r));
  EXPECT_THAT(r.err, HasSubstr("--step"));
  EXPECT_THAT(r.err, HasSubstr("--runs"));
}

// --- check --deterministic and explain ---

TEST(CliDeterministicTest, CheckAllDeterministicPassesEveryVariantAndSkipsNone) {
  // How long it takes is measured, not asserted here (README: the time for all variants).
  prepare_process_demos();
  CliResult r = run_cli({"check", "--all", "--deterministic"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;

  std::smatch m;
  std::string last = lines_of(r.out).back();
  static const std::regex kSummary(R"((\d+) passed, 0 failed)");
  ASSERT_TRUE(std::regex_match(last, m, kSummary)) << last;  // no "skipped": processes and sockets run too
  EXPECT_GE(std::stoi(m[1]), 60);
  EXPECT_FALSE(has_line(r.out, "skip .*")) << r.out;
  EXPECT_TRUE(has_line(r.out, R"(ok     pipe:sender +\d+\.\d\d s  .*)")) << r.out;
  EXPECT_TRUE(has_line(r.out, R"(ok     pool:fetch +\d+\.\d\d s  .*)")) << r.out;
  EXPECT_TRUE(has_line(r.out, R"(ok     hybrid:hybrid +\d+\.\d\d s  .*)")) << r.out;
  EXPECT_TRUE(has_line(r.out, R"(ok     async:fetch +\d+\.\d\d s  .*)")) << r.out;
  EXPECT_TRUE(has_line(r.out, R"(ok     race:unsafe +\d+\.\d\d s  .*)")) << r.out;
  EXPECT_FALSE(has_line(r.out, "FAILED.*")) << r.out;
}

TEST(CliDeterministicTest, ExplainSaysWhetherADemoRunsDeterministically) {
  CliResult semaphore = run_cli({"explain", "semaphore"});
  CliResult pipe = run_cli({"explain", "pipe"});
  CliResult hybrid = run_cli({"explain", "hybrid"});
  CliResult pool = run_cli({"explain", "pool"});
  ASSERT_EQ(semaphore.code, 0);
  ASSERT_EQ(pipe.code, 0);
  ASSERT_EQ(hybrid.code, 0);
  ASSERT_EQ(pool.code, 0);
  EXPECT_THAT(semaphore.out, HasSubstr("Deterministic runs: yes"));
  EXPECT_THAT(pipe.out, HasSubstr("Deterministic runs: yes"));
  EXPECT_THAT(hybrid.out, HasSubstr("Deterministic runs: yes"));
  EXPECT_THAT(one_line(pool.out), HasSubstr("Deterministic runs: yes"));
  EXPECT_THAT(one_line(pool.out), Not(HasSubstr("refuses")));
}

// --- --step, through the real binary ---

TEST(StepModeTest, NoAnswersAtAllGiveTheSeedsRun) {
  Ran step = run_with_answers(kRaceStep, "");
  Ran seeded = run_with_answers(kRaceDeterministic, "");
  ASSERT_EQ(step.code, 0) << step.err;
  ASSERT_EQ(seeded.code, 0) << seeded.err;
  EXPECT_EQ(step.out, seeded.out);

  // One prompt, the seed's choice starred, then the seed decides the rest
  EXPECT_THAT(step.err, StartsWith("-- step 1 at 0.00 s: which thread runs next?\n"));
  EXPECT_EQ(count_of(step.err, "-- step "), 1u) << step.err;
  EXPECT_TRUE(has_line(step.err, R"( [ *] \[0\] MainThread +.*)")) << step.err;
  EXPECT_TRUE(has_line(step.err, R"( [ *] \[1\] Thread-1 .*)")) << step.err;
  auto offers = offers_in(step.err);
  ASSERT_EQ(offers.size(), 2u) << step.err;
  std::size_t starred = offers[0].seeds_choice ? 0 : 1;
  EXPECT_NE(offers[0].seeds_choice, offers[1].seeds_choice) << step.err;
  EXPECT_THAT(step.err, HasSubstr(fmt::format("Enter = [{}] (the seed's choice)", starred)));
  EXPECT_THAT(step.err, EndsWith("(end of input: the seed decides the rest)\n"));
}

TEST(StepModeTest, EmptyAnswersTakeTheSeedsChoiceAtEveryStep) {
  Ran seeded = run_with_answers(kRaceDeterministic, "");
  ASSERT_EQ(seeded.code, 0) << seeded.err;

  // More Enters than decisions: every prompt answered, the input never runs out
  Ran enters = run_with_answers(kRaceStep, std::string(1000, '\n'));
  ASSERT_EQ(enters.code, 0) << enters.err;
  EXPECT_EQ(enters.out, seeded.out);
  EXPECT_GT(count_of(enters.err, "-- step "), 3u) << enters.err;
  EXPECT_THAT(enters.err, Not(HasSubstr("end of input")));

  // Three Enters: the fourth prompt finds the end of the input, and the seed goes on
  Ran three = run_with_answers(kRaceStep, "\n\n\n");
  ASSERT_EQ(three.code, 0) << three.err;
  EXPECT_EQ(three.out, seeded.out);
  EXPECT_EQ(count_of(three.err, "-- step "), 4u) << three.err;
  EXPECT_THAT(three.err, HasSubstr("-- step 4 at 0.00 s: which thread runs next?\n"));
  EXPECT_THAT(three.err, EndsWith("(end of input: the seed decides the rest)\n"));
}

TEST(StepModeTest, QStopsTheRunWithExitCode130AndNoCheckLine) {
  Ran r = run_with_answers(kRaceStep, "q\n");
  EXPECT_EQ(r.code, 130) << r.err;
  EXPECT_THAT(r.out, Not(HasSubstr("check:")));
  EXPECT_THAT(r.err, EndsWith("concur: interrupted\n"));
}

// Running the loads first makes both threads read the same x and lose an update; running
// each thread's store right after its load loses none.
TEST(StepModeTest, ChoosingTheThreadsChangesTheRace) {
  std::vector<std::string> args = {"demo", "race", "--iterations", "2", "--rounds", "1", "--step",
                                   "--seed", "1", "--color", "never"};
  Ran loads_first = play(args, [](const auto& offers) { return first_about_to(offers, "x.load"); });
  Ran stores_first = play(args, [](const auto& offers) { return first_about_to(offers, "x.store"); });
  ASSERT_EQ(loads_first.code, 0) << loads_first.err;
  ASSERT_EQ(stores_first.code, 0) << stores_first.err;
  EXPECT_THAT(stores_first.err, Not(HasSubstr("end of input")));
  EXPECT_TRUE(has_line(stores_first.out, "x = 4 after Iteration 0")) << stores_first.out;
  EXPECT_TRUE(has_line(loads_first.out, R"(x = [123] after Iteration 0 \(\d updates? lost\))")) << loads_first.out;
  EXPECT_THAT(loads_first.out, HasSubstr("check: ok"));
  EXPECT_THAT(stores_first.out, HasSubstr("check: ok"));
}

TEST(StepModeTest, AnAnswerThatNamesNoThreadAsksAgainAndTakesTheNextAnswer) {
  std::vector<std::string> args = {"demo", "race", "--iterations", "2", "--rounds", "1", "--step",
                                   "--seed", "1", "--color", "never"};
  Ran nine_then_one = run_with_answers(args, "9\n1\n");
  Ran one = run_with_answers(args, "1\n");
  Ran enter = run_with_answers(args, "\n");
  ASSERT_EQ(nine_then_one.code, 0) << nine_then_one.err;
  EXPECT_THAT(nine_then_one.err, HasSubstr("   no thread [9]; a number from 0 to 1, Enter or q: "));
  // The run went on as if "1" had been the only answer (step 1 offers two threads, the seed picks [0])
  static const std::regex kRetry(R"(9\n   no thread \[9\]; a number from 0 to 1, Enter or q: )");
  std::string without_retry = std::regex_replace(nine_then_one.err, kRetry, "");
  EXPECT_EQ(without_retry, one.err);
  EXPECT_EQ(nine_then_one.out, one.out);
  EXPECT_NE(one.err, enter.err) << "answering [1] should differ from the seed's [0] at step 1";
}

TEST(StepModeTest, StandardInputFromDevNullIsRefused) {
  Ran r = run_binary(kRaceStep, {.input = Stdin::kDevNull}, 10);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(lines_of(r.err).size(), 1u) << r.err;
  EXPECT_THAT(r.err, HasSubstr("--step"));
}

// Every prompt begins its own line, so that a session reads as a transcript: the answer
// (empty for Enter) and a newline end each prompt line, from a pipe as on a terminal.
TEST(StepModeTest, EveryPromptStartsItsOwnLineWhenAnswersComeFromAPipe) {
  Ran r = run_with_answers(kRaceStep, "\n\n1\n");
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_GE(count_of(r.err, "-- step "), 3u) << r.err;
  EXPECT_EQ(count_of(r.err, "-- step "), count_of(r.err, "\n-- step ") + 1) << r.err;  // + the first
  EXPECT_THAT(r.err, Not(HasSubstr("q = stop: -- step")));
}

// The same on a terminal (no echo: the prompt writes the answer): Enter ends the line.
TEST(StepModeTest, EnterOnATerminalEndsThePromptLine) {
  Child concur(kRaceStep, {.input = Stdin::kTerminal});
  ASSERT_TRUE(concur.spawned());
  int asked = 0;
  int answered = concur.answer_prompts(kPromptEnd, [&](const std::string&) { return ++asked < 3 ? "\n" : "q"; }, 5);
  EXPECT_EQ(run_binary(concur, 5), 130) << concur.err();
  ASSERT_EQ(answered, 3) << concur.err();
  EXPECT_THAT(concur.err(), Not(HasSubstr("q = stop: -- step"))) << concur.err();
}

// --- processes in deterministic runs (the turn across processes) ---

// The acceptance list of the deterministic-processes issue: each prints the same bytes on
// two runs with the same seed, and passes its check.
TEST(DeterministicProcessesTest, ProcessDemosPrintTheSameBytesForTheSameSeed) {
  prepare_process_demos();
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"demo", "pipe", "--variant", "bidirectional"},
           {"demo", "mpqueue"},
           {"demo", "manager"},
           {"demo", "shared-memory"},
           {"demo", "pool", "--executor", "process", "--variant", "as-completed"},
           {"demo", "pool", "--variant", "mp-pool"},
           {"demo", "spawn", "--variant", "start"},
           {"demo", "spawn", "--variant", "forkserver"},
           {"demo", "spawn", "--start-method", "forkserver", "--variant", "myfunc"},
           {"demo", "terminate"}}) {
    std::vector<std::string> full = args;
    for (const char* a : {"--deterministic", "--seed", "7", "--color", "never"}) full.push_back(a);
    CliResult one = run_cli(full);
    CliResult two = run_cli(full);
    std::string what = args[1] + (args.size() > 2 ? " " + args.back() : "");
    ASSERT_EQ(one.code, 0) << what << "\n" << one.out << one.err;
    EXPECT_EQ(one.out, two.out) << what;
    EXPECT_THAT(one.out, HasSubstr("check: ok")) << what;
  }
}

// Different seeds, different interleavings of the producer and consumer processes.
TEST(DeterministicProcessesTest, SeedsChooseWhichProcessRunsNext) {
  std::set<std::string> outputs;
  for (const char* seed : {"1", "2", "3", "4"})
    outputs.insert(run_cli({"demo", "mpqueue", "--deterministic", "--seed", seed, "--color", "never"}).out);
  EXPECT_GE(outputs.size(), 2u);
}

// Pids are virtual: the main process is 4200, its children 4300, 4400, ...; a child's
// parent is the main process.
TEST(DeterministicProcessesTest, PidsAreVirtualAndTheSameInEveryRun) {
  CliResult r = run_cli({"demo", "fork", "--deterministic", "--seed", "1", "--color", "never"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(has_line(r.out, "PID of Parent process is :  4200")) << r.out;
  EXPECT_TRUE(has_line(r.out, "PID of Child process is :  4300")) << r.out;
  EXPECT_THAT(r.out, HasSubstr("the child's parent is 4200"));
}

// `yes '' | concur demo pipe --step`: the prompts offer the threads of every process, by
// process and thread name, and Enter at each takes the seed's run.
TEST(DeterministicProcessesTest, StepOffersTheThreadsOfEveryProcessByName) {
  Ran step = run_with_answers({"demo", "pipe", "--step", "--seed", "1", "--color", "never"}, std::string(50, '\n'));
  Ran seeded = run_with_answers({"demo", "pipe", "--deterministic", "--seed", "1", "--color", "never"}, "");
  ASSERT_EQ(step.code, 0) << step.out << step.err;
  ASSERT_EQ(seeded.code, 0) << seeded.err;
  EXPECT_THAT(step.out + step.err, HasSubstr("] Process-1/MainThread  "));
  EXPECT_THAT(step.out + step.err, HasSubstr("] Process-2/MainThread  "));
  std::string lines;
  for (const auto& line : lines_of(step.out))
    if (!line.starts_with("-- step") && !line.starts_with("   ") && !line.starts_with(" * ")) lines += line + "\n";
  EXPECT_THAT(lines, HasSubstr("Received: Hello from sender!"));
  EXPECT_THAT(seeded.out, HasSubstr("Received: Hello from sender!"));
}
