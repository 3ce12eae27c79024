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
#include <sys/socket.h>
#include <system_error>
#include <exception>
#include <utility>

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
asio::awaitable<Response> async_get(std::string url, double timeout_lecture_seconds, bool raise_for_status) {
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
    // To a proxy, the request line names the whole URL (absolute form), as urllib sends it.
    std::string request_target = target.loopback() ? target.path : target.absolute();
    std::string request = "GET " + request_target + " HTTP/1.1\r\nHost: " + target.authority +
                          "\r\nAccept-Encoding: identity\r\nUser-Agent: Python-urllib/3.12\r\n"
                          "Connection: close\r\n\r\n";
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
    // Status line "HTTP/1.1 200 OK", then headers.
    std::string head = data.substr(0, head_end);
    auto line_end = head.find("\r\n");
    std::string status_line = head.substr(0, line_end);
    auto sp1 = status_line.find(' ');
    if (status_line.rfind("HTTP/", 0) != 0 || sp1 == std::string::npos)
      throw PyError("BadStatusLine", status_line);
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
        content_length = std::stoul(value);
        has_length = true;
      }
      if (name == lower(kResolverErrorHeader)) resolver_failed = value;
    }
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
  // The lookup failed: what urllib raises when it cannot resolve the name itself.
  if (response.status == 502 && resolver_failed) throw URLError(*resolver_failed);
  if (raise_for_status && (response.status < 200 || response.status > 299))
    throw HTTPError(response.status, response.reason, std::move(response.body));
  co_return response;
}

Response get(const std::string& url, double timeout_lecture_seconds, bool raise_for_status) {
  route(url);  // a bad URL, or one with no way to it, throws here, before any socket exists
  asio::io_context io;
  std::optional<Response> result;
  std::exception_ptr error;
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

HttpServer::HttpServer() : acceptor_(io_) {
  tcp::endpoint endpoint(asio::ip::address_v4::loopback(), 0);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
  asio::co_spawn(io_, accept_loop(), asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

HttpServer::~HttpServer() {
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
    std::size_t head_end =
        co_await asio::async_read_until(socket, asio::dynamic_buffer(data, kMaxHead), "\r\n\r\n", asio::use_awaitable);
    std::string line = data.substr(0, std::min(data.find("\r\n"), head_end));
    auto sp1 = line.find(' ');
    auto sp2 = line.find(' ', sp1 + 1);
    std::string request_target = sp1 == std::string::npos ? "/" : line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::optional<Target> proxied;  // the URL asked for, when asked as a proxy
    int status = 404;
    std::string extra_header;       // the resolver's error, on a 502
    std::optional<Entry> page;
    if (request_target.empty() || request_target[0] != '/') {
      try {
        proxied = parse_url(request_target);
      } catch (const ValueError&) {
        status = 400;
      }
    }
    if (status != 400) page = find(proxied ? proxied->key() : page_key(request_target));

    // A proxy with no page for the host looks the name up, as it would before forwarding,
    // and answers 502 Bad Gateway: with the resolver's error, or because it never forwards.
    if (!page && proxied) {
      // (Plain named locals around the co_await: GCC 12 mishandles temporaries bound to
      // references, and declarations in conditions, that live across one.)
      std::string key = proxied->key();
      std::string origin = key.substr(0, key.find('/', key.find("//") + 2));
      if (!has_host(origin)) {
        status = 502;
        std::optional<std::string> error;
        error = co_await lookup(proxied->host);
        if (error) extra_header = std::string(kResolverErrorHeader) + ": " + *error + "\r\n";
      }
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
    std::shared_ptr<const std::string> body =
        page ? page->body
             : std::make_shared<const std::string>("<!DOCTYPE html>\n<html><head><title>Error response</title>"
                                                   "</head><body><h1>" + std::to_string(status) + " " +
                                                   reason_phrase(status) + "</h1></body></html>\n");
    std::string head = "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) +
                       "\r\nServer: concur\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
                       std::to_string(body->size()) + "\r\n" + extra_header + "Connection: close\r\n\r\n";
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
