#include "core/process/forkserver.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>

#include "core/fd.h"
#include "core/errors.h"

extern char** environ;

namespace concur::process::forkserver {

namespace {

// The life pipe's read end in the server (see forkserver.h).
constexpr int kLifeFd = 3;

struct Server {
  std::mutex mu;     // one request and its reply at a time
  pid_t owner = 0;   // the process the rest belongs to (a forked child inherits a copy)
  Fd sock;
  pid_t pid = 0;
  Fd life_r;   // the life pipe: the read end, given to each server
  Fd life_w;   // ... and the write end, never given to anyone (close-on-exec)
};

Server& server() {
  static Server* s = new Server();  // lives as long as the program, as Python's does
  return *s;
}

// `fd`, moved to a number of at least `min` if it is below (close-on-exec).
Fd at_least(Fd fd, int min) {
  if (!fd || fd.get() >= min) return fd;
  Fd moved(::fcntl(fd.get(), F_DUPFD_CLOEXEC, min));
  fd.reset();
  if (!moved) throw OSError(std::strerror(errno));
  return moved;
}

// Makes `s` this process's: a forked child of the program finds its parent's server, socket
// and life pipe here, which are not its own. It closes its copies and starts afresh.
void adopt(Server& s) {
  pid_t me = ::getpid();
  if (s.owner == me) return;
  s.sock.reset();
  s.life_r.reset();
  s.life_w.reset();
  s.pid = 0;
  s.owner = me;
}

void start_server(Server& s, const std::string& executable) {
  if (!s.life_w) {
    PipeEnds life = make_pipe(O_CLOEXEC);
    if (!life.read) throw OSError(std::strerror(errno));
    s.life_r = at_least(std::move(life.read), kLifeFd + 1);  // dup2 onto itself would keep close-on-exec
    s.life_w = std::move(life.write);
  }
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) throw OSError(std::strerror(errno));
  Fd ours(sv[0]);
  Fd theirs = at_least(Fd(sv[1]), kLifeFd + 1);  // neither 0 (kept close-on-exec) nor 3 (replaced)
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, theirs.get(), 0);
  posix_spawn_file_actions_adddup2(&fa, s.life_r.get(), kLifeFd);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  // The server also dies with the thread that starts it (the parent-death signal follows
  // it): asked for only when that is the main thread. The life pipe covers the rest.
  pid_t die_with = ::gettid() == ::getpid() ? ::getpid() : 0;
  std::string a0 = executable, a1 = "__child", a2 = "__forkserver", a3 = std::to_string(die_with);
  char* argv[] = {a0.data(), a1.data(), a2.data(), a3.data(), nullptr};
  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, executable.c_str(), &fa, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  theirs.reset();  // the server has its copy on 0
  if (rc != 0) throw OSError(std::string("posix_spawn forkserver: ") + std::strerror(rc));
  s.sock = std::move(ours);
  s.pid = pid;
}

void forget(Server& s) {
  s.sock.reset();
  s.pid = 0;
}

// Python's ensure_running(): a server that has died (killed from outside) is reaped and
// forgotten, so that the next request starts a new one.
void reap_if_dead(Server& s) {
  if (s.pid <= 0) return;
  pid_t r = ::waitpid(s.pid, nullptr, WNOHANG);
  if (r == s.pid || (r < 0 && errno == ECHILD)) forget(s);
}

// A server that did not answer is dead or dying: it is killed to be sure, and reaped.
void kill_and_reap(Server& s) {
  if (s.pid > 0) {
    pid_t r = ::waitpid(s.pid, nullptr, WNOHANG);
    if (r == 0) {  // still ours and not yet ended
      ::kill(s.pid, SIGKILL);
      do r = ::waitpid(s.pid, nullptr, 0);
      while (r < 0 && errno == EINTR);
    }
  }
  forget(s);
}

struct Reply {
  bool sent = false;      // the request reached the server's socket
  bool answered = false;  // the server replied
  pid_t pid = 0;          // the child's, if it forked one
};

Reply send_request(int sock, std::string& bytes, int out_w, int err_w, int status_w, int link) {
  int fds[4] = {out_w, err_w, status_w, link};
  std::size_t sending = link >= 0 ? 4 : 3;  // the link only in a deterministic run
  iovec iov{bytes.data(), bytes.size()};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof fds)] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = CMSG_SPACE(sending * sizeof(int));
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sending * sizeof(int));
  std::memcpy(CMSG_DATA(c), fds, sending * sizeof(int));
  Reply reply;
  ssize_t sent;
  do sent = ::sendmsg(sock, &msg, MSG_NOSIGNAL);
  while (sent < 0 && errno == EINTR);
  reply.sent = sent >= 0;
  if (!reply.sent) return reply;
  int pid = 0;
  ssize_t got;
  do got = ::recv(sock, &pid, sizeof pid, 0);
  while (got < 0 && errno == EINTR);
  reply.answered = got == static_cast<ssize_t>(sizeof pid);
  if (reply.answered && pid > 0) reply.pid = pid;
  return reply;
}

