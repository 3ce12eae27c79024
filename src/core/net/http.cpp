#include "core/park.h"
#include "core/net/http.h"

#include <asio/co_spawn.hpp>
#include <asio/connect.hpp>
#include <asio/post.hpp>
#include <asio/detached.hpp>
#include <asio/read.hpp>
#include <asio/read_until.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <system_error>
#include <exception>
#include <utility>

#include "core/aio/loop.h"
#include "core/fd.h"
#include "core/io_stop.h"
#include "core/runtime.h"

namespace concur::net {

namespace {

using asio::ip::tcp;

constexpr std::size_t kMaxHead = 16 * 1024;  // request or response head larger: refused

// The standard reason phrase of a status code.
std::string reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Unknown";
  }
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// An http:// or https:// URL taken apart: where the client connects, and what it asks for.
struct Target {
  bool secure = false;      // https://
  std::string host;         // lower case
  unsigned short port = 80;
  std::string authority;    // host[:port] as written: the Host header
  std::string path = "/";   // from the first '/' or '?', without the fragment
  // On the loopback, over plain http: the client connects to it directly.
  bool loopback() const { return !secure && (host == "127.0.0.1" || host == "localhost"); }
  // The absolute form a proxy is asked for ("http://www.cnn.com/"), and the key a proxied
  // page is kept under (the same with the default port left out).
  std::string absolute() const { return (secure ? "https://" : "http://") + authority + path; }
  std::string key() const {
    bool default_port = port == (secure ? 443 : 80);
    std::string origin = (secure ? "https://" : "http://") + host + (default_port ? "" : ":" + std::to_string(port));
    return origin + path.substr(0, path.find('?'));
  }
};

// The proxy get() and async_get() send non-loopback URLs to (its port on 127.0.0.1; 0: none):
// set by InstalledProxy. An atomic, so a process forked at any moment has a whole value.
std::atomic<unsigned short> g_proxy_port{0};

Target parse_url(const std::string& url) {
  auto refuse = [&] { return ValueError("concur fetches only http:// and https:// URLs, not '" + url + "'"); };
  Target t;
  std::string rest;
  if (lower(url.substr(0, 7)) == "http://") {
    rest = url.substr(7);
  } else if (lower(url.substr(0, 8)) == "https://") {
    rest = url.substr(8);
    t.secure = true;
    t.port = 443;
  } else {
    throw refuse();
  }
  auto slash = rest.find_first_of("/?#");
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) t.path = rest.substr(slash);
  if (auto hash = t.path.find('#'); hash != std::string::npos) t.path.erase(hash);
  if (t.path.empty() || t.path[0] != '/') t.path = "/" + t.path;
  std::string host = authority;
  if (auto colon = authority.rfind(':'); colon != std::string::npos) {
    host = authority.substr(0, colon);
    std::string digits = authority.substr(colon + 1);
    if (digits.empty() || digits.size() > 5 ||
        !std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); }))
      throw ValueError("nonnumeric port: '" + digits + "'");
    int port = std::stoi(digits);
    if (port < 1 || port > 65535) throw ValueError("Port out of range 0-65535");
    t.port = static_cast<unsigned short>(port);
  }
  if (host.empty()) throw ValueError("no host given: '" + url + "'");
  t.host = lower(host);
  t.authority = authority;
  return t;
}

// The target, and the loopback port the client connects to: the URL's own on the loopback,
// else the installed proxy's. ValueError before any socket exists if there is none.
std::pair<Target, unsigned short> route(const std::string& url) {
  Target t = parse_url(url);
  if (t.loopback()) return {t, t.port};
  unsigned short proxy = g_proxy_port.load();
  if (proxy == 0)
    throw ValueError("concur fetches only http://127.0.0.1 and http://localhost URLs, or others through an "
                     "installed local proxy (net::InstalledProxy), not '" + url + "'");
  return {t, proxy};
}

// The header a proxy's 502 carries the resolver's error in, when a name did not resolve.
constexpr const char* kResolverErrorHeader = "X-Concur-Resolver-Error";

// Python's str() of an OSError: "[Errno 111] Connection refused".
std::string errno_text(const std::error_code& ec) {
  return "[Errno " + std::to_string(ec.value()) + "] " + ec.message();
}

