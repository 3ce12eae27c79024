// concur's entry point: process set-up (signals) around the command line in cli/app.h.
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <streambuf>
#include <system_error>
#include <thread>

#include "cli/app.h"
#include "cli/live.h"
#include "demos/process_targets.h"
#include "core/plumbing_thread.h"
#include "core/process/process.h"
#include "core/runtime.h"

namespace {

// Ctrl-C, SIGTERM, SIGHUP (the terminal closed) and SIGQUIT (Ctrl-\) are taken by one
// thread with sigwait: it stops the run (every wait and sleep then unwinds its thread), and
// the demo ends with exit 128 + the signal (130, 143, 129, 131). A second signal, or a demo
// that ignores the stop for 5 s, ends the process at once. Children die with concur in any
// case (process.h), so even SIGKILL leaves none behind.
void start_signal_thread() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGQUIT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // inherited by every thread started later
  // Returns once the thread runs (plumbing_thread.h: a demo may fork at once).
  concur::start_plumbing_thread([set] {
    int sig = 0;
    sigwait(&set, &sig);
    int code = 128 + sig;
    concur::runtime().cancel(concur::cli::stop_for_signal(sig));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    timespec ts{0, 100'000'000};
    while (std::chrono::steady_clock::now() < deadline) {
      if (sigtimedwait(&set, nullptr, &ts) > 0) break;
    }
    concur::cli::restore_terminal_now();  // --live's panel: no destructor runs after _exit
    _exit(code);
  }).detach();
}

// Standard descriptors that were closed when concur started (`concur demo pipe >&-`) are
// opened on /dev/null, as careful daemons do: else the first pipe or socket the run makes
// takes descriptor 1, and a child's output clobbers it.
void open_closed_standard_descriptors() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    int got = ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);  // the lowest free: `fd`
    if (got != fd && got >= 0) ::close(got);
  }
}

// Passes standard output on to its stdio buffer unchanged, and keeps the errno of the first
// write that failed: the stream itself keeps only that it failed.
class FailureKeeper : public std::streambuf {
 public:
  explicit FailureKeeper(std::streambuf* inner) : inner_(inner) {}
  int error() const { return error_; }
  std::streambuf* inner() const { return inner_; }

 protected:
  int_type overflow(int_type c) override {
    errno = 0;
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    int_type r = inner_->sputc(traits_type::to_char_type(c));
    if (traits_type::eq_int_type(r, traits_type::eof())) keep();
    return r;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    errno = 0;
    std::streamsize r = inner_->sputn(s, n);
    if (r < n) keep();
    return r;
  }
  int sync() override {
    errno = 0;
    int r = inner_->pubsync();
    if (r != 0) keep();
    return r;
  }

 private:
  void keep() {
    if (error_ == 0) error_ = errno ? errno : EIO;
  }
  std::streambuf* inner_;
  int error_ = 0;
};

// What a write error on standard output means for the exit code: a reader that left (EPIPE:
// `concur list | head -1`) is the shell's broken-pipe status, quietly, as if SIGPIPE had
// ended us; any other error (a full disk) is exit 1 with one line, as coreutils do.
int after_write_error(int err, int code) {
  if (err == 0) return code;
  if (err == EPIPE) return 128 + SIGPIPE;
  std::cerr << "concur: write error: " << std::strerror(err) << std::endl;
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  // The functions a spawned child may run, by name; then a spawned child (`concur __child
  // ...`, started by process::Process with the spawn method) runs its target and leaves.
  open_closed_standard_descriptors();
  concur::demos::register_process_targets();
  if (argc > 1 && std::string(argv[1]) == "__child") return concur::process::child_main(argc, argv);
  // A file size limit (ulimit -f) makes a too-large --trace fail with EFBIG, reported,
  // instead of killing concur mid-write with its temporary file left behind.
  ::signal(SIGXFSZ, SIG_IGN);
  // Only a run's own children may write trace events: not a program this one was run by.
  ::unsetenv("CONCUR_TRACE_DIR");
  try {
    start_signal_thread();
  } catch (const std::system_error& e) {  // EAGAIN: a process limit (ulimit -u) reached
    std::cerr << "concur: can't start new thread: " << e.code().message() << std::endl;
    return 1;
  }
  FailureKeeper keeper(std::cout.rdbuf());
  std::cout.rdbuf(&keeper);
  std::vector<std::string> args(argv + 1, argv + argc);
  int code = concur::cli::run(args, std::cout, std::cerr);
  concur::process::stop_forkserver();  // reaped, not left to init
  std::cout.flush();
  int err = keeper.error() ? keeper.error() : std::cout.fail() ? EIO : 0;
  std::cout.rdbuf(keeper.inner());
  return after_write_error(err, code);
}
