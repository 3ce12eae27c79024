// Process hygiene: every process demo, run as the real `concur` binary (CONCUR_BINARY), leaves
// nothing behind — after a clean run, after one of its children is SIGKILLed, after --timeout
// fires, after Ctrl-C, SIGTERM, SIGHUP or SIGQUIT: no process of the run remains, no zombie, no
// new /dev/shm entry. And when concur itself is SIGKILLed, its children die with it: within 1 s
// no process of the run is left.
//
// How a run's processes are found, even after they are re-parented:
//   - the run gets a process group of its own (every Child does); every process it makes
//     inherits it (the core calls neither setsid nor setpgid) and keeps it when orphaned, and a
//     zombie's /proc/PID/stat still shows it. This is the primary key.
//   - a marker in the environment (CONCUR_HYGIENE_MARK=<random>), which fork, posix_spawn
//     (spawn) and the forkserver all pass on: it would catch a process that left the group.
//     /proc/PID/environ is empty for a zombie, hence only the second key.
//   - the test is a child subreaper while it runs (PR_SET_CHILD_SUBREAPER), so an orphan of
//     the run comes back to the test, not to PID 1: the ppid chain to getpid() stays intact,
//     and the test, not an unknown init, reaps whatever outlives `concur`.
// A zombie is a process of the run that was already dead, un-reaped, when `concur` exited:
// `concur` did not wait for its own child. The forkserver is exempt: like Python's it lives as
// long as the program and leaves when the program's end closes its socket.
//
// The process demos are an explicit list (kProcessDemos) filtered by the demo table, so a demo,
// variant or option value not there yet is skipped, not failed.
#include <dirent.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "binary_fixture.h"
#include "cli_fixture.h"
#include "demos/demo.h"
#include "proc_files.h"

namespace {

using namespace concur::testing;  // the fixtures
using ::testing::Contains;
using ::testing::IsEmpty;
using ::testing::Not;

// ---------------------------------------------------------------------------------------------
// What /proc says about the test's processes.

bool descends_from(pid_t pid, pid_t ancestor, const std::map<pid_t, ProcInfo>& by_pid) {
  for (int hops = 0; hops < 64; ++hops) {
    auto it = by_pid.find(pid);
    if (it == by_pid.end() || it->second.ppid <= 1) return false;
    if (it->second.ppid == ancestor) return true;
    pid = it->second.ppid;
  }
  return false;
}

std::set<std::string> shm_entries() {
  std::set<std::string> names;
  if (DIR* d = opendir("/dev/shm")) {
    while (dirent* e = readdir(d))
      if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) names.insert(e->d_name);
    closedir(d);
  }
  return names;
}

// The test's descendants now: baseline, so that a child an earlier in-process test left by
// design (an in-process forkserver) is not blamed on a run.
std::set<pid_t> descendants_of_test() {
  std::map<pid_t, ProcInfo> by_pid;
  for (const auto& p : all_processes()) by_pid[p.pid] = p;
  std::set<pid_t> found;
  for (const auto& [pid, p] : by_pid)
    if (descends_from(pid, getpid(), by_pid)) found.insert(pid);
  return found;
}

// ---------------------------------------------------------------------------------------------
// A running `concur ARGS...` (in a process group of its own, as every Child is) with a marker
// in its environment, which notes every process of its group it sees while the test waits.

// The environment a run gets besides the test's: its marker.
std::vector<std::string> run_environment(const std::string& marker) {
#if defined(__SANITIZE_ADDRESS__)
  // Under AddressSanitizer, concur's exit runs LeakSanitizer, which clones a tracer task
  // as concur's child; the SIGKILL case would find and kill it, and concur would wait for
  // it for ever. These tests are about processes left behind, not leaks (the other CLI
  // tests run the binary with leak checking on).
  return {marker, "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1"};
#else
  return {marker};
#endif
}

class ConcurRun : public Child {
 public:
  ConcurRun(const std::vector<std::string>& args, const std::string& marker, Stdin input = Stdin::kDevNull)
      : Child(args, {.input = input, .env = run_environment(marker)}) {
    while_waiting([this] { watch(); });
  }