// The OSError subclass Python raises for a socket error while reading a response.
PyError os_error(const std::error_code& ec) {
  std::string type = "OSError";
  if (ec.category() == asio::system_category()) {
    switch (ec.value()) {
      case ECONNREFUSED: type = "ConnectionRefusedError"; break;
      case ECONNRESET: type = "ConnectionResetError"; break;
      case ECONNABORTED: type = "ConnectionAbortedError"; break;
      case EPIPE: type = "BrokenPipeError"; break;
      default: break;
    }
  }
  return PyError(type, errno_text(ec));
}

// The socket and the timer that closes it when the fetch's time is up; shared with the
// timer's handler, which may run after the fetch's coroutine has ended.
struct Fetch {
  explicit Fetch(const asio::any_io_executor& ex) : socket(ex), timer(ex) {}
  tcp::socket socket;
  asio::steady_timer timer;
  bool timed_out = false;
};

// What a response's head (status line and headers, through the blank line) says, besides
// the status and reason it sets in `response`. Throws BadStatusLine for a bad status line.
struct ResponseHead {
  std::size_t content_length = 0;
  bool has_length = false;
  std::optional<std::string> resolver_failed;  // a proxy's 502 for a name that did not resolve
};

ResponseHead parse_response_head(const std::string& head, Response& response) {
  ResponseHead parsed;
  // Status line "HTTP/1.1 200 OK", then headers.
  auto line_end = head.find("\r\n");
  std::string status_line = head.substr(0, line_end);
  auto sp1 = status_line.find(' ');
  if (status_line.rfind("HTTP/", 0) != 0 || sp1 == std::string::npos) throw PyError("BadStatusLine", status_line);
  auto sp2 = status_line.find(' ', sp1 + 1);
  try {
    response.status = std::stoi(status_line.substr(sp1 + 1, sp2 - sp1 - 1));
  } catch (const std::exception&) {
    throw PyError("BadStatusLine", status_line);
  }
  response.reason = sp2 == std::string::npos ? "" : status_line.substr(sp2 + 1);
  for (auto pos = line_end + 2; pos < head.size();) {
    auto end = head.find("\r\n", pos);
    std::string line = head.substr(pos, end - pos);
    pos = end + 2;
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = lower(line.substr(0, colon)), value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    if (name == "content-length") {
      parsed.content_length = std::stoul(value);
      parsed.has_length = true;
    }
    if (name == lower(kResolverErrorHeader)) parsed.resolver_failed = value;
  }
  return parsed;
}

// The request a client sends for `target` (to a proxy, the request line names the whole
// URL, absolute form, as urllib sends it).
std::string request_for(const Target& target) {
  std::string request_target = target.loopback() ? target.path : target.absolute();
  return "GET " + request_target + " HTTP/1.1\r\nHost: " + target.authority +
         "\r\nAccept-Encoding: identity\r\nUser-Agent: Python-urllib/3.12\r\nConnection: close\r\n\r\n";
}

// The end of a fetch that got a whole response: what urllib raises for it, or it.
Response finished_response(Response response, const ResponseHead& head, bool raise_for_status) {
  // The lookup failed: what urllib raises when it cannot resolve the name itself.
  if (response.status == 502 && head.resolver_failed) throw URLError(*head.resolver_failed);
  if (raise_for_status && (response.status < 200 || response.status > 299))
    throw HTTPError(response.status, response.reason, std::move(response.body));
  return response;
}

// The head of a server's response, and the page it sends for an error status.
std::string response_head(int status, std::size_t length, const std::string& extra_header) {
  return "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) +
         "\r\nServer: concur\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
         std::to_string(length) + "\r\n" + extra_header + "Connection: close\r\n\r\n";
}

std::shared_ptr<const std::string> error_page(int status) {
  return std::make_shared<const std::string>("<!DOCTYPE html>\n<html><head><title>Error response</title>"
                                             "</head><body><h1>" + std::to_string(status) + " " +
                                             reason_phrase(status) + "</h1></body></html>\n");
}

bool is_eof(const std::error_code& ec) { return ec == asio::error::eof; }

}  // namespace

// --- client

