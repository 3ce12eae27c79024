#include "forkserver.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>

#include "errors.h"

extern char** environ;

namespace concur::process::forkserver {

namespace {

struct Server {
  std::mutex mu;  // one request and its reply at a time
  int sock = -1;
  pid_t pid = 0;
};

Server& server() {
  static Server* s = new Server();  // lives as long as the program, as Python's does
  return *s;
}

void start_server(Server& s, const std::string& executable) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) throw OSError(std::strerror(errno));
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, sv[1], 0);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  std::string a0 = executable, a1 = "__child", a2 = "__forkserver", a3 = std::to_string(::getpid());
  char* argv[] = {a0.data(), a1.data(), a2.data(), a3.data(), nullptr};
  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, executable.c_str(), &fa, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  ::close(sv[1]);
  if (rc != 0) {
    ::close(sv[0]);
    throw OSError(std::string("posix_spawn forkserver: ") + std::strerror(rc));
  }
  s.sock = sv[0];
  s.pid = pid;
}

bool read_int(int fd, int* value, bool block) {
  if (!block) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) return false;
  }
  char buf[4];
  std::size_t got = 0;
  while (got < 4) {
    ssize_t r = ::read(fd, buf + got, 4 - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    got += static_cast<std::size_t>(r);
  }
  std::memcpy(value, buf, 4);
  return true;
}

void write_int(int fd, int value) {
  char buf[4];
  std::memcpy(buf, &value, 4);
  [[maybe_unused]] ssize_t w = ::write(fd, buf, 4);
}

}  // namespace

pid_t start_child(const std::string& executable, const Request& r, int out_w, int err_w, int* status_fd) {
  int st[2];
  if (::pipe2(st, O_CLOEXEC) != 0) throw OSError(std::strerror(errno));
  Server& s = server();
  std::lock_guard lk(s.mu);
  if (s.sock < 0) start_server(s, executable);
  std::string bytes = encode(Value(List{r.target, r.name, r.identity, r.time_scale,
                                        static_cast<long long>(r.seed), r.args}));
  int fds[3] = {out_w, err_w, st[1]};
  iovec iov{bytes.data(), bytes.size()};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof fds)] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof fds);
  std::memcpy(CMSG_DATA(c), fds, sizeof fds);
  ssize_t sent = ::sendmsg(s.sock, &msg, MSG_NOSIGNAL);
  ::close(st[1]);
  int pid = 0;
  if (sent < 0 || ::recv(s.sock, &pid, sizeof pid, 0) != static_cast<ssize_t>(sizeof pid) || pid <= 0) {
    ::close(st[0]);
    throw OSError("the forkserver did not start the child");
  }
  *status_fd = st[0];
  return pid;
}

pid_t ensure_running(const std::string& executable) {
  Server& s = server();
  std::lock_guard lk(s.mu);
  if (s.sock < 0) start_server(s, executable);
  return s.pid;
}

void stop() {
  Server& s = server();
  std::lock_guard lk(s.mu);
  if (s.pid <= 0) return;
  ::close(s.sock);  // the server sees end of file, finishes its children and leaves
  s.sock = -1;
  for (int waited_ms = 0;; ++waited_ms) {
    pid_t r = ::waitpid(s.pid, nullptr, WNOHANG);
    if (r == s.pid || (r < 0 && errno != EINTR)) break;
    if (waited_ms == 1000) ::kill(s.pid, SIGKILL);
    ::poll(nullptr, 0, 1);
  }
  s.pid = 0;
}

// Reaps the server if it died (killed from outside), so the next child starts a new one.
void reap_dead_server() {
  Server& s = server();
  std::lock_guard lk(s.mu);
  if (s.pid > 0 && ::waitpid(s.pid, nullptr, WNOHANG) == s.pid) {
    ::close(s.sock);
    s.sock = -1;
    s.pid = 0;
  }
}