  // Every process of the run seen while it ran (concur itself excluded): pid → command line.
  const std::map<pid_t, std::string>& seen() const { return seen_; }
  // The parent each of them had when first seen.
  const std::map<pid_t, pid_t>& first_parent() const { return first_parent_; }

  // A live process of the run other than concur, once one exists; nullopt if the run ends or
  // `seconds` pass first.
  std::optional<pid_t> wait_for_child(double seconds) {
    std::optional<pid_t> child;
    pump_until(
        [&] {
          for (const auto& [pid, cmd] : seen_)
            if (auto p = proc_info(pid); p && p->pgid == pgid() && p->state != 'Z') {
              child = pid;
              return true;
            }
          return false;
        },
        seconds);
    return child;
  }

 private:
  void watch() {
    for (const auto& p : all_processes())
      if (p.pgid == pgid() && p.pid != pid()) {
        // Kept up to date: a process seen between posix_spawn and exec still shows its
        // parent's command line (the forkserver is recognised by its own, after exec); a
        // zombie shows none, so the last one seen stays.
        std::string cmd = cmdline_of(p.pid);
        if (!seen_.contains(p.pid)) first_parent_[p.pid] = p.ppid;
        if (!cmd.empty() || !seen_.contains(p.pid)) seen_[p.pid] = cmd;
      }
  }

  std::map<pid_t, std::string> seen_;
  std::map<pid_t, pid_t> first_parent_;
};

// ---------------------------------------------------------------------------------------------
// The process demos. Add a demo here when it lands; until the table has it, it is skipped.

struct ProcessDemo {
  std::string name;
  std::vector<std::string> variants = {};  // empty: every variant the table lists
  std::vector<std::pair<std::string, std::string>> choices = {};  // --NAME VALUE, skipped if not offered
  std::string each_choice = "";  // run every variant once per value of this choice option
};

const std::vector<ProcessDemo> kProcessDemos = {
    {"fork"},
    {"spawn", {}, {}, "start-method"},
    {"process-name"},
    {"daemon-process"},
    {"terminate"},
    {"pipe"},
    {"mpqueue"},
    {"shared-memory"},
    {"manager"},
    {"gil", {"processes", "compare"}, {{"count", "2000000"}}},
    {"pool", {}, {{"executor", "process"}}},
    {"pool", {"mp-pool"}},
    {"hybrid"},
    {"csp"},
};

// One run of a demo: `demo NAME --variant V ARGS...`.
struct DemoRun {
  std::string name;
  std::string variant;
  std::vector<std::string> args;
  std::string label() const {
    std::string s = name + " --variant " + variant;
    for (const auto& a : args) s += " " + a;
    return s;
  }
};

bool offers_choice(const concur::demos::Demo& demo, const std::string& option, const std::string& value) {
  for (const auto& c : demo.choice_options)
    if (c.name == option) return value.empty() || std::ranges::find(c.values, value) != c.values.end();
  for (const auto& i : demo.int_options)
    if (i.name == option) return true;
  return false;
}

bool has_variant(const concur::demos::Demo& demo, const std::string& variant) {
  return std::ranges::any_of(demo.variants, [&](const auto& v) { return v.name == variant; });
}

// Whether `variant` reads choice option `option` (the CLI refuses it where it does not).
bool reads_choice(const concur::demos::Demo& demo, const std::string& option, const std::string& variant) {
  for (const auto& c : demo.choice_options)
    if (c.name == option) return c.variants.empty() || std::ranges::find(c.variants, variant) != c.variants.end();
  return false;
}