// GCC 12 may inline the allocation of a coroutine's frame (async_get's and serve's here:
// Asio's awaitable_frame_base::operator new, which calls ::operator new) but not the
// matching operator delete, and then warns -Wmismatched-new-delete that the two do not
// match. They do (the frame's own operator delete frees what its operator new took): a
// false positive of GCC with coroutines whose promise has its own operator new. Whether it
// fires depends on inlining choices elsewhere in this file, so it is off for the client and
// the server alike (popped at the end of the file).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
// --- the client in a deterministic run: the same requests on a socket that never blocks,
// each wait a scheduling point (Scheduler::wait_fds, or the asyncio loop's wait_fd)

// Asked for a deterministic run's sockets (the kernel clamps it to net.core.[rw]mem_max
// and doubles it): setting it also turns off the buffers' autotuning, which follows
// measured round-trip times, so what a write or read moves depends on the bytes alone.
constexpr int kVirtualSocketBuffer = 1 << 20;

// A deterministic run's socket options: no Nagle delay (a short write goes at once, not
// when an acknowledgement comes), buffers of a fixed size.
void set_virtual_socket_options(int fd) {
  int one = 1, size = kVirtualSocketBuffer;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
}

std::error_code errno_code(int e) { return std::error_code(e, std::system_category()); }

// Waits until `fd` is ready for `events` (true) or `deadline` passes (false): on `loop`, the
// asyncio loop the fetch's coroutine runs on (which goes on running its other tasks); with
// none (a bare io_context, which nothing else may run meanwhile), parked in the scheduler
// on `site`.
asio::awaitable<bool> await_socket(aio::EventLoop* loop, WaitSite& site, int fd, short events, Deadline deadline) {
  if (loop != nullptr) {
    bool ready = co_await loop->wait_fd(fd, events, deadline, site.label());
    co_return ready;
  }
  std::vector<pollfd> fds{{fd, events, 0}};
  co_return scheduler().wait_fds(site, fds, deadline) >= 0;
}

// async_get in a deterministic run, with the same errors.
asio::awaitable<Response> virtual_get(std::string url, double timeout_lecture_seconds, bool raise_for_status,
                                      aio::EventLoop* loop) {
  std::pair<Target, unsigned short> routed = route(url);
  const Target target = routed.first;
  const Deadline deadline =
      timeout_lecture_seconds >= 0 ? Deadline::after(timeout_lecture_seconds) : Deadline::never();
  // What a thread waits for, as a --step prompt or a stuck report names it (no port).
  WaitSite site(SiteKind::kPipe, "socket for " + (target.loopback() ? target.path : target.absolute()));
  Fd sock(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!sock) throw URLError(errno_text(errno_code(errno)));
  set_virtual_socket_options(sock.get());
  const int fd = sock.get();

  // Connect, then send the request: errors here are URLErrors, as urllib wraps them.
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(routed.second);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    int e = errno;
    if (e != EINPROGRESS) throw URLError(errno_text(errno_code(e)));
    bool connected = co_await await_socket(loop, site, fd, POLLOUT, deadline);
    if (!connected) throw URLError("timed out");
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0) throw URLError(errno_text(errno_code(error)));
  }
  const std::string request = request_for(target);
  for (std::size_t sent = 0; sent < request.size();) {
    ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n >= 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    int e = errno;
    if (e == EINTR) continue;
    if (e != EAGAIN && e != EWOULDBLOCK) throw URLError(errno_text(errno_code(e)));
    bool writable = co_await await_socket(loop, site, fd, POLLOUT, deadline);
    if (!writable) throw URLError("timed out");
  }

  // The response, read as it comes, everything there before each wait: a read timeout is a
  // bare TimeoutError, as urllib does not wrap it.
  std::string data;
  Response response;
  ResponseHead head;
  std::size_t head_end = std::string::npos;
  std::vector<char> chunk(64 * 1024);
  for (bool eof = false; !eof;) {
    if (head_end != std::string::npos && head.has_length && data.size() - head_end >= head.content_length) break;
    ssize_t n = ::recv(fd, chunk.data(), chunk.size(), 0);
    if (n > 0) {
      data.append(chunk.data(), static_cast<std::size_t>(n));
      if (head_end == std::string::npos) {
        auto blank = data.find("\r\n\r\n");
        if (blank != std::string::npos) {
          head_end = blank + 4;
          head = parse_response_head(data.substr(0, head_end), response);
        } else if (data.size() > kMaxHead) {
          throw PyError("BadStatusLine", data.substr(0, 80));
        }
      }
      continue;
    }
    if (n == 0) {
      eof = true;
      continue;
    }
    int e = errno;
    if (e == EINTR) continue;
    if (e != EAGAIN && e != EWOULDBLOCK) throw os_error(errno_code(e));
    bool readable = co_await await_socket(loop, site, fd, POLLIN, deadline);
    if (!readable) throw TimeoutError("timed out");
  }
  if (head_end == std::string::npos) {
    if (data.empty()) throw RemoteDisconnected();
    throw PyError("BadStatusLine", data.substr(0, 80));
  }
  response.body = data.substr(head_end);
  if (head.has_length) {
    if (response.body.size() < head.content_length) throw IncompleteRead(response.body.size(), head.content_length);
    response.body.resize(head.content_length);
  }
  sock.reset();
  co_return finished_response(std::move(response), head, raise_for_status);
}

