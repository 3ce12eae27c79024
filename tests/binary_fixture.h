// The real `concur` binary (CONCUR_BINARY) run as a separate process, for what only a process
// shows: signals, exit statuses as the shell sees them, child processes of its own (spawn
// targets exist only in the real binary), pipes closed by the reader, answers on stdin
// (--step), and what a shell pipeline or another user makes of it. The one way the tests
// start a program: `Child` (with its hooks for pumping until something holds and for
// answering prompts), and `run_binary` / `run_sh` on top of it.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

extern char** environ;

namespace concur::testing {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A wait status as a test compares it: "exit 3", "killed by signal 9", or "still running
// (hang)" for the nullopt of a wait that ran out of time.
inline std::string exit_of(std::optional<int> status) {
  if (!status) return "still running (hang)";
  if (WIFEXITED(*status)) return "exit " + std::to_string(WEXITSTATUS(*status));
  if (WIFSIGNALED(*status)) return "killed by signal " + std::to_string(WTERMSIG(*status));
  return "status " + std::to_string(*status);
}

// What the child reads on its standard input.
enum class Stdin {
  kDevNull,   // nothing: end of input at once
  kPipe,      // what the test writes with answer(), until end_input()
  kTerminal,  // a pseudo-terminal the test types into with answer()
};

struct SpawnOptions {
  std::string program = CONCUR_BINARY;  // what runs, with ARGS (another program may run concur)
  Stdin input = Stdin::kDevNull;
  std::vector<std::string> env = {};  // NAME=VALUE for the child, in place of the test's NAME
  bool close_stdout_first = false;    // no reader on stdout at all: every write gets EPIPE
  bool ignore_sigpipe = false;        // the child starts with SIGPIPE ignored (inherited)
};

// A running `PROGRAM ARGS...` (concur unless told) with its stdout and stderr on pipes, in a
// process group of its own (pgid = pid), which everything it starts inherits. Whatever the
// test runner set, it starts with no signal blocked and Ctrl-C, SIGTERM, SIGHUP, SIGQUIT and
// SIGPIPE (unless asked to ignore it) at their defaults, and without NO_COLOR, so that colour
// depends only on the options and the terminal.
//
// Every path reaps it: a child not yet reaped when the Child goes (a failed assertion, a
// hang) is killed with its whole group and reaped. The waits read its output as they go, so
// a full pipe never stalls it.
class Child {
 public:
  explicit Child(const std::vector<std::string>& args, SpawnOptions options = {}) {
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0) return;
    if (pipe2(err, O_CLOEXEC) != 0) {
      close_each({out[0], out[1]});
      return;
    }
    out_fd_ = out[0];
    err_fd_ = err[0];
    if (options.close_stdout_first) close_stdout();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    int child_in = -1;  // the child's end of a stdin pipe
    bool input_ready = open_input(options.input, actions, child_in);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);

    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t defaults, none;
    sigemptyset(&defaults);
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&defaults, sig);
    if (!options.ignore_sigpipe) sigaddset(&defaults, SIGPIPE);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);

    std::vector<std::string> argv_strings = {options.program};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_strings) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (char** e = environ; *e; ++e)
      if (std::strncmp(*e, "NO_COLOR=", 9) != 0 && !replaced(*e, options.env)) envp.push_back(*e);
    for (auto& e : options.env) envp.push_back(e.data());
    envp.push_back(nullptr);

    // An ignored disposition survives exec, so set it around the spawn and put it back.
    struct sigaction ignore {}, old_pipe {};
    ignore.sa_handler = SIG_IGN;
    if (options.ignore_sigpipe) sigaction(SIGPIPE, &ignore, &old_pipe);
    spawned_ = input_ready && posix_spawn(&pid_, argv[0], &actions, &attr, argv.data(), envp.data()) == 0;
    if (options.ignore_sigpipe) sigaction(SIGPIPE, &old_pipe, nullptr);

    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    close_each({out[1], err[1], child_in});
  }

  ~Child() {
    if (spawned_ && !reaped_) {
      if (kill(-pid_, SIGKILL) != 0) kill(pid_, SIGKILL);  // only this test's own group
      waitpid(pid_, nullptr, 0);
    }
    end_input();
    close_stdout();
    close_each({err_fd_});
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  bool spawned() const { return spawned_; }
  pid_t pid() const { return pid_; }
  pid_t pgid() const { return pid_; }
  const std::string& out() const { return out_; }
  const std::string& err() const { return err_; }

  // Sends `sig` to the child alone, as `kill -SIG PID` does; or to its whole group, as a
  // terminal's Ctrl-C does. False if it could not be sent.
  bool signal(int sig) const { return spawned_ && kill(pid_, sig) == 0; }
  bool signal_group(int sig) const { return spawned_ && kill(-pid_, sig) == 0; }

  // Whether it has exited (it is reaped then, and its status kept for finish()).
  bool exited() {
    if (spawned_ && !reaped_ && waitpid(pid_, &status_, WNOHANG) == pid_) reaped_ = true;
    return reaped_;
  }
  // Whether every holder of its stdout and stderr (it, and what it started) has closed them.
  bool output_closed() const { return out_fd_ < 0 && err_fd_ < 0; }

  // The pump: reads its output, in slices of at most 5 ms, until `done()` holds; false if
  // `seconds` pass first, or if it has exited and closed its output without `done()` holding.
  bool pump_until(const std::function<bool()>& done, double seconds) {
    auto start = Clock::now();
    while (!done()) {
      double left = seconds - seconds_since(start);
      if (left <= 0 || !spawned_ || (output_closed() && exited())) return done();
      read_output(std::min(left, 0.005));
      exited();
      if (while_waiting_) while_waiting_();
    }
    return true;
  }
  // Calls `watch` after every slice of the pump, to follow what the child does meanwhile.
  void while_waiting(std::function<void()> watch) { while_waiting_ = std::move(watch); }

  // Reads stdout until it holds `needle`; false if the child ends or `seconds` pass first.
  bool wait_for_stdout(const std::string& needle, double seconds) {
    return pump_until([&] { return out_.find(needle) != std::string::npos; }, seconds);
  }

  // Reads until it has exited and its output is closed; its wait status, or nullopt if that
  // takes more than `seconds` (it is then left running, for the caller to report).
  std::optional<int> finish(double seconds) {
    if (!pump_until([&] { return output_closed() && exited(); }, seconds)) return std::nullopt;
    return status_;
  }
  // Reads until it has exited, even while something it started still holds its stdout, then
  // what is left for at most 0.2 s; its wait status, or nullopt after `seconds`.
  std::optional<int> wait_exit(double seconds) {
    if (!pump_until([&] { return exited(); }, seconds)) return std::nullopt;
    pump_until([&] { return output_closed(); }, 0.2);
    return status_;
  }

  // --- Prompts: Stdin::kPipe or kTerminal ---

  // Writes `text` to its standard input (a line is an answer); false if it has stopped reading.
  bool answer(const std::string& text) { return in_fd_ >= 0 && write_all(in_fd_, text); }
  // Closes its standard input: the end of the answers.
  void end_input() {
    close_each({in_fd_});
    in_fd_ = -1;
  }

  // Reads stderr until a new prompt, ending in `prompt_end`, waits; returns what stderr says
  // since the last prompt. nullopt if the child ends or `seconds` pass first.
  std::optional<std::string> wait_for_prompt(const std::string& prompt_end, double seconds) {
    if (!pump_until([&] { return err_.size() > prompt_seen_ && err_.ends_with(prompt_end); }, seconds))
      return std::nullopt;
    std::string prompt = err_.substr(prompt_seen_);
    prompt_seen_ = err_.size();
    return prompt;
  }
  // Answers every prompt with `reply(prompt)` until the child stops asking, `reply` says
  // nullopt, or `seconds` pass; how many prompts it answered.
  int answer_prompts(const std::string& prompt_end,
                     const std::function<std::optional<std::string>(const std::string&)>& reply, double seconds) {
    auto start = Clock::now();
    int answered = 0;
    while (auto prompt = wait_for_prompt(prompt_end, seconds - seconds_since(start))) {
      std::optional<std::string> text = reply(*prompt);
      if (!text) break;
      answer(*text);
      ++answered;
    }
    return answered;
  }

  // Closes the test's end of its stdout, as `head` does once it has what it wants.
  void close_stdout() {
    close_each({out_fd_});
    out_fd_ = -1;
  }

 private:
  static void close_each(std::initializer_list<int> fds) {
    for (int fd : fds)
      if (fd >= 0) close(fd);
  }
  // Whether NAME=... is one of `env`'s names.
  static bool replaced(const char* entry, const std::vector<std::string>& env) {
    std::string_view name(entry, std::strcspn(entry, "="));
    return std::ranges::any_of(env, [&](const std::string& e) { return e.starts_with(name) && e[name.size()] == '='; });
  }

  // Sets up the child's stdin; `child_in` is a descriptor to close once it is spawned.
  bool open_input(Stdin input, posix_spawn_file_actions_t& actions, int& child_in) {
    if (input == Stdin::kDevNull)
      return posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0) == 0;
    if (input == Stdin::kPipe) {
      int in[2];
      if (pipe2(in, O_CLOEXEC) != 0) return false;
      child_in = in[0];
      in_fd_ = in[1];
      return posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO) == 0;
    }
    in_fd_ = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (in_fd_ < 0 || grantpt(in_fd_) != 0 || unlockpt(in_fd_) != 0) return false;
    std::string terminal = ptsname(in_fd_);
    return posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, terminal.c_str(), O_RDWR | O_NOCTTY, 0) == 0;
  }

  // Waits up to `seconds` for output and reads what is there (a pipe at EOF is closed).
  void read_output(double seconds) {
    if (output_closed()) {
      usleep(static_cast<useconds_t>(seconds * 1e6));
      return;
    }
    pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    if (poll(fds, 2, static_cast<int>(seconds * 1000) + 1) <= 0) return;
    read_from(fds[0], out_fd_, out_);
    read_from(fds[1], err_fd_, err_);
  }
  static void read_from(const pollfd& p, int& fd, std::string& into) {
    if (fd < 0 || !(p.revents & (POLLIN | POLLHUP | POLLERR))) return;
    char buf[4096];
    ssize_t got = read(fd, buf, sizeof buf);
    if (got > 0) {
      into.append(buf, static_cast<std::size_t>(got));
    } else if (got == 0 || errno != EINTR) {
      close(fd);
      fd = -1;
    }
  }

  // Writes all of `text` to `fd`; false if the reader has gone. A SIGPIPE that raises is
  // taken back here, so the test runner never dies of it.
  static bool write_all(int fd, const std::string& text) {
    sigset_t pipe_signal, old;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_signal, &old);
    bool ok = true;
    for (std::size_t done = 0; done < text.size();) {
      ssize_t n = ::write(fd, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        ok = false;
        if (errno == EPIPE) {
          timespec zero{};
          sigtimedwait(&pipe_signal, nullptr, &zero);
        }
        break;
      }
      done += static_cast<std::size_t>(n);
    }
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    return ok;
  }

  pid_t pid_ = -1;
  bool spawned_ = false;
  bool reaped_ = false;
  int status_ = 0;
  int in_fd_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::size_t prompt_seen_ = 0;  // stderr up to here holds prompts already answered
  std::string out_;
  std::string err_;
  std::function<void()> while_waiting_;
};

// Waits for `child` to end (at most `seconds`); its exit code, or -1 when it was killed by a
// signal or did not end in time.
inline int run_binary(Child& child, double seconds = 60) {
  std::optional<int> status = child.finish(seconds);
  return status && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
}

// What a finished run wrote, and its exit code (-1: killed by a signal, or still running
// after the deadline, and then killed).
struct Ran {
  int code;
  std::string out;
  std::string err;
};

// Runs `concur ARGS...` (or the program `options` names) to its end, at most `seconds`.
inline Ran run_binary(const std::vector<std::string>& args, SpawnOptions options = {}, double seconds = 60) {
  Child child(args, std::move(options));
  int code = run_binary(child, seconds);
  return {code, child.out(), child.err()};
}

// `text` as one /bin/sh word: in single quotes, its own single quotes escaped.
inline std::string shell_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs `/bin/sh -c COMMAND` to its end, at most `seconds`: for pipelines, limits (ulimit),
// redirections, and programs other than concur.
inline Ran run_sh(const std::string& command, double seconds = 60) {
  return run_binary({"-c", command}, {.program = "/bin/sh"}, seconds);
}

}  // namespace concur::testing