// Every (demo, variant, option value) of kProcessDemos the table offers today.
std::vector<DemoRun> process_demo_runs() {
  std::vector<DemoRun> runs;
  for (const auto& pd : kProcessDemos) {
    const concur::demos::Demo* demo = concur::demos::find(pd.name);
    if (!demo) continue;
    std::vector<std::string> args;
    bool offered = true;
    for (const auto& [option, value] : pd.choices) {
      offered = offered && offers_choice(*demo, option, value);
      args.insert(args.end(), {"--" + option, value});
    }
    if (!offered) continue;
    std::vector<std::string> variants = pd.variants;
    if (variants.empty())
      for (const auto& v : demo->variants) variants.push_back(v.name);
    std::vector<std::string> values = {""};
    if (!pd.each_choice.empty())
      for (const auto& c : demo->choice_options)
        if (c.name == pd.each_choice) values = c.values;
    for (const auto& variant : variants) {
      if (!has_variant(*demo, variant)) continue;
      auto read = [&](const auto& c) { return reads_choice(*demo, c.first, variant); };
      if (!std::ranges::all_of(pd.choices, read)) continue;
      if (!pd.each_choice.empty() && !reads_choice(*demo, pd.each_choice, variant)) {
        runs.push_back({pd.name, variant, args});  // once: it has no use for the option
        continue;
      }
      for (const auto& value : values) {
        DemoRun r{pd.name, variant, args};
        if (!value.empty()) r.args.insert(r.args.end(), {"--" + pd.each_choice, value});
        runs.push_back(r);
      }
    }
  }
  return runs;
}

// A run of a demo for the stop cases, if the table offers it.
std::optional<DemoRun> offered(const DemoRun& r) {
  const concur::demos::Demo* demo = concur::demos::find(r.name);
  if (!demo || !has_variant(*demo, r.variant)) return std::nullopt;
  for (std::size_t i = 0; i + 1 < r.args.size(); i += 2)
    if (r.args[i] != "--time-scale" && r.args[i] != "--timeout" && r.args[i] != "--fast" &&
        !offers_choice(*demo, r.args[i].substr(2), r.args[i + 1]))
      return std::nullopt;
  return r;
}

// ---------------------------------------------------------------------------------------------
// The fixture: a subreaper for the test's duration, and the check after each run.

class HygieneTest : public ::testing::Test {
 protected:
  void SetUp() override {
    was_subreaper_ = 0;
    prctl(PR_GET_CHILD_SUBREAPER, &was_subreaper_);
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    std::random_device rd;
    marker_ = "CONCUR_HYGIENE_MARK=" + std::to_string(getpid()) + "-" + std::to_string(rd()) + "-";
  }
  void TearDown() override { prctl(PR_SET_CHILD_SUBREAPER, was_subreaper_); }

  // Starts `concur demo ...` for `r` with flags appended, noting what exists before.
  std::unique_ptr<ConcurRun> start(const DemoRun& r, const std::vector<std::string>& flags,
                                   Stdin input = Stdin::kDevNull) {
    std::vector<std::string> args = {"demo", r.name, "--variant", r.variant, "--seed", "1", "--color", "never"};
    args.insert(args.end(), r.args.begin(), r.args.end());
    args.insert(args.end(), flags.begin(), flags.end());
    shm_before_ = shm_entries();
    descendants_before_ = descendants_of_test();
    return std::make_unique<ConcurRun>(args, marker_ + std::to_string(++runs_), input);
  }

  // After `run` ended (or hung): nothing of it is left. Kills and reaps whatever is, so that the
  // next run starts clean, and says what it was.
  ::testing::AssertionResult left_nothing(ConcurRun& run) {
    std::ostringstream problems;

    // Zombies at concur's exit: children concur did not reap (the forkserver is exempt).
    for (const auto& p : all_processes())
      if (p.pgid == run.pgid() && p.pid != run.pid() && p.state == 'Z') {
        std::string cmd = run.seen().contains(p.pid) ? run.seen().at(p.pid) : "?";
        // A grandchild (a forkserver's child killed with its server) was never concur's to
        // reap: the kernel hands it to the nearest subreaper (here the test) or init.
        auto parent = run.first_parent().find(p.pid);
        bool grandchild = parent != run.first_parent().end() && parent->second != run.pid();
        if (cmd.find("__forkserver") == std::string::npos && !grandchild)
          problems << "  zombie at concur's exit (not reaped by concur): pid " << p.pid << " ppid " << p.ppid
                   << " [" << cmd << "]\n";
      }

    // Grace: what outlives concur may take a moment to go (the forkserver sees EOF and leaves).
    // The test, as subreaper, reaps what the run left to it.
    std::vector<ProcInfo> left;
    auto start = Clock::now();
    while (true) {
      left = reap_and_list_left(run);
      if (left.empty() || seconds_since(start) > 2.0) break;
      usleep(10000);
    }
    for (const auto& p : left) {
      std::string cmd = cmdline_of(p.pid);
      if (cmd.empty() && run.seen().contains(p.pid)) cmd = run.seen().at(p.pid);
      problems << "  left running 2 s after concur ended: pid " << p.pid << " ppid " << p.ppid << " pgid " << p.pgid
               << " state " << p.state << " [" << cmd << "]\n";
    }
    // Clean up: only processes of this run (its group or its marker).
    for (const auto& p : left) kill(p.pid, SIGKILL);
    kill(-run.pgid(), SIGKILL);
    // ...and reap what comes back to the test as their parents die (concur included).
    for (auto reaping = Clock::now(); !left.empty() && seconds_since(reaping) < 2.0; usleep(5000)) {
      bool any = false;
      for (const auto& p : all_processes())
        if (p.pgid == run.pgid() || run.seen().contains(p.pid)) {
          any = true;
          if (p.ppid == getpid()) waitpid(p.pid, nullptr, WNOHANG);
        }
      if (!any) break;
    }

    // No zombie child of the test: only concur was the test's, and it has been reaped.
    siginfo_t info{};
    if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid != 0)
      problems << "  a zombie child of the test: pid " << info.si_pid << "\n";