asio::awaitable<Response> async_get(std::string url, double timeout_lecture_seconds, bool raise_for_status) {
  if (scheduler().is_virtual()) {
    // On the asyncio loop this coroutine runs on, if any: its waits are the loop's.
    aio::EventLoop* running = aio::detail::per_thread().running_loop;
    asio::any_io_executor executor = co_await asio::this_coro::executor;
    aio::EventLoop* loop = nullptr;
    if (running != nullptr && &asio::query(executor, asio::execution::context) == &running->context()) loop = running;
    Response response = co_await virtual_get(url, timeout_lecture_seconds, raise_for_status, loop);
    co_return response;
  }
  std::pair<Target, unsigned short> routed = route(url);
  const Target& target = routed.first;
  const unsigned short port = routed.second;
  auto fetch = std::make_shared<Fetch>(co_await asio::this_coro::executor);
  if (timeout_lecture_seconds >= 0) {
    fetch->timer.expires_after(scheduler().to_real(timeout_lecture_seconds));
    fetch->timer.async_wait([fetch](const std::error_code& ec) {
      if (ec) return;  // cancelled: the fetch ended in time
      fetch->timed_out = true;
      std::error_code ignored;
      fetch->socket.close(ignored);
    });
  }
  struct CancelTimer {
    Fetch& f;
    ~CancelTimer() { f.timer.cancel(); }
  } cancel_timer{*fetch};

  // Connect: errors here are URLErrors, as urllib wraps them.
  try {
    tcp::endpoint endpoint(asio::ip::address_v4::loopback(), port);
    co_await fetch->socket.async_connect(endpoint, asio::use_awaitable);
    std::string request = request_for(target);
    co_await asio::async_write(fetch->socket, asio::buffer(request), asio::use_awaitable);
  } catch (const std::system_error& e) {
    if (fetch->timed_out) throw URLError("timed out");
    throw URLError(errno_text(e.code()));
  }

  // The response: a read timeout is a bare TimeoutError, as urllib does not wrap it.
  std::string data;
  Response response;
  std::size_t content_length = 0;
  bool has_length = false;
  std::optional<std::string> resolver_failed;  // a proxy's 502 for a name that did not resolve
  std::size_t head_end = 0;
  try {
    std::error_code ec;
    head_end = co_await asio::async_read_until(fetch->socket, asio::dynamic_buffer(data, kMaxHead), "\r\n\r\n",
                                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (fetch->timed_out) throw TimeoutError("timed out");
      if (is_eof(ec) && data.empty()) throw RemoteDisconnected();
      if (is_eof(ec) || ec == asio::error::not_found) throw PyError("BadStatusLine", data.substr(0, 80));
      throw os_error(ec);
    }
    ResponseHead parsed = parse_response_head(data.substr(0, head_end), response);
    content_length = parsed.content_length;
    has_length = parsed.has_length;
    resolver_failed = parsed.resolver_failed;
    // The body: Content-Length bytes, or everything up to the close.
    response.body = data.substr(head_end);
    if (has_length && response.body.size() < content_length) {
      std::size_t have = response.body.size();
      response.body.resize(content_length);
      std::size_t got = co_await asio::async_read(
          fetch->socket, asio::buffer(response.body.data() + have, content_length - have),
          asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (fetch->timed_out) throw TimeoutError("timed out");
        if (is_eof(ec)) throw IncompleteRead(have + got, content_length);
        throw os_error(ec);
      }
    } else if (!has_length) {
      co_await asio::async_read(fetch->socket, asio::dynamic_buffer(response.body),
                                asio::redirect_error(asio::use_awaitable, ec));
      if (fetch->timed_out) throw TimeoutError("timed out");
      if (ec && !is_eof(ec)) throw os_error(ec);
    }
    if (has_length && response.body.size() > content_length) response.body.resize(content_length);
  } catch (const std::system_error& e) {
    if (fetch->timed_out) throw TimeoutError("timed out");
    throw os_error(e.code());
  }
  std::error_code ignored;
  fetch->socket.close(ignored);
  ResponseHead parsed;
  parsed.resolver_failed = resolver_failed;
  co_return finished_response(std::move(response), parsed, raise_for_status);
}

