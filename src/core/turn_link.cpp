#include "core/turn_link.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/errors.h"

namespace concur::turn {

namespace {

// The largest message: a member with many threads, each with its `doing`. A packet larger
// than the socket's buffer would not go; 64 KiB is far more than any demo needs.
constexpr std::size_t kMaxPacket = 64 * 1024;
constexpr std::size_t kMaxFds = 250;  // SCM_MAX_FD is 253

OSError link_error(const char* what) { return OSError(fmt::format("turn link: {}: {}", what, std::strerror(errno))); }

// A tiny writer and reader of fixed-width fields and length-prefixed strings.
struct Out {
  std::string b;
  template <typename T>
  void put(T v) {
    b.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void str(const std::string& s) {
    put(static_cast<std::uint32_t>(s.size()));
    b += s;
  }
};

struct In {
  const char* p;
  const char* end;
  template <typename T>
  T get() {
    T v{};
    if (static_cast<std::size_t>(end - p) < sizeof v) throw RuntimeError("turn link: short message");
    std::memcpy(&v, p, sizeof v);
    p += sizeof v;
    return v;
  }
  std::string str() {
    auto n = get<std::uint32_t>();
    if (static_cast<std::size_t>(end - p) < n) throw RuntimeError("turn link: short message");
    std::string s(p, n);
    p += n;
    return s;
  }
};

void send_packet(int link, const std::string& bytes, const std::vector<int>& fds) {
  if (fds.size() > kMaxFds) throw RuntimeError("turn link: too many descriptors in one report");
  iovec iov{const_cast<char*>(bytes.data()), bytes.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  std::vector<char> control;
  if (!fds.empty()) {
    control.assign(CMSG_SPACE(sizeof(int) * fds.size()), 0);
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
    std::memcpy(CMSG_DATA(c), fds.data(), sizeof(int) * fds.size());
  }
  for (;;) {
    if (::sendmsg(link, &msg, MSG_NOSIGNAL) >= 0) return;
    if (errno != EINTR) throw link_error("send");
  }
}

// One packet; false at end of file.
bool recv_packet(int link, std::string& bytes, std::vector<Fd>* fds) {
  bytes.resize(kMaxPacket);
  iovec iov{bytes.data(), bytes.size()};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  std::vector<char> control(CMSG_SPACE(sizeof(int) * kMaxFds));
  msg.msg_control = control.data();
  msg.msg_controllen = control.size();
  ssize_t n;
  do n = ::recvmsg(link, &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0 && errno == ECONNRESET) return false;
  if (n < 0) throw link_error("receive");
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (std::size_t i = 0; i < count; ++i) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
      Fd owned(fd);
      if (fds) fds->push_back(std::move(owned));
    }
  }
  if (n == 0) return false;
  bytes.resize(static_cast<std::size_t>(n));
  return true;
}

}  // namespace

std::pair<Fd, Fd> make_link() {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) throw link_error("socketpair");
  return {Fd(sv[0]), Fd(sv[1])};
}

void send_report(int link, const Report& r) {
  Out o;
  o.put(static_cast<std::uint8_t>(r.leaving));
  o.put(static_cast<std::uint32_t>(r.threads.size()));
  std::vector<int> fds;
  for (const ThreadReport& t : r.threads) {
    o.put(static_cast<std::int32_t>(t.number));
    o.put(static_cast<std::uint8_t>(t.wants));
    o.put(static_cast<std::uint8_t>(t.stopped));
    o.put(static_cast<std::uint8_t>(t.ignore_stop));
    o.put(static_cast<std::int32_t>(t.kind));
    o.put(t.wake_at);
    o.str(t.site);
    o.str(t.name);
    o.str(t.doing);
    o.put(static_cast<std::uint32_t>(t.fds.size()));
    for (const pollfd& p : t.fds) {
      o.put(static_cast<std::int16_t>(p.events));
      fds.push_back(p.fd);
    }
  }
  send_packet(link, o.b, fds);
}

bool recv_report(int link, Report& r, std::vector<Fd>& fds) {
  std::string bytes;
  fds.clear();
  if (!recv_packet(link, bytes, &fds)) return false;
  In in{bytes.data(), bytes.data() + bytes.size()};
  r = Report{};
  r.leaving = in.get<std::uint8_t>() != 0;
  auto n = in.get<std::uint32_t>();
  std::size_t next_fd = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    ThreadReport t;
    t.number = in.get<std::int32_t>();
    t.wants = static_cast<Wants>(in.get<std::uint8_t>());
    t.stopped = in.get<std::uint8_t>() != 0;
    t.ignore_stop = in.get<std::uint8_t>() != 0;
    t.kind = in.get<std::int32_t>();
    t.wake_at = in.get<double>();
    t.site = in.str();
    t.name = in.str();
    t.doing = in.str();
    auto k = in.get<std::uint32_t>();
    for (std::uint32_t j = 0; j < k; ++j) {
      auto events = in.get<std::int16_t>();
      int fd = next_fd < fds.size() ? fds[next_fd].get() : -1;
      ++next_fd;
      t.fds.push_back({fd, events, 0});
    }
    r.threads.push_back(std::move(t));
  }
  return true;
}

void send_grant(int link, const Grant& g) {
  Out o;
  o.put(static_cast<std::int32_t>(g.number));
  o.put(g.now);
  o.put(static_cast<std::int32_t>(g.stop));
  o.put(static_cast<std::int64_t>(g.pid));
  o.put(static_cast<std::int64_t>(g.ppid));
  o.put(static_cast<std::uint32_t>(g.stop_threads.size()));
  for (int n : g.stop_threads) o.put(static_cast<std::int32_t>(n));
  send_packet(link, o.b, {});
}

bool recv_grant(int link, Grant& g) {
  std::string bytes;
  if (!recv_packet(link, bytes, nullptr)) return false;
  In in{bytes.data(), bytes.data() + bytes.size()};
  g.number = in.get<std::int32_t>();
  g.now = in.get<double>();
  g.stop = in.get<std::int32_t>();
  g.pid = static_cast<long>(in.get<std::int64_t>());
  g.ppid = static_cast<long>(in.get<std::int64_t>());
  g.stop_threads.clear();
  auto n = in.get<std::uint32_t>();
  for (std::uint32_t i = 0; i < n; ++i) g.stop_threads.push_back(in.get<std::int32_t>());
  return true;
}

}  // namespace concur::turn