    for (const auto& name : shm_entries())
      if (!shm_before_.contains(name)) problems << "  new /dev/shm entry: " << name << "\n";

    if (problems.str().empty()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "the run left:\n" << problems.str() << "processes seen during the run:\n"
                                         << seen_list(run);
  }

  // The processes of `run` still there — in its group, with its marker, or new descendants of
  // the test — once the test has reaped those of the group that came back to it as zombies.
  std::vector<ProcInfo> reap_and_list_left(const ConcurRun& run) {
    std::string marker = marker_ + std::to_string(runs_);
    for (const auto& p : all_processes())
      if (p.ppid == getpid() && p.pgid == run.pgid() && p.state == 'Z') waitpid(p.pid, nullptr, WNOHANG);
    std::vector<ProcInfo> found;
    std::map<pid_t, ProcInfo> by_pid;
    for (const auto& p : all_processes()) by_pid[p.pid] = p;
    for (const auto& [pid, p] : by_pid) {
      if (pid == getpid()) continue;
      bool new_descendant = descends_from(pid, getpid(), by_pid) && !descendants_before_.contains(pid);
      if (p.pgid == run.pgid() || has_marker(pid, marker) || new_descendant) found.push_back(p);
    }
    return found;
  }

  static std::string seen_list(const ConcurRun& run) {
    std::ostringstream s;
    for (const auto& [pid, cmd] : run.seen()) s << "  " << pid << " [" << cmd << "]\n";
    return s.str();
  }

  // Sends `sig` in each lasting stop case, children alive, to concur alone (as `kill -SIG`:
  // the children are not signalled) or to the run's whole group (as a terminal's Ctrl-C):
  // concur stops the run and exits 128 + `sig`, leaving nothing (defined after the stop cases).
  enum class To { kConcurAlone, kTheGroup };
  void signal_mid_run(int sig, To to);

  int was_subreaper_ = 0;
  std::string marker_;
  int runs_ = 0;
  std::set<std::string> shm_before_;
  std::set<pid_t> descendants_before_;
};

// The stop cases run a few representative demos slowed down (--time-scale) so that they are
// still running, with children alive, when the test stops them.
// `lasts`: the demo sleeps lecture seconds, so it is surely still running when stopped; the
// others are over in milliseconds: only the SIGKILL case runs them, killing a child if it can.
struct StopCase {
  DemoRun run;
  bool lasts = true;
};

const std::vector<StopCase> kStopCases = {
    {{"mpqueue", "producer-consumer", {}}},
    {{"shared-memory", "value-array", {}}},
    {{"daemon-process", "hello", {}}},
    {{"terminate", "loop", {}}},
    {{"pipe", "sender", {}}, false},
    {{"spawn", "myfunc", {"--start-method", "forkserver"}}, false},
    {{"spawn", "start", {"--start-method", "spawn"}}, false},
    {{"manager", "", {}}, false},
    {{"pool", "", {"--executor", "process"}}, false},
};

