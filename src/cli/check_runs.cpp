#include "cli/check_runs.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <optional>
#include <sstream>
#include <thread>

#include "cli/app.h"
#include "cli/run_demo.h"
#include "cli/usage_error.h"
#include "cli/worker_pipes.h"
#include "core/plumbing_thread.h"
#include "core/process/process.h"
#include "core/runtime.h"

namespace concur::cli {

CheckResult run_check_variant(const demos::Demo& d, const demos::Variant& v, const DemoSettings& base,
                              bool deterministic) {
  CheckResult result{.demo = d.name, .variant = v.name};
  DemoOptions defaults;
  for (const auto& o : d.int_options) {
    bool read = o.flag.empty() && (o.variants.empty() || std::ranges::count(o.variants, v.name) > 0);
    defaults.ints[o.name] = read && o.check_value != 0 ? std::to_string(o.check_value) : "";
  }
  for (const auto& o : d.choice_options) defaults.choices[o.name] = "";
  defaults.variant = v.name;
  defaults.deterministic = deterministic;
  defaults.one_of_many = true;
  DemoSettings s = base;
  // A variant whose lesson needs slower lecture seconds than --fast runs at its own scale
  // (not under --deterministic, whose clock is virtual).
  bool slowed = !deterministic && v.check_time_scale > base.run.time_scale;
  if (slowed) s.run.time_scale = v.check_time_scale;
  try {
    DemoSettings valid = validate(d, defaults);
    s.context = valid.context;
    s.run.deterministic = valid.run.deterministic;
  } catch (const UsageError& e) {  // a variant --deterministic cannot run
    std::string why = e.what();
    std::size_t at = why.find("deterministically: ");
    result.outcome = CheckResult::Outcome::kSkipped;
    result.message = at == std::string::npos ? why : why.substr(at + 19);
    return result;
  }
  std::ostringstream out, err;
  demos::Check check{false, ""};
  auto start = std::chrono::steady_clock::now();
  result.exit_code = run_demo(d, s, out, err, &check);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.outcome = result.exit_code == 0 ? CheckResult::Outcome::kPassed : CheckResult::Outcome::kFailed;
  result.output = out.str() + err.str();
  // The check line: the check's message, or the last line the stop left on stderr (after
  // any "Exception in thread" report the demo printed there).
  std::string last = err.str();
  while (!last.empty() && last.back() == '\n') last.pop_back();
  last = last.substr(last.rfind('\n') == std::string::npos ? 0 : last.rfind('\n') + 1);
  int code = result.exit_code;
  result.message = code == 0 || code == 1 ? check.message : "exit " + std::to_string(code) + ": " + last;
  if (slowed) result.message += fmt::format(" (at --time-scale {})", s.run.time_scale);
  if (s.context.loops_cut) result.message += fmt::format(" (loops cut to {})", demos::Context::kShortLoop);
  return result;
}

int default_check_workers(std::size_t jobs) {
#if defined(__SANITIZE_THREAD__)
  (void)jobs;
  return 1;
#else
  cpu_set_t cpus;
  int cores = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : 1;
  // Two a core: a check spends most of its time waiting (its threads sleep lecture seconds),
  // about a quarter of it on a processor.
  std::size_t two_a_core = 2 * static_cast<std::size_t>(std::max(cores, 1));
  return static_cast<int>(std::max<std::size_t>(1, std::min(two_a_core, jobs)));
#endif
}

namespace {

// --- What goes through a worker's socket --------------------------------------------------
// To the worker: a job's index and a newline. Back: one frame a result, eight fields each
// written as LENGTH ':' BYTES (the run's output is any bytes, kept exactly).

constexpr int kCheckFrameFields = 8;

std::string check_result_frame(std::size_t index, const CheckResult& r) {
  std::string frame;
  auto field = [&frame](const std::string& text) {
    frame += std::to_string(text.size());
    frame += ':';
    frame += text;
  };
  field(std::to_string(index));
  field(std::to_string(static_cast<int>(r.outcome)));
  field(std::to_string(r.exit_code));
  field(fmt::format("{}", r.seconds));
  field(r.demo);
  field(r.variant);
  field(r.message);
  field(r.output);
  return frame;
}

// Takes one whole frame off the front of `buffer` into index/result; false (buffer kept)
// while the frame is incomplete.
bool take_check_result_frame(std::string& buffer, std::size_t& index, CheckResult& r) {
  std::vector<std::string> fields;
  std::size_t at = 0;
  while (fields.size() < kCheckFrameFields) {
    std::size_t colon = buffer.find(':', at);
    if (colon == std::string::npos) return false;
    std::size_t length = std::stoul(buffer.substr(at, colon - at));
    if (buffer.size() < colon + 1 + length) return false;
    fields.push_back(buffer.substr(colon + 1, length));
    at = colon + 1 + length;
  }
  buffer.erase(0, at);
  index = std::stoul(fields[0]);
  r.outcome = static_cast<CheckResult::Outcome>(std::stoi(fields[1]));
  r.exit_code = std::stoi(fields[2]);
  r.seconds = std::stod(fields[3]);
  r.demo = fields[4];
  r.variant = fields[5];
  r.message = fields[6];
  r.output = fields[7];
  return true;
}

// Sends all of `text` (MSG_NOSIGNAL: a peer that is gone is an error, not SIGPIPE).
bool send_all_to_check_peer(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::send(fd, text.data() + done, text.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// --- The worker ----------------------------------------------------------------------------

// The first stop signal the worker took (0: none).
std::atomic<int> check_worker_stop{0};

// Takes SIGINT, SIGTERM, SIGHUP and SIGQUIT as concur's signal thread does: the first stops
// the run; a second from anyone but concur (which passes its own stop on, perhaps after the
// process group's Ctrl-C arrived here too), or 5 s without the worker ending, ends it at once.
void watch_check_worker_signals(sigset_t set, pid_t parent) {
  siginfo_t info{};
  while (::sigwaitinfo(&set, &info) < 0) {
  }
  int sig = info.si_signo;
  check_worker_stop = sig;
  runtime().cancel(stop_for_signal(sig));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  timespec tick{0, 100'000'000};
  while (std::chrono::steady_clock::now() < deadline) {
    if (::sigtimedwait(&set, &info, &tick) > 0 && info.si_pid != parent) break;
  }
  ::_exit(128 + sig);
}

// A worker: runs each job whose index arrives on `fd` and sends its result back, until the
// socket closes or a run is stopped. Never returns.
[[noreturn]] void serve_checks(const std::vector<CheckJob>& jobs, const DemoSettings& base, bool deterministic,
                               int fd, pid_t parent) {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&set, sig);
  ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
  int code = 0;
  try {
    // Running before the first demo forks (plumbing_thread.h).
    start_plumbing_thread([set, parent] { watch_check_worker_signals(set, parent); }).detach();
    std::string pending;
    for (;;) {
      std::size_t nl;
      while ((nl = pending.find('\n')) == std::string::npos) {
        char buf[64];
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw std::runtime_error("no more jobs");
        pending.append(buf, static_cast<std::size_t>(n));
      }
      std::size_t index = std::stoul(pending.substr(0, nl));
      pending.erase(0, nl + 1);
      if (int sig = check_worker_stop.load()) {  // stopped between two runs
        code = 128 + sig;
        break;
      }
      const CheckJob& job = jobs.at(index);
      CheckResult r = run_check_variant(*job.demo, *job.variant, base, deterministic);
      if (!send_all_to_check_peer(fd, check_result_frame(index, r))) break;
      if (r.exit_code >= kExitInterrupted) {
        code = r.exit_code;
        break;
      }
    }
  } catch (const std::exception&) {
    // The socket closed (no more jobs), or no thread could be started: concur fails the job.
  }
  process::stop_forkserver();  // a demo's forkserver, reaped here as concur's main does
  ::_exit(code);
}

// --- concur's side --------------------------------------------------------------------------

struct CheckWorker {
  pid_t pid = -1;
  int fd = -1;               // concur's end of the socket; -1 once the worker has ended
  bool sending = true;       // jobs may still be sent (else the socket's write side is shut)
  std::string pending;       // a frame not yet complete
  std::optional<std::size_t> busy;  // the job it runs
};

// The exit code a reaped worker's status stands for: its exit code, or 128 + its signal.
int check_worker_exit_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return kExitCheckFailed;
}

}  // namespace

void run_checks(const std::vector<CheckJob>& jobs, const DemoSettings& base, bool deterministic, int workers,
                const std::function<void(const CheckResult&)>& report) {
  workers = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(std::max(workers, 1)), jobs.size()));