Response get(const std::string& url, double timeout_lecture_seconds, bool raise_for_status) {
  route(url);  // a bad URL, or one with no way to it, throws here, before any socket exists
  asio::io_context io;
  std::optional<Response> result;
  std::exception_ptr error;
  if (scheduler().is_virtual()) {
    // On a private asyncio loop, whose waits park this thread in the scheduler between its
    // turns of the io_context, never inside one: the fibers of a virtual run share one OS
    // thread, and Asio keeps per-thread state for the io_context a thread is running.
    aio::EventLoop loop;
    asio::co_spawn(loop.context(), virtual_get(url, timeout_lecture_seconds, raise_for_status, &loop),
                   [&](std::exception_ptr e, Response r) {
                     if (e)
                       error = e;
                     else
                       result = std::move(r);
                   });
    loop.run_until([&] { return result || error; }, false);
    if (error) std::rethrow_exception(error);
    return std::move(*result);
  }
  asio::co_spawn(io, async_get(url, timeout_lecture_seconds, raise_for_status),
                 [&](std::exception_ptr e, Response r) {
                   if (e)
                     error = e;
                   else
                     result = std::move(r);
                 });
  // The fetch's completion stops the context; so does a stop of the run or this thread,
  // which the watch turns into a wake-up (then check_stop throws ThreadExit).
  ThreadState& me = current_thread_state();
  IoStopWatch watch(io);
  for (;;) {
    detail::check_stop(me);
    if (result || error) break;
    io.run_one();
  }
  if (error) std::rethrow_exception(error);
  return std::move(*result);
}

// --- server

// Deterministic runs: the fibers that accept and serve.
struct HttpServer::Plumbing {
  std::vector<std::shared_ptr<ThreadState>> fibers;  // the accepting one, then one per connection
  WaitSite listening{SiteKind::kPipe, "HttpServer's listening socket"};
  int connections = 0;
};