std::optional<int> read_status(int status_fd, bool block) {
  if (!block) {
    // Nothing to read yet: still running. Readable: a status, or end of file when the
    // server died without sending one (then the child died with it, see server_main).
    pollfd p{status_fd, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) return std::nullopt;
  }
  int code = 0;
  if (read_int(status_fd, &code, true)) return code;
  reap_dead_server();
  return -SIGKILL;  // the server went away without a status: its children were killed
}

int server_main(pid_t parent, int (*run_child)(const Request& request)) {
  ::signal(SIGINT, SIG_IGN);  // Ctrl-C is for the parent and the children, not the server
  // The server dies with the program that started it (its children die with it, below).
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (parent > 0 && ::getppid() != parent) return 1;
  // A child's end wakes the loop through a signalfd for SIGCHLD.
  sigset_t chld, old_mask;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  ::sigprocmask(SIG_BLOCK, &chld, &old_mask);
  int sfd = ::signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
  std::map<pid_t, int> status_fds;
  bool open = true;
  while (open || !status_fds.empty()) {
    pollfd p[2] = {{sfd, POLLIN, 0}, {open ? 0 : -1, POLLIN, 0}};
    int n = ::poll(p, 2, sfd >= 0 ? 1000 : 20);  // the timeout is only a safety net
    if (sfd >= 0 && n > 0 && (p[0].revents & POLLIN)) {
      signalfd_siginfo info;
      while (::read(sfd, &info, sizeof info) > 0) {
      }
    }
    if (n > 0 && open && p[1].revents) {
      char buf[65536];
      alignas(cmsghdr) char control[CMSG_SPACE(3 * sizeof(int))];
      iovec iov{buf, sizeof buf};
      msghdr msg{};
      msg.msg_iov = &iov;
      msg.msg_iovlen = 1;
      msg.msg_control = control;
      msg.msg_controllen = sizeof control;
      ssize_t got = ::recvmsg(0, &msg, 0);
      cmsghdr* c = got > 0 ? CMSG_FIRSTHDR(&msg) : nullptr;
      if (got <= 0 || !c || c->cmsg_type != SCM_RIGHTS) {
        open = false;  // the parent closed its end: finish the children, then leave
        continue;
      }
      int fds[3];
      std::memcpy(fds, CMSG_DATA(c), sizeof fds);
      List l = decode(std::string(buf, static_cast<std::size_t>(got))).as_list();
      Request r{l.at(0).as_str(), l.at(1).as_str(), l.at(2).as_str(), l.at(3).as_float(),
                static_cast<std::uint64_t>(l.at(4).as_int()), l.at(5).as_list()};
      pid_t pid = ::fork();
      if (pid == 0) {
        // A child never outlives the server: if the server is killed, nobody could report
        // the child's end or reap it.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        ::signal(SIGINT, SIG_DFL);
        ::sigprocmask(SIG_SETMASK, &old_mask, nullptr);
        if (sfd >= 0) ::close(sfd);
        ::dup2(fds[0], 1);
        ::dup2(fds[1], 2);
        for (int fd : fds) ::close(fd);
        for (auto& [_, fd] : status_fds) ::close(fd);
        ::_exit(run_child(r));
      }
      ::close(fds[0]);
      ::close(fds[1]);
      if (pid > 0) status_fds[pid] = fds[2];
      else ::close(fds[2]);
      int reply = pid > 0 ? pid : -1;
      [[maybe_unused]] ssize_t w = ::send(0, &reply, sizeof reply, MSG_NOSIGNAL);
    }
    // Reap every child that ended and tell its parent how.
    for (;;) {
      int status = 0;
      pid_t done = ::waitpid(-1, &status, WNOHANG);
      if (done <= 0) break;
      auto it = status_fds.find(done);
      if (it == status_fds.end()) continue;
      write_int(it->second, WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status));
      ::close(it->second);
      status_fds.erase(it);
    }
  }
  return 0;
}

}  // namespace concur::process::forkserver