// True when no process holds the write end of the pipe whose read end is `fd` and nothing
// was written: no child got it.
bool nobody_holds(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & POLLHUP) && !(p.revents & POLLIN);
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
  ssize_t w;
  do w = ::write(fd, buf, 4);
  while (w < 0 && errno == EINTR);
}

// Arms SIGKILL for this process for when the life pipe (its read end on `life_fd`) loses its
// last writer: the program and everything forked from it have ended. A description of its
// own (O_ASYNC and its owner belong to the description, which a plain inherited descriptor
// shares with others). Returns that descriptor, which must stay open as long as the process
// runs, or an empty Fd when it cannot (no /proc). Leaves at once if the program has gone
// already.
Fd die_with_program(int life_fd) {
  char path[40];
  std::snprintf(path, sizeof path, "/proc/self/fd/%d", life_fd);
  Fd own(::open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!own) return own;
  if (::fcntl(own.get(), F_SETOWN, ::getpid()) != 0 || ::fcntl(own.get(), F_SETSIG, SIGKILL) != 0 ||
      ::fcntl(own.get(), F_SETFL, O_NONBLOCK | O_ASYNC) != 0)
    return Fd();
  // Armed. If the last writer closed before, no signal comes: the pipe says so.
  pollfd p{life_fd, POLLIN, 0};
  if (::poll(&p, 1, 0) == 1 && (p.revents & POLLHUP)) ::_exit(1);
  return own;
}

// The life pipe this server got from the program, if any.
bool has_life_pipe() {
  struct stat st;
  return ::fstat(kLifeFd, &st) == 0 && S_ISFIFO(st.st_mode);
}

}  // namespace

pid_t start_child(const std::string& executable, const Request& r, int out_w, int err_w, Fd& status) {
  std::string bytes = encode(Value(List{r.target, r.name, r.identity, r.time_scale,
                                        static_cast<long long>(r.seed), r.args, r.start_method}));
  Server& s = server();
  std::lock_guard lk(s.mu);
  adopt(s);
  for (int attempt = 0;; ++attempt) {
    reap_if_dead(s);
    if (!s.sock) start_server(s, executable);
    PipeEnds st = make_pipe(O_CLOEXEC);
    if (!st.read) throw OSError(std::strerror(errno));
    Reply reply = send_request(s.sock.get(), bytes, out_w, err_w, st.write.get(), r.turn_link);
    st.write.reset();  // the child (and its server) hold the write end now, if it was forked
    if (reply.pid > 0) {
      status = std::move(st.read);
      return reply.pid;
    }
    bool retry = false;
    if (!reply.answered) {
      // No server took it: it died (killed from outside) since the last request. It is
      // reaped; the request goes once more, to a new server, unless a child may have been
      // forked for it (then it holds the status pipe, or has written on it).
      kill_and_reap(s);
      retry = attempt == 0 && (!reply.sent || nobody_holds(st.read.get()));
    }
    st.read.reset();
    if (!retry) throw OSError("the forkserver did not start the child");
  }
}

pid_t ensure_running(const std::string& executable) {
  Server& s = server();
  std::lock_guard lk(s.mu);
  adopt(s);
  reap_if_dead(s);
  if (!s.sock) start_server(s, executable);
  return s.pid;
}

void stop() {
  Server& s = server();
  std::lock_guard lk(s.mu);
  adopt(s);
  if (s.pid <= 0) return;
  s.sock.reset();  // the server sees end of file, finishes its children and leaves
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
  adopt(s);
  reap_if_dead(s);
}

std::optional<int> read_status(int status_fd, bool block) {
  if (!block) {
    // Nothing to read yet: still running. Readable: a status, or end of file.
    pollfd p{status_fd, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0) return std::nullopt;
  }
  int code = 0;
  if (read_int(status_fd, &code, true)) return code;
  // End of file without a code: the child ended without reporting (killed, or _exit) while
  // its server, which would have said how, was dead. Python's exit code for that is 255.
  reap_dead_server();
  return 255;
}

