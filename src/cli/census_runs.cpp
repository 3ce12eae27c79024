#include "cli/census_runs.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <map>
#include <sstream>

#include "cli/app.h"
#include "cli/progress.h"
#include "cli/run_demo.h"
#include "cli/worker_pipes.h"
#include "core/runtime.h"

namespace concur::cli {

namespace {

using Clock = std::chrono::steady_clock;

CensusRun run_one(const demos::Demo& demo, const DemoSettings& settings, int i) {
  DemoSettings one = settings;
  one.run.seed = settings.run.seed + static_cast<std::uint64_t>(i);
  one.run.quiet = true;
  one.run.color = false;
  std::ostringstream run_out, run_err;
  CensusRun r;
  r.seed = one.run.seed;
  r.code = run_demo(demo, one, run_out, run_err, &r.check);
  if (r.check.outcomes.empty()) r.output = run_out.str();
  r.errors = run_err.str();
  r.loops_cut = one.context.loops_cut;
  return r;
}

nlohmann::json to_json(int index, const CensusRun& r) {
  nlohmann::json outcomes = nlohmann::json::array();
  for (const auto& o : r.check.outcomes) outcomes.push_back({o.facet, o.value, o.count});
  return {{"i", index},           {"seed", r.seed},       {"code", r.code},          {"held", r.check.held},
          {"message", r.check.message}, {"outcomes", outcomes}, {"output", r.output}, {"errors", r.errors}, {"loops_cut", r.loops_cut}};
}

CensusRun from_json(const nlohmann::json& j) {
  CensusRun r;
  r.seed = j.at("seed").get<std::uint64_t>();
  r.code = j.at("code").get<int>();
  r.check.held = j.at("held").get<bool>();
  r.check.message = j.at("message").get<std::string>();
  for (const auto& o : j.at("outcomes"))
    r.check.outcomes.push_back({o.at(0).get<std::string>(), o.at(1).get<std::string>(), o.at(2).get<long long>()});
  r.output = j.at("output").get<std::string>();
  r.errors = j.at("errors").get<std::string>();
  r.loops_cut = j.at("loops_cut").get<bool>();
  return r;
}

bool write_fully(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// A worker: runs i = first, first + step, ... and writes each as a JSON line; stops after a
// run that was stopped. Never returns.
[[noreturn]] void work(const demos::Demo& demo, const DemoSettings& settings, int first, int step, int fd) {
  for (int i = first; i < settings.runs; i += step) {
    CensusRun r = run_one(demo, settings, i);
    if (!write_fully(fd, to_json(i, r).dump() + "\n")) break;
    if (r.code >= kExitWatchdog) break;
  }
  ::_exit(0);
}

}  // namespace

int census_workers(const DemoSettings& settings) {
#if defined(__SANITIZE_THREAD__)
  // ThreadSanitizer cannot follow a fork of a process with threads (the signal thread) whose
  // child starts threads of its own (each run's watchdog): it kills the child. One process.
  (void)settings;
  return 1;
#endif
  if (const char* forced = std::getenv("CONCUR_CENSUS_WORKERS")) {
    int n = std::atoi(forced);
    if (n >= 1) return std::min(n, std::max(1, settings.runs));
  }
  if (!settings.run.deterministic) return 1;
  cpu_set_t cpus;
  int cores = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : 1;
  return std::max(1, std::min(cores, settings.runs));
}

std::vector<CensusRun> census_runs(const demos::Demo& demo, const DemoSettings& settings, int workers,
                                   std::ostream& err, bool& stopped) {
  stopped = false;
  std::vector<CensusRun> runs;
  Progress progress(err, "census", "runs", settings.runs, settings.run.quiet, /*rate=*/true);
  if (workers <= 1) {
    for (int i = 0; i < settings.runs; ++i) {
      runs.push_back(run_one(demo, settings, i));
      progress.update(i + 1);
      if (runs.back().code >= kExitWatchdog) break;
    }
    return runs;
  }

  // The workers, each with the write end of its own pipe
  struct Worker {
    pid_t pid = -1;
    int fd = -1;
    std::string pending;  // a line not yet complete
  };
  std::vector<Worker> pool(static_cast<std::size_t>(workers));
  pid_t parent = ::getpid();
  err.flush();
  for (int k = 0; k < workers; ++k) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) break;
    pid_t pid = ::fork();
    if (pid == 0) {
      ::close(fds[0]);
      for (int j = 0; j < k; ++j) ::close(pool[static_cast<std::size_t>(j)].fd);
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(0);  // concur died before the line above
      work(demo, settings, k, workers, fds[1]);
    }
    ::close(fds[1]);
    if (pid < 0) {
      ::close(fds[0]);
      break;
    }
    pool[static_cast<std::size_t>(k)] = {pid, fds[0], ""};
  }
  // A worker that could not be made: its seeds run here, after the others.
  std::map<int, CensusRun> by_index;
  int open = 0;
  for (const Worker& w : pool) open += w.fd >= 0 ? 1 : 0;

  // Read every worker's lines until all have finished, or the census is stopped
  while (open > 0 && !runtime().cancelled()) {
    std::vector<int> fds;
    for (const Worker& w : pool) fds.push_back(w.fd);
    bool waited = read_from_workers(
        fds,
        [&](std::size_t i, std::string_view data) {
          Worker& w = pool[i];
          w.pending.append(data);
          for (std::size_t nl; (nl = w.pending.find('\n')) != std::string::npos;) {
            auto j = nlohmann::json::parse(w.pending.substr(0, nl), nullptr, false);
            w.pending.erase(0, nl + 1);
            if (j.is_discarded()) continue;
            by_index[j.at("i").get<int>()] = from_json(j);
            progress.update(static_cast<int>(by_index.size()));
          }
        },
        [&](std::size_t i) {
          ::close(pool[i].fd);
          pool[i].fd = -1;
          --open;
        });
    if (!waited) break;
  }
  stopped = runtime().cancelled();
  for (Worker& w : pool) {
    if (w.fd >= 0) ::close(w.fd);
    if (w.pid > 0) {
      if (stopped) ::kill(w.pid, SIGKILL);
      while (::waitpid(w.pid, nullptr, 0) < 0 && errno == EINTR) {
      }
    }
  }

  // In seed order, up to the first stopped run or the first missing one
  for (int i = 0; i < settings.runs; ++i) {
    auto it = by_index.find(i);
    if (it == by_index.end()) {
      if (stopped) break;
      // Its worker was never made (fork failed) or died: run it here.
      runs.push_back(run_one(demo, settings, i));
    } else {
      runs.push_back(std::move(it->second));
    }
    if (runs.back().code >= kExitWatchdog) break;
  }
  return runs;
}

}  // namespace concur::cli
