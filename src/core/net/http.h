// A small HTTP/1.1 server and client on Asio, for the demos that fetch web pages.
//
// Nothing ever leaves the machine. The server listens on 127.0.0.1 at an ephemeral port
// the OS picks. It serves its own pages (origin-form requests, "GET /cnn HTTP/1.1") and,
// acting as an HTTP proxy, the lecture's pages (absolute-form requests, "GET
// http://www.cnn.com/ HTTP/1.1", as urllib talks to a proxy) -- but only from its own
// table: it never forwards a request. The client connects to 127.0.0.1 only: to the
// server itself for http://127.0.0.1[:port]/... and http://localhost[:port]/... URLs
// (localhost is 127.0.0.1, never a DNS lookup), and to the installed proxy (InstalledProxy)
// for any other http:// or https:// URL; with no proxy installed such a URL is a ValueError.
//
//   net::HttpServer server;                                  // serves on its own thread
//   server.add_page("/cnn", 168933, 1.5);                    // 168933 bytes after 1.5 lecture s
//   server.add_page("http://www.cnn.com/", 168933, 1.5);     // the same, as a proxy serves it
//   server.fail("/made-up");                                 // closes the connection unanswered
//   net::Response r = net::get(server.url("/cnn"), 60);      // urllib.request.urlopen(url, timeout=60)
//   r.body.size();                                           // len(conn.read()) == 168933
//   net::InstalledProxy proxy(server);                       // install_opener(build_opener(ProxyHandler(...)))
//   net::get("http://www.cnn.com/");                         // asks the server, as a proxy, for the page
//
// As a proxy, for a host its table does not have, the server does what a proxy does first:
// it resolves the name, for real, with getaddrinfo (a DNS query may leave the machine; no
// connection does). If the resolver fails, it answers 502 Bad Gateway carrying the
// resolver's error, and the client raises it as urllib raises a failed lookup when it
// resolves the name itself: URLError "<urlopen error [Errno -2] Name or service not
// known>" (whatever errno and message this machine's resolver gives). If the name
// resolves, the answer is a plain 502 Bad Gateway (HTTPError): the server does not
// forward. A host it has pages for, at a path it has not, is 404 Not Found.
//
// https:// URLs: a real client would tunnel through the proxy with CONNECT and speak TLS
// to the site; the local proxy has no certificate to offer, so the client asks it for the
// https:// URL in absolute form, in the clear, on the loopback (as a proxy such as Squid
// also accepts).
//
// Errors come back as Python's urllib shows them, so a demo's
// `'%r generated an exception: %s' % (url, exc)` line reads like the lecture's:
//   - nothing listens (server.refused_url()):   URLError  "<urlopen error [Errno 111] Connection refused>"
//   - connecting takes longer than the timeout: URLError  "<urlopen error timed out>"
//   - the response takes longer than the timeout (after connecting, as urllib does not wrap
//     a read timeout):                         TimeoutError "timed out"
//   - a failing address (server.fail()):       RemoteDisconnected
//                                              "Remote end closed connection without response"
//   - a status that is not 2xx:                HTTPError "HTTP Error 404: Not Found"
//   - a name the proxy's resolver cannot find: URLError  "<urlopen error [Errno -2] Name or service not known>"
//   - a body cut short:                        IncompleteRead "IncompleteRead(10 bytes read, 90 more expected)"
//   - another socket error while reading:      ConnectionResetError "[Errno 104] Connection reset by peer" (etc.)
// All are PyErrors (errors.h): type() is the Python class name, what() its str().
//
// Times are lecture seconds: a page's latency and a fetch's timeout are converted with the
// run's time scale (scheduler().to_real) when the page is added / the fetch starts, so
// --time-scale and --fast apply. A timeout bounds the whole fetch (connect, request,
// response), where Python bounds each socket operation; for these pages, whose latency is
// all before the first byte, the two agree.
//
// Connections are one request each (Connection: close). The server's thread is a plain
// std::thread with its own io_context: plumbing, not a Python thread, so it is not in
// enumerate() and never becomes a Dummy-N. So is the short-lived thread that runs each of
// its getaddrinfo calls (which block).
//
// Deterministic runs (scheduler().is_virtual(), --deterministic) use the same sockets and
// bytes, but nothing of them happens outside the turn: the server has no thread of its own;
// it accepts on a fiber the deterministic scheduler runs in turn with the demo's threads
// ("HttpServer accept"), and serves each connection on another ("HttpServer connection
// N"): both are plumbing, not Python threads, so they are not in enumerate() or
// active_count() (a --step prompt may list them as candidates). They wait on their sockets
// through Scheduler::wait_fds and sleep each page's latency on the virtual clock. The
// client connects, writes and reads without blocking and waits through wait_fds too (in a
// coroutine on an asyncio loop, through the loop's EventLoop::wait_fd); a timeout is a
// deadline on the virtual clock. Sockets have TCP_NODELAY and fixed buffer sizes, so what
// one write or read moves depends on the bytes alone, not on timers or timing; the loopback
// delivers a write before it returns, so what a poll finds is the same in every run.
// A name the proxy has no page for is not looked up (a DNS query would leave the run's
// control): it is answered as the resolver answers for a made-up domain, "[Errno -2] Name
// or service not known" (name_error below).
#pragma once

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include <atomic>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/errors.h"
#include "core/seam.h"