#if defined(__SANITIZE_THREAD__)
  workers = 1;  // see default_check_workers
#endif
  if (workers <= 1) {
    for (const CheckJob& job : jobs) {
      CheckResult r = run_check_variant(*job.demo, *job.variant, base, deterministic);
      report(r);
      if (r.exit_code >= kExitInterrupted) return;
    }
    return;
  }

  // The workers, each with its end of a socket pair
  std::vector<CheckWorker> pool;
  pid_t parent = ::getpid();
  for (int k = 0; k < workers; ++k) {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) break;
    pid_t pid = ::fork();
    if (pid == 0) {
      ::close(fds[0]);
      for (const CheckWorker& w : pool) ::close(w.fd);
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != parent) ::_exit(0);  // concur died before the line above
      serve_checks(jobs, base, deterministic, fds[1], parent);
    }
    ::close(fds[1]);
    if (pid < 0) {
      ::close(fds[0]);
      break;
    }
    pool.push_back({.pid = pid, .fd = fds[0]});
  }

  // The order jobs are handed out in: the ones check slows down first (they take longest:
  // tens of lecture seconds at 20-100 ms each), so that no long run starts last and keeps
  // the table waiting while the other workers are idle; table order otherwise.
  std::vector<std::size_t> order(jobs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  if (!deterministic)
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return jobs[a].variant->check_time_scale > jobs[b].variant->check_time_scale;
    });
  std::vector<std::optional<CheckResult>> results(jobs.size());
  std::size_t next_job = 0, next_report = 0;
  bool stopping = false, forwarded = false, ended = false;
  auto no_more_jobs = [](CheckWorker& w) {
    if (w.sending && w.fd >= 0) ::shutdown(w.fd, SHUT_WR);  // the worker reads the end and leaves
    w.sending = false;
  };
  auto give_job = [&](CheckWorker& w) {
    if (stopping || next_job >= jobs.size()) return no_more_jobs(w);
    if (!send_all_to_check_peer(w.fd, std::to_string(order[next_job]) + "\n")) return no_more_jobs(w);
    w.busy = order[next_job++];
  };
  // Reports the results that are next in order; ends at the first stopped one.
  auto report_ready = [&] {
    while (!ended && next_report < jobs.size() && results[next_report]) {
      const CheckResult& r = *results[next_report++];
      report(r);
      if (r.exit_code >= kExitInterrupted) ended = true;
    }
  };
  for (CheckWorker& w : pool) give_job(w);

  // Read the results until every worker has ended, or a stopped run has been reported
  auto alive = [&] { return std::any_of(pool.begin(), pool.end(), [](const CheckWorker& w) { return w.fd >= 0; }); };
  while (!ended && alive()) {
    // A stop for concur alone (not the group's Ctrl-C: the workers have that too) is passed
    // on, once; then the workers' ends are waited for.
    if (runtime().cancelled() && !forwarded) {
      forwarded = stopping = true;
      int sig = exit_code(runtime().cancel_reason()) - 128;
      for (CheckWorker& w : pool) {
        if (w.fd >= 0 && w.busy && sig > 0) ::kill(w.pid, sig);
        no_more_jobs(w);
      }
    }
    std::vector<int> fds;
    for (const CheckWorker& w : pool) fds.push_back(w.fd);
    auto take_results = [&](std::size_t i, std::string_view data) {
      CheckWorker& w = pool[i];
      w.pending.append(data);
      std::size_t index = 0;
      CheckResult r;
      while (take_check_result_frame(w.pending, index, r)) {
        if (r.exit_code >= kExitInterrupted) stopping = true;
        results.at(index) = std::move(r);
        w.busy.reset();
        give_job(w);
      }
    };
    // The worker ended: reaped now; a job it had not answered failed with its exit code
    auto reap_worker = [&](std::size_t i) {
      CheckWorker& w = pool[i];
      ::close(w.fd);
      w.fd = -1;
      int status = 0;
      while (::waitpid(w.pid, &status, 0) < 0 && errno == EINTR) {
      }
      w.pid = -1;
      if (w.busy && !results[*w.busy]) {
        const CheckJob& job = jobs[*w.busy];
        CheckResult r{.demo = job.demo->name, .variant = job.variant->name};
        r.outcome = CheckResult::Outcome::kFailed;
        r.exit_code = check_worker_exit_code(status);
        if (r.exit_code == 0) r.exit_code = kExitCheckFailed;
        r.message = fmt::format("exit {}: the worker process running it ended without its result", r.exit_code);
        if (r.exit_code >= kExitInterrupted) stopping = true;
        results[*w.busy] = std::move(r);
      }
      w.busy.reset();
    };
    if (!read_from_workers(fds, take_results, reap_worker, !forwarded)) break;
    report_ready();
    // Jobs left and no worker to run them (none could be made, or all died): run them here.
    if (!stopping && !alive()) {
      while (!ended && next_job < jobs.size()) {
        const CheckJob& job = jobs[order[next_job++]];
        results[order[next_job - 1]] = run_check_variant(*job.demo, *job.variant, base, deterministic);
        report_ready();
      }
    }
  }
  report_ready();

  // Workers still running (a stopped run was reported first): stopped, then reaped
  for (CheckWorker& w : pool) {
    if (w.pid > 0) {
      if (w.busy) ::kill(w.pid, SIGTERM);
      if (w.fd >= 0) ::close(w.fd);
      while (::waitpid(w.pid, nullptr, 0) < 0 && errno == EINTR) {
      }
    }
  }
  // Stopped before the table was done, and nothing reported the stop: say so at the first
  // job not reported.
  if (!ended && next_report < jobs.size() && runtime().cancelled()) {
    const CheckJob& job = jobs[next_report];
    StopReason why = runtime().cancel_reason();
    CheckResult r{.demo = job.demo->name, .variant = job.variant->name};
    r.outcome = CheckResult::Outcome::kFailed;
    r.exit_code = exit_code(why);
    r.message = fmt::format("exit {}: concur: {}", r.exit_code, stop_word(why));
    report(r);
  }
}

}  // namespace concur::cli
