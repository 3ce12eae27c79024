#include "core/process/relay.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>

#include "core/plumbing_thread.h"
#include "core/runtime.h"

namespace concur::process::relay {

struct Relay;

struct Lines {
  Relay* relay = nullptr;  // the relay of the process that watches it
  std::mutex mu;           // the relay thread and finish() take turns with the pipes
  std::uint64_t id = 0;    // the key in the relay's table (and, doubled, in its epoll set)
  Fd fds[2];               // the read ends of stdout and stderr; empty at end of file
  std::string pending[2];  // a line not yet ended by '\n'
  bool taken = false;      // finish() has it: the relay thread leaves it alone
};

// This process's relay: its epoll set, the children it watches, its thread.
struct Relay {
  pid_t owner = 0;
  Fd epoll;
  std::mutex mu;  // guards lines and next_id; taken after a Lines's mu, never before
  std::map<std::uint64_t, std::shared_ptr<Lines>> lines;
  std::uint64_t next_id = 0;
};

namespace {

// Made once per process and never destroyed: its thread runs until the process exits.
std::atomic<Relay*> the_relay{nullptr};
std::mutex start_mu;

// An epoll key: the child's id, and which of its pipes.
std::uint64_t key(std::uint64_t id, int which) { return id * 2 + static_cast<std::uint64_t>(which); }

// Copies `text` (whole lines) to the run's stdout (which 0) or stderr (1).
void emit(int which, const std::string& text) {
  Runtime& rt = runtime();
  std::lock_guard lk(rt.out_mutex());
  if (which == 0) {
    rt.write_out(text);
  } else {
    rt.err() << text;
    rt.err().flush();
  }
}

// Takes pipe `which` of `l` out of the epoll set (with l.mu held). Always before it is
// closed: a copy of the read end inherited by a sibling child keeps the pipe open, and with
// it the registration of a descriptor we no longer have, readable at end of file for ever.
void unwatch(Relay& r, Lines& l, int which) {
  if (!l.fds[which]) return;
  ::epoll_ctl(r.epoll.get(), EPOLL_CTL_DEL, l.fds[which].get(), nullptr);
}

// Reads once from pipe `which` of `l` (with l.mu held) and emits the whole lines it
// completes. At end of file (or an error) emits the partial line left and returns false;
// the caller closes the pipe.
bool read_once(Lines& l, int which) {
  char buf[4096];
  ssize_t n;
  do n = ::read(l.fds[which].get(), buf, sizeof buf);
  while (n < 0 && errno == EINTR);
  if (n < 0 && errno == EAGAIN) return true;
  std::string& pending = l.pending[which];
  if (n <= 0) {
    if (!pending.empty()) emit(which, pending + "\n");
    pending.clear();
    return false;
  }
  pending.append(buf, static_cast<std::size_t>(n));
  auto last = pending.rfind('\n');
  if (last != std::string::npos) {
    emit(which, pending.substr(0, last + 1));
    pending.erase(0, last + 1);
  }
  return true;
}

// Drops `l` from the relay's table once both its pipes are closed (with l.mu held).
void forget_if_done(Relay& r, Lines& l) {
  if (l.fds[0] || l.fds[1]) return;
  std::lock_guard lk(r.mu);
  r.lines.erase(l.id);
}

// The relay thread: waits for any watched pipe to have data (or reach end of file) and
// copies it out.
void run(Relay* r) {
  epoll_event events[16];
  for (;;) {
    int n = ::epoll_wait(r->epoll.get(), events, 16, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // cannot happen with a valid epoll descriptor
    }
    for (int i = 0; i < n; ++i) {
      std::uint64_t id = events[i].data.u64 / 2;
      int which = static_cast<int>(events[i].data.u64 % 2);
      std::shared_ptr<Lines> l;
      {
        std::lock_guard lk(r->mu);
        auto it = r->lines.find(id);
        if (it == r->lines.end()) continue;  // finished since the wait returned
        l = it->second;
      }
      std::lock_guard lk(l->mu);
      if (l->taken || !l->fds[which]) continue;
      if (!read_once(*l, which)) {
        unwatch(*r, *l, which);
        l->fds[which].reset();
        forget_if_done(*r, *l);
      }
    }
  }
}

// This process's relay, started if need be (with its thread running).
Relay& relay() {
  Relay* r = the_relay.load(std::memory_order_acquire);
  if (r && r->owner == ::getpid()) return *r;
  std::lock_guard lk(start_mu);
  r = the_relay.load(std::memory_order_acquire);
  if (r && r->owner == ::getpid()) return *r;
  Fd epoll(::epoll_create1(EPOLL_CLOEXEC));
  if (!epoll) throw std::system_error(errno, std::generic_category(), "epoll_create1");
  auto* made = new Relay();
  made->owner = ::getpid();
  made->epoll = std::move(epoll);
  try {
    // Running before the next fork() of this process (plumbing_thread.h).
    start_plumbing_thread([made] { run(made); }).detach();
  } catch (...) {
    delete made;
    throw;
  }
  the_relay.store(made, std::memory_order_release);
  return *made;
}

}  // namespace

void ensure_running() { relay(); }

std::unique_lock<std::mutex> fork_guard() { return std::unique_lock(start_mu); }

void forget_after_fork() {
  Relay* r = the_relay.load(std::memory_order_acquire);
  if (!r || r->owner == ::getpid()) return;
  r->epoll.reset();  // our copy of the parent's epoll descriptor; the rest of it is not ours
  the_relay.store(nullptr, std::memory_order_release);
}

std::shared_ptr<Lines> watch(Fd out, Fd err) {
  Relay& r = relay();
  auto l = std::make_shared<Lines>();
  l->relay = &r;
  l->fds[0] = std::move(out);
  l->fds[1] = std::move(err);
  {
    std::lock_guard lk(r.mu);
    l->id = ++r.next_id;
    r.lines.emplace(l->id, l);
  }
  std::lock_guard lk(l->mu);
  for (int which = 0; which < 2; ++which) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = key(l->id, which);
    if (::epoll_ctl(r.epoll.get(), EPOLL_CTL_ADD, l->fds[which].get(), &ev) != 0) {
      int err = errno;
      for (int k = 0; k < which; ++k) unwatch(r, *l, k);
      l->fds[0].reset();
      l->fds[1].reset();
      forget_if_done(r, *l);
      throw std::system_error(err, std::generic_category(), "epoll_ctl");
    }
  }
  return l;
}