namespace concur::net {

// urllib.error.URLError: what() is "<urlopen error REASON>", reason() is REASON
// ("[Errno 111] Connection refused", "timed out").
class URLError : public PyError {
 public:
  explicit URLError(const std::string& reason)
      : PyError("URLError", "<urlopen error " + reason + ">"), reason_(reason) {}
  const std::string& reason() const { return reason_; }

 protected:
  // For HTTPError, whose str() is its own.
  URLError(std::string type, const std::string& message, std::string reason)
      : PyError(std::move(type), message), reason_(std::move(reason)) {}

 private:
  std::string reason_;
};

// urllib.error.HTTPError (a URLError, as in Python): "HTTP Error 404: Not Found".
// code() is the status, reason() the reason phrase, body() what the server sent with it.
class HTTPError : public URLError {
 public:
  HTTPError(int code, const std::string& reason, std::string body = "")
      : URLError("HTTPError", "HTTP Error " + std::to_string(code) + ": " + reason, reason),
        code_(code),
        body_(std::move(body)) {}
  int code() const { return code_; }
  const std::string& body() const { return body_; }

 private:
  int code_;
  std::string body_;
};

// http.client.RemoteDisconnected: the server closed the connection without a response.
struct RemoteDisconnected : PyError {
  RemoteDisconnected() : PyError("RemoteDisconnected", "Remote end closed connection without response") {}
};

// http.client.IncompleteRead: the connection closed before Content-Length bytes came.
struct IncompleteRead : PyError {
  IncompleteRead(std::size_t got, std::size_t expected)
      : PyError("IncompleteRead", "IncompleteRead(" + std::to_string(got) + " bytes read, " +
                                      std::to_string(expected - got) + " more expected)") {}
};

// What a fetch returns: the status line's code and reason phrase, and the whole body
// (body.size() is the page's size, Python's len(conn.read())).
struct Response {
  int status = 0;
  std::string reason;
  std::string body;
};

// Fetches `url` with GET inside a coroutine on any io_context; the whole fetch must end
// within `timeout_lecture_seconds` (negative: no timeout). Throws the errors listed above;
// with `raise_for_status` false a non-2xx status is returned instead of thrown (as
// requests.get and aiohttp do). Throws ValueError for a URL that is neither http:// on
// 127.0.0.1 or localhost nor, with a proxy installed, another http:// or https:// URL.
asio::awaitable<Response> async_get(std::string url, double timeout_lecture_seconds = 60,
                                    bool raise_for_status = true);

// The same for a thread: runs async_get on a private io_context, which a stopped run or
// thread (watchdog, Ctrl-C, a daemon stopped at exit) wakes at once (io_stop.h): then it
// throws ThreadExit as every blocking call of the core does.
Response get(const std::string& url, double timeout_lecture_seconds = 60, bool raise_for_status = true);

// An HTTP/1.1 server on 127.0.0.1 at an ephemeral port, serving on its own thread, each
// connection on its own coroutine (so slow pages do not hold up others).
//   - a page added with add_page() is served with its status after its latency, its body
//     exactly `size_bytes` of deterministic filler (a small HTML page padded with text)
//     and a Content-Length;
//   - an address given to fail() reads the request, waits its latency, and closes the
//     connection without a response (the client throws RemoteDisconnected);
//   - any other path gets 404 Not Found at once; an absolute URL whose host it has no page
//     for is looked up with getaddrinfo and gets 502 Bad Gateway (with the resolver's
//     error if the lookup failed), never forwarded.
// Pages may be added and changed while it serves. The destructor stops the server and
// joins its thread; connections still open are closed unanswered.
// A page a demo has the server stand in for: its address (a path, "/cnn", or, served as a
// proxy, the lecture's URL, "http://www.cnn.com/"), the size the lecture's page had, and
// how long (lecture seconds) the server takes to answer.
struct Page {
  std::string url;
  std::size_t size;
  double latency;
};

class HttpServer {
 public:
  // Binds 127.0.0.1:0 and starts serving. Throws std::system_error if it cannot bind.
  HttpServer();
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Serves `path` ("/cnn", or an absolute URL, "http://www.cnn.com/", to serve as a proxy)
  // with `size_bytes` bytes of filler after `latency_lecture_seconds`, with `status` (its
  // reason phrase is the standard one: 200 OK, 500 Internal Server Error). Replaces an
  // earlier page or failure at the same address (scheme and host compare without case; a
  // URL's default port and an empty path are the same as none and "/").
  void add_page(const std::string& path, std::size_t size_bytes, double latency_lecture_seconds = 0,
                int status = 200);
  // Makes `path` fail: after `latency_lecture_seconds` the connection is closed without a
  // response. Replaces an earlier page at the same path.
  void fail(const std::string& path, double latency_lecture_seconds = 0);
  // Serves `page` (as above, with its size and latency) and returns the URL to fetch it
  // at: url(page.url) for a path, the absolute URL itself for a proxied page.
  std::string add_page(const Page& page);