std::vector<StopCase> stop_cases(bool lasting_only) {
  std::vector<StopCase> cases;
  for (StopCase c : kStopCases) {
    if (lasting_only && !c.lasts) continue;
    if (c.run.variant.empty()) {  // the demo's default variant, once it exists
      const concur::demos::Demo* demo = concur::demos::find(c.run.name);
      if (!demo) continue;
      c.run.variant = demo->variants.front().name;
    }
    if (auto o = offered(c.run)) cases.push_back({*o, c.lasts});
  }
  return cases;
}

// The SIGKILL-of-concur case runs every process demo once at lecture speed (--time-scale 1): a
// variant whose children sleep or count long enough to be caught alive (`lasts`) where the demo
// has one. The others' children live milliseconds at any scale: concur is killed at the first
// child the test sees, if it sees one, and the run is checked all the same.
const std::vector<StopCase> kSigkillCases = {
    {{"fork", "fork", {}}, false},
    {{"spawn", "myfunc", {"--start-method", "spawn"}}, false},
    {{"spawn", "myfunc", {"--start-method", "fork"}}, false},
    {{"spawn", "forkserver", {}}, false},
    {{"process-name", "naming", {}}},
    {{"daemon-process", "hello", {}}},
    {{"terminate", "loop", {}}},
    {{"pipe", "sender", {}}, false},
    {{"mpqueue", "producer-consumer", {}}},
    {{"shared-memory", "value-array", {}}},
    {{"manager", "records", {}}, false},
    {{"gil", "processes", {"--count", "200000000"}}},  // two children counting 1e8 each, not sleeping
    {{"pool", "future", {"--executor", "process"}}},
    {{"pool", "as-completed", {"--executor", "process"}}},
    {{"pool", "mp-pool", {}}, false},
    {{"hybrid", "hybrid", {}}, false},
    {{"csp", "parallel", {}}},
};

// " pid (ppid P, state S) [command line]" of each of `processes`, for a failure message.
std::string describe(const std::vector<ProcInfo>& processes, const ConcurRun& run) {
  std::ostringstream s;
  for (const auto& p : processes) {
    std::string cmd = cmdline_of(p.pid);
    if (cmd.empty() && run.seen().contains(p.pid)) cmd = run.seen().at(p.pid);
    s << " " << p.pid << " (ppid " << p.ppid << ", state " << p.state << ") [" << cmd << "]";
  }
  return s.str();
}

std::vector<ProcInfo> live_children_of(const ConcurRun& run) {
  std::vector<ProcInfo> found;
  for (const auto& p : all_processes())
    if (p.pgid == run.pgid() && p.pid != run.pid() && p.state != 'Z') found.push_back(p);
  return found;
}

}  // namespace

TEST_F(HygieneTest, EveryProcessDemoVariantSucceedsAndLeavesNoChildZombieOrShmEntry) {
  auto runs = process_demo_runs();
  ASSERT_FALSE(runs.empty());
  for (const auto& r : runs) {
    SCOPED_TRACE(r.label() + " --fast");
    auto run = start(r, {"--fast"});
    ASSERT_TRUE(run->spawned());
    auto status = run->wait_exit(30);
    EXPECT_EQ(exit_of(status), "exit 0") << run->out() << run->err();
    EXPECT_TRUE(left_nothing(*run));
  }
}

TEST_F(HygieneTest, SigkillingAChildMidRunStillEndsTheRunAndLeavesNothing) {
  for (const auto& [r, lasts] : stop_cases(false)) {
    SCOPED_TRACE(r.label() + " --time-scale 0.05");
    auto run = start(r, {"--time-scale", "0.05"});
    ASSERT_TRUE(run->spawned());
    auto victim = run->wait_for_child(10);
    if (lasts) EXPECT_TRUE(victim.has_value()) << "no child appeared to kill\n" << run->out() << run->err();
    std::string what = victim ? run->seen().at(*victim) : "none: the run was over first";
    if (victim) kill(*victim, SIGKILL);  // it may have ended by itself just now
    auto status = run->wait_exit(8);  // the slowest of these runs takes about 2 s
    std::string how = exit_of(status);
    EXPECT_TRUE(how == "exit 0" || how == "exit 1")
        << how << " after SIGKILL of [" << what << "]\n"
        << run->out() << run->err();
    EXPECT_TRUE(left_nothing(*run)) << "after SIGKILL of [" << what << "]";
  }
}

