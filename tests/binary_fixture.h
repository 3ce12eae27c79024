// The real `concur` binary (CONCUR_BINARY) run as a separate process, for what only a
// process shows: signals, exit statuses as the shell sees them, child processes of its own
// (spawn targets exist only in the real binary), and pipes closed by the reader.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

extern char** environ;

namespace concur::testing {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct SpawnOptions {
  bool close_stdout_first = false;  // no reader on stdout at all: every write gets EPIPE
  bool ignore_sigpipe = false;      // the child starts with SIGPIPE ignored (inherited)
  std::string program = CONCUR_BINARY;  // what runs, with ARGS (another program may run concur)
};

// A running `concur ARGS...` with its stdout and stderr on pipes, stdin from /dev/null.
class Child {
 public:
  Child(const std::vector<std::string>& args, SpawnOptions options = {}) {
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) return;
    if (options.close_stdout_first) {
      close(out[0]);
      out[0] = -1;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);

    // The child starts with no signals blocked and Ctrl-C/SIGTERM (and SIGPIPE, unless
    // asked to ignore it) at their defaults, whatever the test runner set.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t defaults, none;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    if (!options.ignore_sigpipe) sigaddset(&defaults, SIGPIPE);
    sigemptyset(&none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

    std::vector<std::string> argv_strings = {options.program};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_strings) argv.push_back(a.data());
    argv.push_back(nullptr);
    // Without NO_COLOR, so that colour depends only on the options and the terminal.
    std::vector<char*> envp;
    for (char** e = environ; *e; ++e)
      if (std::strncmp(*e, "NO_COLOR=", 9) != 0) envp.push_back(*e);
    envp.push_back(nullptr);

    // An ignored disposition survives exec, so set it around the spawn and put it back.
    struct sigaction ignore {}, old_pipe {};
    ignore.sa_handler = SIG_IGN;
    if (options.ignore_sigpipe) sigaction(SIGPIPE, &ignore, &old_pipe);
    spawned_ = posix_spawn(&pid_, argv_strings[0].c_str(), &actions, &attr, argv.data(), envp.data()) == 0;
    if (options.ignore_sigpipe) sigaction(SIGPIPE, &old_pipe, nullptr);

    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    close(out[1]);
    close(err[1]);
    out_fd_ = out[0];
    err_fd_ = err[0];
  }

  ~Child() {
    if (spawned_ && !reaped_) {
      kill(pid_, SIGKILL);  // only this test's own child
      waitpid(pid_, nullptr, 0);
    }
    close_stdout();
    if (err_fd_ >= 0) close(err_fd_);
  }

  bool spawned() const { return spawned_; }
  pid_t pid() const { return pid_; }
  const std::string& out() const { return out_; }
  const std::string& err() const { return err_; }

  // Reads stdout until it holds `needle`; false if the child ends or `seconds` pass first.
  bool wait_for_stdout(const std::string& needle, double seconds) {
    auto start = Clock::now();
    while (out_.find(needle) == std::string::npos) {
      double left = seconds - seconds_since(start);
      if (left <= 0 || out_fd_ < 0) return false;
      if (!pump(left)) return out_.find(needle) != std::string::npos;
    }
    return true;
  }

  // Closes our end of its stdout, as `head` does once it has what it wants.
  void close_stdout() {
    if (out_fd_ >= 0) close(out_fd_);
    out_fd_ = -1;
  }

  // Reads everything it writes until it exits; its wait status, or nullopt (and the child
  // killed) if that takes more than `seconds`.
  std::optional<int> finish(double seconds) {
    auto start = Clock::now();
    while (out_fd_ >= 0 || err_fd_ >= 0) {
      double left = seconds - seconds_since(start);
      if (left <= 0) return std::nullopt;
      pump(left);
    }
    while (true) {
      int status = 0;
      pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        reaped_ = true;
        return status;
      }
      if (r < 0 || seconds_since(start) > seconds) return std::nullopt;
      usleep(2000);
    }
  }

 private:
  // Waits up to `seconds` for output and reads what is there; false once both are at EOF.
  bool pump(double seconds) {
    pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    int n = poll(fds, 2, static_cast<int>(seconds * 1000) + 1);
    if (n <= 0) return true;
    read_from(fds[0], out_fd_, out_);
    read_from(fds[1], err_fd_, err_);
    return out_fd_ >= 0 || err_fd_ >= 0;
  }
  static void read_from(const pollfd& p, int& fd, std::string& into) {
    if (fd < 0 || !(p.revents & (POLLIN | POLLHUP | POLLERR))) return;
    char buf[4096];
    ssize_t got = read(fd, buf, sizeof buf);
    if (got > 0) {
      into.append(buf, static_cast<std::size_t>(got));
    } else {
      close(fd);
      fd = -1;
    }
  }

  pid_t pid_ = -1;
  bool spawned_ = false;
  bool reaped_ = false;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string out_;
  std::string err_;
};

// Runs `concur ARGS...` to its end (at most `seconds`); its exit code, or -1 when it was
// killed by a signal or did not end in time.
inline int run_binary(Child& child, double seconds = 60) {
  std::optional<int> status = child.finish(seconds);
  return status && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
}

}  // namespace concur::testing