  // "http://127.0.0.1:PORT/path" (`path` should start with '/').
  std::string url(const std::string& path) const;
  // An "http://127.0.0.1:PORT2/path" URL where nothing listens: the port is bound (so no
  // one else can take it while this server lives) but not listening, so connecting is
  // refused (the client throws URLError "[Errno 111] Connection refused").
  std::string refused_url(const std::string& path);
  unsigned short port() const { return port_; }
  // Responses sent so far (pages and 404s; failed addresses not counted). A response is
  // counted as it starts going out, so a client that has its page sees it counted.
  long requests_served() const { return served_.load(); }

  // The body served for a page of `size_bytes` at `path` (as given to add_page): what
  // add_page serves, exposed so tests and demos can compare.
  static std::string filler(const std::string& path, std::size_t size_bytes);

 private:
  struct Entry {  // what is served at a path
    std::shared_ptr<const std::string> body;
    int status = 200;
    SteadyClock::duration latency{};
    bool fail = false;
  };
  // What a request head asks for: the page (none: 404, or 400 for a malformed URL), or,
  // asked as a proxy for a host with no page here, the host whose lookup decides the 502.
  struct RoutedRequest {
    std::optional<Entry> page;
    int status = 404;
    std::optional<std::string> unknown_host;
  };
  RoutedRequest route_request(const std::string& head);
  asio::awaitable<void> accept_loop();
  asio::awaitable<void> serve(asio::ip::tcp::socket socket);
  std::optional<Entry> find(const std::string& key);
  bool has_host(const std::string& origin);  // a page at "http://host[:port]" + some path?
  // resolver_error(host), run on a thread of its own (getaddrinfo blocks), awaited here.
  asio::awaitable<std::optional<std::string>> lookup(std::string host);

  // Deterministic runs: the fibers that accept and serve (seam.h's ThreadState, not
  // registered as Python threads), and the loop of the accepting one.
  struct Plumbing;
  void accept_virtual(ThreadState& me);
  void serve_virtual(int fd, ThreadState& me);
  void start_plumbing(std::string name, std::function<void(ThreadState&)> body);

  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::mutex pages_mutex_;  // plumbing, not a demo wait
  std::map<std::string, Entry> pages_;
  std::atomic<long> served_{0};
  std::mutex refused_mutex_;
  std::optional<asio::ip::tcp::socket> refused_socket_;
  std::mutex lookups_mutex_;
  std::vector<std::thread> lookups_;  // joined by the destructor
  std::thread thread_;
  std::unique_ptr<Plumbing> plumbing_;  // deterministic runs only
};

// What getaddrinfo(host, "80") says, in Python's words, when it fails: "[Errno -2] Name or
// service not known" (socket.gaierror: the EAI_ code and gai_strerror; for EAI_SYSTEM the
// errno and strerror, as Python raises OSError then). nullopt when the name resolves.
// Blocks for as long as the resolver takes.
std::optional<std::string> resolver_error(const std::string& host);

// What the server, as a proxy, answers for a host it has no page for: resolver_error(host)
// in a real run; in a deterministic one, without a lookup, what the resolver says of a
// made-up domain, "[Errno -2] Name or service not known".
std::optional<std::string> name_error(const std::string& host);

// urllib.request.install_opener(urllib.request.build_opener(urllib.request.ProxyHandler(
// {'http': proxy, 'https': proxy}))), for this object's lifetime: get() and async_get() in
// this process send every request for a URL that is not on the loopback to `proxy`, in
// absolute form. Processes forked meanwhile inherit it, as forked Python workers inherit
// the installed opener. The previous setting comes back on destruction. `proxy` must
// outlive this object.
class InstalledProxy {
 public:
  explicit InstalledProxy(const HttpServer& proxy);
  ~InstalledProxy();
  InstalledProxy(const InstalledProxy&) = delete;
  InstalledProxy& operator=(const InstalledProxy&) = delete;

 private:
  unsigned short previous_;
};

}  // namespace concur::net