TEST_F(HygieneTest, TimeoutMidRunExitsWith3AndLeavesNothing) {
  for (const auto& [r, lasts] : stop_cases(true)) {
    SCOPED_TRACE(r.label() + " --time-scale 0.1 --timeout 0.3");
    auto run = start(r, {"--time-scale", "0.1", "--timeout", "0.3"});
    ASSERT_TRUE(run->spawned());
    auto status = run->wait_exit(15);
    EXPECT_EQ(exit_of(status), "exit 3") << run->out() << run->err();
    EXPECT_TRUE(left_nothing(*run));
  }
}

TEST_F(HygieneTest, CtrlCToTheRunsProcessGroupMidRunExitsWith130AndLeavesNothing) {
  signal_mid_run(SIGINT, To::kTheGroup);
}

TEST_F(HygieneTest, SigintToConcurAloneMidRunExitsWith130AndLeavesNothing) { signal_mid_run(SIGINT, To::kConcurAlone); }

// SIGTERM mid-run, with a trace and a recording asked for: exit 143, no child left, the trace
// not written (an interrupted run has no whole record), the recording complete or absent, no
// temporary file beside them and no child-process record directory in $TMPDIR.
TEST_F(HygieneTest, SigtermMidRunWithTraceAndRecordingExitsWith143AndLeavesNoPartialFile) {
  TempDir dir{"hygiene-files"}, tmp{"hygiene-tmp"};
  // The children's event folders go into $TMPDIR: the test's own, which no other test
  // running beside it (ctest -j) writes into.
  ScopedEnv tmpdir("TMPDIR", tmp.path());
  for (const auto& [r, lasts] : stop_cases(true)) {
    SCOPED_TRACE(r.label() + " --time-scale 0.05 --trace --record, SIGTERM to concur only");
    auto run = start(r, {"--time-scale", "0.05", "--trace", dir.file("run.json"), "--record", dir.file("run.cast")});
    ASSERT_TRUE(run->spawned());
    ASSERT_TRUE(run->wait_for_child(10).has_value()) << run->out() << run->err();
    ASSERT_TRUE(run->signal(SIGTERM));
    auto status = run->wait_exit(10);
    EXPECT_EQ(exit_of(status), "exit 143") << run->out() << run->err();
    EXPECT_TRUE(left_nothing(*run));
    std::vector<std::string> files = dir.entries();
    EXPECT_THAT(files, Not(Contains("run.json"))) << "a trace of an interrupted run";
    std::erase(files, "run.cast");  // a recording of what was shown, written whole
    EXPECT_THAT(files, IsEmpty()) << "left beside them";
    for (const auto& name : tmp.entries())
      EXPECT_FALSE(name.starts_with("concur-trace-")) << "a child-process record directory: " << name;
    std::filesystem::remove(dir.file("run.cast"));
  }
}