int server_main(pid_t parent, int (*run_child)(const Request& request)) {
  ::signal(SIGINT, SIG_IGN);  // Ctrl-C is for the parent and the children, not the server
  // A status pipe whose reader has gone (it read the child's own code and closed) must not
  // kill the server when it writes the code too; a child gets the program's own setting back.
  struct sigaction ignore{}, old_pipe{};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &old_pipe);
  // The server dies with the program's main thread when that started it, and in any case
  // with the program (the life pipe).
  if (parent > 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) return 1;
  }
  bool life = has_life_pipe();
  Fd own_life;  // open as long as the server runs
  if (life) {
    own_life = die_with_program(kLifeFd);
    ::fcntl(kLifeFd, F_SETFD, FD_CLOEXEC);  // inherited by forked children, not by programs they start
  }
  // A child's end wakes the loop through a signalfd for SIGCHLD.
  sigset_t chld, old_mask;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  ::sigprocmask(SIG_BLOCK, &chld, &old_mask);
  Fd sfd(::signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK));
  std::map<pid_t, Fd> status_fds;  // each running child's status pipe (write end)
  // Reaps every child that ended and tells its parent how.
  auto reap_ended = [&] {
    for (;;) {
      int status = 0;
      pid_t done = ::waitpid(-1, &status, WNOHANG);
      if (done <= 0) break;
      auto it = status_fds.find(done);
      if (it == status_fds.end()) continue;
      write_int(it->second.get(), WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status));
      status_fds.erase(it);  // closes it
    }
  };
  bool open = true;
  while (open || !status_fds.empty()) {
    pollfd p[2] = {{sfd.get(), POLLIN, 0}, {open ? 0 : -1, POLLIN, 0}};
    int n = ::poll(p, 2, sfd ? 1000 : 20);  // the timeout is only a safety net
    if (sfd && n > 0 && (p[0].revents & POLLIN)) {
      signalfd_siginfo info;
      while (::read(sfd.get(), &info, sizeof info) > 0) {
      }
    }
    if (n > 0 && open && p[1].revents) {
      char buf[65536];
      alignas(cmsghdr) char control[CMSG_SPACE(4 * sizeof(int))];
      iovec iov{buf, sizeof buf};
      msghdr msg{};
      msg.msg_iov = &iov;
      msg.msg_iovlen = 1;
      msg.msg_control = control;
      msg.msg_controllen = sizeof control;
      // Close-on-exec: a program a child starts does not inherit its status pipe.
      ssize_t got = ::recvmsg(0, &msg, MSG_CMSG_CLOEXEC);
      cmsghdr* c = got > 0 ? CMSG_FIRSTHDR(&msg) : nullptr;
      if (got <= 0 || !c || c->cmsg_type != SCM_RIGHTS) {
        open = false;  // the parent closed its end: finish the children, then leave
        reap_ended();  // the SIGCHLD this pass took may be for a child that has ended
        continue;
      }
      int fds[4] = {-1, -1, -1, -1};
      std::size_t count = std::min<std::size_t>(4, (c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
      std::memcpy(fds, CMSG_DATA(c), count * sizeof(int));
      Fd out(fds[0]), err(fds[1]), status(fds[2]);  // the child's stdout, stderr, status pipe
      Fd link(fds[3]);  // a deterministic run's link for the child (turn_link.h), if any
      List l = decode(std::string(buf, static_cast<std::size_t>(got))).as_list();
      Request r{l.at(0).as_str(), l.at(1).as_str(), l.at(2).as_str(), l.at(3).as_float(),
                static_cast<std::uint64_t>(l.at(4).as_int()), l.at(5).as_list(), l.at(6).as_str()};
      pid_t pid = ::fork();
      if (pid == 0) {
        // The child does not die with the server (a server killed from outside leaves its
        // children running, as Python's does) but with the program: the life pipe. Without
        // one, or without /proc, it falls back on dying with the server.
        // Its own armed description stays open (in this scope) until it leaves by _exit.
        Fd armed = life ? die_with_program(kLifeFd) : Fd();
        if (!armed) ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        own_life.reset();
        ::signal(SIGINT, SIG_DFL);
        ::sigaction(SIGPIPE, &old_pipe, nullptr);
        ::sigprocmask(SIG_SETMASK, &old_mask, nullptr);
        sfd.reset();
        // Not the server's socket as its stdin: holding it would keep the socket alive after
        // the server died, and the program's next request would wait for a reply for ever.
        Fd null(::open("/dev/null", O_RDONLY));
        if (null && null.get() != 0) {
          ::dup2(null.get(), 0);
          null.reset();
        } else if (!null) {
          ::close(0);  // the standard descriptor itself: no Fd owns it
        }
        ::dup2(out.get(), 1);
        ::dup2(err.get(), 2);
        out.reset();
        err.reset();
        status_fds.clear();  // closes the other children's status pipes
        // The child reports its own exit code, so that it arrives even if the server has
        // died meanwhile; the server's own report comes second and is not read.
        r.turn_link = link.release();
        int code = run_child(r) & 0xff;
        write_int(status.get(), code);
        ::_exit(code);
      }
      out.reset();
      err.reset();
      link.reset();
      if (pid > 0) status_fds[pid] = std::move(status);
      else status.reset();
      int reply = pid > 0 ? pid : -1;
      [[maybe_unused]] ssize_t w = ::send(0, &reply, sizeof reply, MSG_NOSIGNAL);
    }
    reap_ended();
  }
  return 0;
}

}  // namespace concur::process::forkserver