std::shared_ptr<Lines> hold(Fd out, Fd err) {
  Relay& r = relay();
  auto l = std::make_shared<Lines>();
  l->relay = &r;
  l->fds[0] = std::move(out);
  l->fds[1] = std::move(err);
  for (Fd& fd : l->fds) {
    int flags = ::fcntl(fd.get(), F_GETFL);
    if (flags >= 0) ::fcntl(fd.get(), F_SETFL, flags | O_NONBLOCK);
  }
  return l;
}

void drain(Lines& l) {
  std::lock_guard lk(l.mu);
  if (l.taken) return;
  for (int which = 0; which < 2; ++which) {
    for (;;) {
      if (!l.fds[which]) break;
      pollfd p{l.fds[which].get(), POLLIN, 0};
      if (::poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN)) break;  // nothing more now (end of file: finish's)
      if (!read_once(l, which)) {
        l.fds[which].reset();
        break;
      }
    }
  }
}

void finish(Lines& l) {
  Relay& r = *l.relay;
  if (r.owner != ::getpid()) return;  // a forked child's copy: the parent's to finish
  std::lock_guard lk(l.mu);
  if (l.taken) return;
  for (int which = 0; which < 2; ++which) unwatch(r, l, which);
  l.taken = true;
  for (;;) {
    pollfd fds[2] = {{l.fds[0].get(), POLLIN, 0}, {l.fds[1].get(), POLLIN, 0}};
    if (!l.fds[0] && !l.fds[1]) break;
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int which = 0; which < 2; ++which)
      if (fds[which].fd >= 0 && (fds[which].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) &&
          !read_once(l, which))
        l.fds[which].reset();
  }
  std::lock_guard rlk(r.mu);
  r.lines.erase(l.id);
}

}  // namespace concur::process::relay