// `kill -9` of concur alone, mid-run: it cannot clean up, so its children must go with it (they
// die with their parent) — within 1 s no process of the run is left, orphaned or not; the test,
// as subreaper, reaps those that come back to it.
TEST_F(HygieneTest, SigkillOfConcurAloneLeavesNoProcessOfTheRunOneSecondLater) {
  std::vector<StopCase> cases;
  for (const StopCase& c : kSigkillCases)
    if (auto o = offered(c.run)) cases.push_back({*o, c.lasts});
  ASSERT_FALSE(cases.empty());
  for (const auto& [r, lasts] : cases) {
    SCOPED_TRACE(r.label() + " --time-scale 1, SIGKILL to concur only");
    auto run = start(r, {"--time-scale", "1"});
    ASSERT_TRUE(run->spawned());
    // Until a child is alive, or concur has ended without the test seeing one; gil counts a
    // quiet baseline first.
    std::vector<ProcInfo> alive;
    bool running = true;
    run->pump_until(
        [&] {
          alive = live_children_of(*run);
          auto self = proc_info(run->pid());
          running = self && self->state != 'Z';
          return !alive.empty() || !running;
        },
        30);
    auto killed = Clock::now();
    // Concur only: its children are not signalled. A run that does not last may have ended,
    // and been reaped by the pump, before the kill: then there is no one to kill.
    bool sent = run->signal(SIGKILL);
    if (lasts) ASSERT_TRUE(sent);
    auto status = run->wait_exit(5);
    if (lasts) {
      EXPECT_TRUE(running && !alive.empty()) << "no child alive at the kill\n" << run->out() << run->err();
      EXPECT_EQ(exit_of(status), "killed by signal 9") << run->out() << run->err();
    }
    std::vector<ProcInfo> left = reap_and_list_left(*run);
    while (!left.empty() && seconds_since(killed) < 1.0) {
      usleep(2000);
      left = reap_and_list_left(*run);
    }
    double took = seconds_since(killed);
    EXPECT_TRUE(left.empty()) << "still there 1 s after SIGKILL of concur:" << describe(left, *run)
                              << "\nalive at the kill:" << describe(alive, *run);
    std::cout << "[ SIGKILL  ] " << r.label() << ": " << alive.size() << " child(ren) alive at the kill"
              << (running ? "" : " (concur had already ended)") << "; the run's processes gone after "
              << (left.empty() ? std::to_string(took) + " s" : std::string("more than 1 s")) << "\n";
    EXPECT_TRUE(left_nothing(*run));
  }
}

void HygieneTest::signal_mid_run(int sig, To to) {
  for (const auto& [r, lasts] : stop_cases(true)) {
    SCOPED_TRACE(r.label() + " --time-scale 0.05, " + strsignal(sig) +
                 (to == To::kTheGroup ? " to the run's group" : " to concur only"));
    auto run = start(r, {"--time-scale", "0.05"});
    ASSERT_TRUE(run->spawned());
    ASSERT_TRUE(run->wait_for_child(10).has_value()) << run->out() << run->err();
    ASSERT_TRUE(to == To::kTheGroup ? run->signal_group(sig) : run->signal(sig));
    auto status = run->wait_exit(10);
    EXPECT_EQ(exit_of(status), "exit " + std::to_string(128 + sig)) << run->out() << run->err();
    EXPECT_TRUE(left_nothing(*run));
  }
}

// The terminal hanging up (SIGHUP) stops a run as SIGTERM does: exit 129, nothing left.
TEST_F(HygieneTest, SighupToConcurAloneMidRunExitsWith129AndLeavesNothing) { signal_mid_run(SIGHUP, To::kConcurAlone); }

// Ctrl-\ (SIGQUIT) stops a run as SIGTERM does, without a core dump: exit 131, nothing left.
TEST_F(HygieneTest, SigquitToConcurAloneMidRunExitsWith131AndLeavesNothing) { signal_mid_run(SIGQUIT, To::kConcurAlone); }

// ---------------------------------------------------------------------------------------------
// Deterministic runs of process demos: the children take turns with the main process's threads
// (the turn spans processes). They leave nothing either: run to the end, or stopped while the
// instructor is at a --step prompt, with every child parked waiting for its turn.

TEST_F(HygieneTest, EveryProcessDemoVariantRunsDeterministicallyAndLeavesNothing) {
  auto runs = process_demo_runs();
  ASSERT_FALSE(runs.empty());
  for (const auto& r : runs) {
    SCOPED_TRACE(r.label() + " --deterministic");
    auto run = start(r, {"--deterministic"});
    ASSERT_TRUE(run->spawned());
    auto status = run->wait_exit(30);
    // The few that refuse (the forkserver's children are the server's) refuse as usage.
    bool refused = run->err().find("cannot run deterministically") != std::string::npos;
    EXPECT_EQ(exit_of(status), refused ? "exit 2" : "exit 0") << run->out() << run->err();
    EXPECT_TRUE(left_nothing(*run));
  }
}