HttpServer::HttpServer() : acceptor_(io_) {
  tcp::endpoint endpoint(asio::ip::address_v4::loopback(), 0);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  const bool is_virtual = scheduler().is_virtual();
  if (is_virtual) set_virtual_socket_options(acceptor_.native_handle());  // before listen: for the handshake
  acceptor_.bind(endpoint);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
  if (is_virtual) {
    // Accepting is a fiber of the deterministic scheduler's, not a thread of its own.
    acceptor_.non_blocking(true);
    plumbing_ = std::make_unique<Plumbing>();
    start_plumbing("HttpServer accept", [this](ThreadState& me) { accept_virtual(me); });
    return;
  }
  asio::co_spawn(io_, accept_loop(), asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

HttpServer::~HttpServer() {
  if (plumbing_) {
    // The fibers are stopped at their waits, as daemon threads at exit, and unwind in turn.
    for (std::size_t i = 0; i < plumbing_->fibers.size(); ++i) {
      ThreadState& t = *plumbing_->fibers[i];
      {
        std::lock_guard lk(t.done_mutex);
        if (!t.finished) stop_thread(t, 2);
      }
      scheduler().let_finish(t);
    }
    plumbing_.reset();
  }
  io_.stop();
  if (thread_.joinable()) thread_.join();
  // A lookup still running posts its answer to the stopped io_, where nothing runs it.
  std::vector<std::thread> lookups;
  {
    std::lock_guard lk(lookups_mutex_);
    lookups.swap(lookups_);
  }
  for (std::thread& t : lookups) t.join();
  // Pending connections' coroutines (and their sockets) are destroyed with io_.
}

namespace {

// The key a page is kept under: a path as it is, an absolute URL normalised (Target::key).
std::string page_key(const std::string& where) {
  if (!where.empty() && where[0] == '/') return where.substr(0, where.find('?'));
  return parse_url(where).key();
}

}  // namespace

std::string HttpServer::filler(const std::string& path, std::size_t size_bytes) {
  const std::string head = "<!DOCTYPE html>\n<html><head><title>" + path + "</title></head><body>\n";
  const std::string tail = "</body></html>\n";
  const std::string text =
      "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut "
      "labore et dolore magna aliqua.</p>\n";
  std::string body;
  body.reserve(size_bytes);
  bool framed = size_bytes >= head.size() + tail.size();
  if (framed) body = head;
  std::size_t fill_to = framed ? size_bytes - tail.size() : size_bytes;
  while (body.size() < fill_to) body.append(text, 0, std::min(text.size(), fill_to - body.size()));
  if (framed) body += tail;
  return body;
}

void HttpServer::add_page(const std::string& path, std::size_t size_bytes, double latency_lecture_seconds,
                          int status) {
  Entry page;
  page.body = std::make_shared<const std::string>(filler(path, size_bytes));
  page.status = status;
  page.latency = scheduler().to_real(std::max(0.0, latency_lecture_seconds));
  std::lock_guard lk(pages_mutex_);
  pages_[page_key(path)] = std::move(page);
}

void HttpServer::fail(const std::string& path, double latency_lecture_seconds) {
  Entry page;
  page.fail = true;
  page.latency = scheduler().to_real(std::max(0.0, latency_lecture_seconds));
  std::lock_guard lk(pages_mutex_);
  pages_[page_key(path)] = std::move(page);
}

std::string HttpServer::add_page(const Page& page) {
  add_page(page.url, page.size, page.latency);
  return !page.url.empty() && page.url[0] == '/' ? url(page.url) : page.url;
}

std::string HttpServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::string HttpServer::refused_url(const std::string& path) {
  std::lock_guard lk(refused_mutex_);
  if (!refused_socket_) {
    // Bound but never listening: the port stays ours, and connecting to it is refused.
    tcp::socket s(io_);
    s.open(tcp::v4());
    s.bind(tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    refused_socket_.emplace(std::move(s));
  }
  return "http://127.0.0.1:" + std::to_string(refused_socket_->local_endpoint().port()) + path;
}

std::optional<HttpServer::Entry> HttpServer::find(const std::string& key) {
  std::lock_guard lk(pages_mutex_);
  auto it = pages_.find(key);
  if (it == pages_.end()) return std::nullopt;
  return it->second;
}

bool HttpServer::has_host(const std::string& origin) {
  std::lock_guard lk(pages_mutex_);
  auto it = pages_.lower_bound(origin + "/");
  return it != pages_.end() && it->first.rfind(origin + "/", 0) == 0;
}

asio::awaitable<std::optional<std::string>> HttpServer::lookup(std::string host) {
  // getaddrinfo blocks: it runs on a thread of its own (the destructor joins it), which
  // hands the answer to the server's thread and wakes this coroutine by cancelling a timer
  // that would otherwise never expire.
  struct Lookup {
    explicit Lookup(asio::io_context& io) : done(io, asio::steady_timer::time_point::max()) {}
    std::optional<std::string> error;
    asio::steady_timer done;
  };
  auto lookup = std::make_shared<Lookup>(io_);
  {
    std::lock_guard lk(lookups_mutex_);
    lookups_.emplace_back([this, lookup, host] {
      std::optional<std::string> error = resolver_error(host);
      asio::post(io_, [lookup, error] {
        lookup->error = error;
        lookup->done.cancel();
      });
    });
  }
  std::error_code cancelled;
  co_await lookup->done.async_wait(asio::redirect_error(asio::use_awaitable, cancelled));
  co_return lookup->error;
}

std::optional<std::string> resolver_error(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;  // as socket.create_connection asks
  addrinfo* found = nullptr;
  int code = ::getaddrinfo(host.c_str(), "80", &hints, &found);
  if (code == 0) {
    ::freeaddrinfo(found);
    return std::nullopt;
  }
  if (code == EAI_SYSTEM) {  // Python raises OSError from errno then
    int e = errno;
    return "[Errno " + std::to_string(e) + "] " + std::system_category().message(e);
  }
  return "[Errno " + std::to_string(code) + "] " + ::gai_strerror(code);
}

InstalledProxy::InstalledProxy(const HttpServer& proxy) : previous_(g_proxy_port.exchange(proxy.port())) {}

InstalledProxy::~InstalledProxy() { g_proxy_port.store(previous_); }

// --- the server in a deterministic run

void HttpServer::start_plumbing(std::string name, std::function<void(ThreadState&)> body) {
  auto state = std::make_shared<ThreadState>();
  state->name = std::move(name);
  state->daemon = true;
  state->done.set_label(state->name);
  ThreadState* t = state.get();
  plumbing_->fibers.push_back(std::move(state));
  scheduler().on_start(*t);
  scheduler().start_fiber(*t, [t, body = std::move(body)] {
    try {
      body(*t);
    } catch (...) {
      // Stopped (ThreadExit), or the connection failed: nothing to answer.
    }
    {
      std::lock_guard lk(t->done_mutex);
      t->finished = true;
      scheduler().notify(t->done, -1);  // the destructor may wait for it (let_finish)
    }
    scheduler().on_exit(*t);
  });
}

HttpServer::RoutedRequest HttpServer::route_request(const std::string& head) {
  // Its request line names a path of this server ("GET /cnn HTTP/1.1") or, to a proxy, a
  // whole URL ("GET http://www.cnn.com/ HTTP/1.1").
  std::string line = head.substr(0, head.find("\r\n"));
  auto sp1 = line.find(' ');
  auto sp2 = line.find(' ', sp1 + 1);
  std::string request_target = sp1 == std::string::npos ? "/" : line.substr(sp1 + 1, sp2 - sp1 - 1);
  RoutedRequest r;
  std::optional<Target> proxied;  // the URL asked for, when asked as a proxy
  if (request_target.empty() || request_target[0] != '/') {
    try {
      proxied = parse_url(request_target);
    } catch (const ValueError&) {
      r.status = 400;
      return r;
    }
  }
  r.page = find(proxied ? proxied->key() : page_key(request_target));
  if (!r.page && proxied) {
    std::string key = proxied->key();
    std::string origin = key.substr(0, key.find('/', key.find("//") + 2));
    if (!has_host(origin)) {
      r.status = 502;
      r.unknown_host = proxied->host;
    }
  }
  return r;
}

void HttpServer::accept_virtual(ThreadState& me) {
  const int listener = acceptor_.native_handle();
  const std::vector<pollfd> incoming{{listener, POLLIN, 0}};
  for (;;) {
    detail::check_stop(me);
    int fd = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      int e = errno;
      if (e == EAGAIN || e == EWOULDBLOCK || e == EINTR || e == ECONNABORTED)
        scheduler().wait_fds(plumbing_->listening, incoming, Deadline::never());
      else
        scheduler().sleep(0.1);  // e.g. too many open files: try again a little later
      continue;
    }
    set_virtual_socket_options(fd);
    std::string name = "HttpServer connection " + std::to_string(++plumbing_->connections);
    start_plumbing(std::move(name), [this, fd](ThreadState& t) { serve_virtual(fd, t); });
  }
}

void HttpServer::serve_virtual(int fd, ThreadState& me) {
  Fd socket(fd);
  WaitSite site(SiteKind::kPipe, "socket of " + me.name);
  detail::check_stop(me);
  // Read the request head (a GET has no body), everything there before each wait.
  std::string data;
  std::vector<char> chunk(4096);
  const std::vector<pollfd> readable{{fd, POLLIN, 0}}, writable{{fd, POLLOUT, 0}};
  while (data.find("\r\n\r\n") == std::string::npos) {
    if (data.size() > kMaxHead) return;
    ssize_t n = ::recv(fd, chunk.data(), chunk.size(), 0);
    if (n > 0) {
      data.append(chunk.data(), static_cast<std::size_t>(n));
      continue;
    }
    if (n == 0) return;  // the client went away
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return;
    scheduler().wait_fds(site, readable, Deadline::never());
  }
  // What serve() answers, without a lookup (name_error).
  RoutedRequest routed = route_request(data);
  std::optional<Entry>& page = routed.page;
  int status = routed.status;
  std::string extra_header;
  if (routed.unknown_host)
    if (std::optional<std::string> error = name_error(*routed.unknown_host))
      extra_header = std::string(kResolverErrorHeader) + ": " + *error + "\r\n";
  // The page's latency, on the virtual clock (to_real is lecture time there).
  if (page && page->latency.count() > 0) scheduler().sleep(std::chrono::duration<double>(page->latency).count());
  if (page && page->fail) {
    ::shutdown(fd, SHUT_RDWR);  // the request was read: a clean close, no response
    return;
  }
  if (page) status = page->status;
  std::shared_ptr<const std::string> body = page ? page->body : error_page(status);
  const std::string response = response_head(status, body->size(), extra_header) + *body;
  served_.fetch_add(1);  // before the write, so a client that has its page sees it counted
  for (std::size_t sent = 0; sent < response.size();) {
    ssize_t n = ::send(fd, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
    if (n >= 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return;  // the client went away
    scheduler().wait_fds(site, writable, Deadline::never());
  }
  ::shutdown(fd, SHUT_WR);
}

std::optional<std::string> name_error(const std::string& host) {
  if (scheduler().is_virtual()) return "[Errno " + std::to_string(EAI_NONAME) + "] " + ::gai_strerror(EAI_NONAME);
  return resolver_error(host);
}

asio::awaitable<void> HttpServer::accept_loop() {
  for (;;) {
    std::error_code ec;
    tcp::socket socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec) continue;  // e.g. too many open files: try the next one
    asio::co_spawn(io_, serve(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> HttpServer::serve(tcp::socket socket) {
  try {
    // Read the request head (a GET has no body). Its request line names a path of this
    // server ("GET /cnn HTTP/1.1") or, to a proxy, a whole URL ("GET http://www.cnn.com/ ...").
    std::string data;
    co_await asio::async_read_until(socket, asio::dynamic_buffer(data, kMaxHead), "\r\n\r\n", asio::use_awaitable);
    RoutedRequest routed = route_request(data);
    std::optional<Entry> page = routed.page;
    int status = routed.status;
    std::string extra_header;  // the resolver's error, on a 502

    // A proxy with no page for the host looks the name up, as it would before forwarding,
    // and answers 502 Bad Gateway: with the resolver's error, or because it never forwards.
    if (routed.unknown_host) {
      // (Plain named locals around the co_await: GCC 12 mishandles temporaries bound to
      // references, and declarations in conditions, that live across one.)
      std::string host = *routed.unknown_host;
      std::optional<std::string> error;
      error = co_await lookup(host);
      if (error) extra_header = std::string(kResolverErrorHeader) + ": " + *error + "\r\n";
    }
    if (page && page->latency.count() > 0) {
      asio::steady_timer timer(socket.get_executor(), page->latency);
      co_await timer.async_wait(asio::use_awaitable);
    }
    if (page && page->fail) {
      // The request was read, so closing sends a clean FIN (not a reset): the client sees
      // the connection end with no response.
      std::error_code ignored;
      socket.shutdown(tcp::socket::shutdown_both, ignored);
      socket.close(ignored);
      co_return;
    }
    if (page) status = page->status;
    std::shared_ptr<const std::string> body = page ? page->body : error_page(status);
    std::string head = response_head(status, body->size(), extra_header);
    std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::buffer(*body)};
    served_.fetch_add(1);  // before the write, so a client that has its page sees it counted
    co_await asio::async_write(socket, buffers, asio::use_awaitable);
    std::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
  } catch (const std::exception&) {
    // The client went away or sent garbage: nothing to answer.
  }
}

}  // namespace concur::net
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