TEST_F(HygieneTest, SignalsAtAStepPromptWithChildrenWaitingForTheTurnLeaveNothing) {
  const std::vector<DemoRun> cases = {
      {"mpqueue", "producer-consumer", {}}, {"spawn", "start", {"--start-method", "spawn"}}, {"pool", "mp-pool", {}},
      {"hybrid", "hybrid", {}}};  // and the HTTP server's fibers, parked on their sockets
  struct Stop {
    int sig;
    bool group;
    std::string exit;
  };
  const std::vector<Stop> stops = {{SIGTERM, false, "exit 143"},
                                   {SIGINT, true, "exit 130"},
                                   {SIGKILL, false, "killed by signal 9"}};
  for (const DemoRun& wanted : cases) {
    auto r = offered(wanted);
    if (!r) continue;
    for (const Stop& stop : stops) {
      SCOPED_TRACE(r->label() + " --step, " + strsignal(stop.sig) + (stop.group ? " to the group" : " to concur"));
      auto run = start(*r, {"--step"}, Stdin::kPipe);
      ASSERT_TRUE(run->spawned());
      // A prompt that offers a child's thread: the children are there, waiting for the turn
      // (hybrid's comes once its download threads and the HTTP server's fibers are under way:
      // the seed's choice, Enter, until then).
      run->answer_prompts(
          "q = stop: ",
          [](const std::string& prompt) -> std::optional<std::string> {
            if (prompt.find("/MainThread ") != std::string::npos) return std::nullopt;
            return std::string("\n");
          },
          10);
      ASSERT_NE(run->err().find("/MainThread "), std::string::npos) << run->out() << run->err();
      ASSERT_TRUE(stop.group ? run->signal_group(stop.sig) : run->signal(stop.sig));
      auto stopped = Clock::now();
      auto status = run->wait_exit(10);
      EXPECT_EQ(exit_of(status), stop.exit) << run->out() << run->err();
      // SIGKILL: the children die with concur (the kernel's parent-death signal) and come back
      // to the test, their subreaper, to be reaped; within a second, as for real runs.
      std::vector<ProcInfo> left = reap_and_list_left(*run);
      while (!left.empty() && seconds_since(stopped) < 1.0) {
        usleep(2000);
        left = reap_and_list_left(*run);
      }
      EXPECT_TRUE(left.empty()) << "still there 1 s after the signal:" << describe(left, *run);
      EXPECT_TRUE(left_nothing(*run));
    }
  }
}

// `concur check` runs its variants side by side in worker processes (--jobs 2), each with
// its demo's own children: a stop mid-run, to the whole group (Ctrl-C) or to concur alone,
// ends the check with 128 + the signal and leaves none of them behind.
TEST_F(HygieneTest, ACheckSideBySideStoppedMidRunExitsWith128PlusTheSignalAndLeavesNothing) {
  for (To to : {To::kTheGroup, To::kConcurAlone}) {
    for (int sig : {SIGINT, SIGTERM}) {
      SCOPED_TRACE(std::string("check --jobs 2, ") + strsignal(sig) +
                   (to == To::kTheGroup ? " to the run's group" : " to concur only"));
      shm_before_ = shm_entries();
      descendants_before_ = descendants_of_test();
      ConcurRun run({"check", "--jobs", "2", "mpqueue", "shared-memory", "daemon-process", "mpqueue"},
                    marker_ + std::to_string(++runs_));
      ASSERT_TRUE(run.spawned());
      // Both workers and at least one demo child of theirs alive. Under ThreadSanitizer check
      // runs its variants in concur itself (check_runs.cpp): a demo's child will do.
#if defined(__SANITIZE_THREAD__)
      const std::size_t alive = 1;
#else
      const std::size_t alive = 3;
#endif
      bool mid_run = run.pump_until([&] { return live_children_of(run).size() >= alive; }, 10);
      ASSERT_TRUE(mid_run) << run.out() << run.err();
      ASSERT_TRUE(to == To::kTheGroup ? run.signal_group(sig) : run.signal(sig));
      auto status = run.wait_exit(10);
      EXPECT_EQ(exit_of(status), "exit " + std::to_string(128 + sig)) << run.out() << run.err();
      EXPECT_THAT(run.out(), Not(::testing::HasSubstr("passed,"))) << "a summary after a stop";
      EXPECT_TRUE(left_nothing(run));
    }
  }
}
