// The loopback HTTP server and client (net/http.h): sizes, statuses, latency on the lecture
// clock, concurrency, and errors that read like Python's urllib.
#include "core/net/http.h"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>

#include <dirent.h>

#include <algorithm>
#include <atomic>
#include <list>
#include <optional>
#include <string>
#include <vector>

#include "core_fixture.h"

namespace concur::testing {
namespace {

using net::HttpServer;

class HttpTest : public CoreTest {};

// Threads of this process now (/proc/self/task).
int os_threads() {
  int n = 0;
  if (DIR* d = opendir("/proc/self/task")) {
    while (dirent* e = readdir(d))
      if (e->d_name[0] != '.') ++n;
    closedir(d);
  }
  return n;
}

TEST_F(HttpTest, ServesPagesOfExactlyTheGivenSizes) {
  HttpServer server;
  std::vector<std::size_t> sizes = {0, 7, 100, 13265, 229313};
  for (std::size_t size : sizes) server.add_page("/p" + std::to_string(size), size);
  for (std::size_t size : sizes) {
    std::string path = "/p" + std::to_string(size);
    net::Response r = net::get(server.url(path));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.reason, "OK");
    EXPECT_EQ(r.body.size(), size);
    EXPECT_EQ(r.body, HttpServer::filler(path, size));
  }
  EXPECT_EQ(server.requests_served(), static_cast<long>(sizes.size()));
}

TEST_F(HttpTest, PageBodyIsASmallHtmlPage) {
  std::string body = HttpServer::filler("/cnn", 1000);
  EXPECT_THAT(body, ::testing::StartsWith("<!DOCTYPE html>\n<html><head><title>/cnn</title>"));
  EXPECT_THAT(body, ::testing::EndsWith("</body></html>\n"));
}

TEST_F(HttpTest, UrlNamesTheServersLoopbackPort) {
  HttpServer server;
  EXPECT_GT(server.port(), 0);
  EXPECT_EQ(server.url("/a"), "http://127.0.0.1:" + std::to_string(server.port()) + "/a");
}

TEST_F(HttpTest, UnknownPathIsHttpError404LikeUrllib) {
  HttpServer server;
  EXPECT_EQ(py_error([&] { net::get(server.url("/nowhere")); }), "HTTPError: HTTP Error 404: Not Found");
  try {
    net::get(server.url("/nowhere"));
    FAIL() << "no HTTPError";
  } catch (const net::URLError& e) {  // HTTPError is a URLError, as in Python
    auto* http = dynamic_cast<const net::HTTPError*>(&e);
    ASSERT_NE(http, nullptr);
    EXPECT_EQ(http->code(), 404);
    EXPECT_EQ(http->reason(), "Not Found");
  }
}

TEST_F(HttpTest, WithoutRaiseForStatusTheStatusIsReturned) {
  HttpServer server;
  server.add_page("/broken", 50, 0, 500);
  net::Response missing = net::get(server.url("/nowhere"), 60, false);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.reason, "Not Found");
  net::Response broken = net::get(server.url("/broken"), 60, false);
  EXPECT_EQ(broken.status, 500);
  EXPECT_EQ(broken.body.size(), 50u);
  EXPECT_EQ(py_error([&] { net::get(server.url("/broken")); }), "HTTPError: HTTP Error 500: Internal Server Error");
}

TEST_F(HttpTest, LatencyIsLectureSecondsOnTheRunsTimeScale) {
  HttpServer server;
  server.add_page("/slow", 10, 100);  // 100 lecture s = 0.1 s real at scale 0.001
  double took = real_seconds([&] { net::get(server.url("/slow"), 1000); });  // the default 60 would time out
  EXPECT_GE(took, 0.1);
  EXPECT_LT(took, 0.6);
}

TEST_F(HttpTest, ConcurrentFetchesTakeTheLongestLatencyNotTheSum) {
  HttpServer server;
  for (int i = 0; i < 5; ++i) server.add_page("/p" + std::to_string(i), 1000 * (i + 1), 50.0 * (i + 1));
  std::atomic<std::size_t> total{0};
  double took = real_seconds([&] {
    std::list<Thread> threads;
    for (int i = 0; i < 5; ++i)
      threads.emplace_back(ThreadArgs{.target = [&, i] { total += net::get(server.url("/p" + std::to_string(i)), 1000).body.size(); }});
    for (auto& t : threads) t.start();
    for (auto& t : threads) t.join();
  });
  EXPECT_EQ(total.load(), 15000u);
  EXPECT_GE(took, 0.25);  // the longest page: 250 lecture s
  EXPECT_LT(took, 0.6);   // the sum would be 0.75 s
  EXPECT_EQ(server.requests_served(), 5);
}

TEST_F(HttpTest, RefusedUrlIsUrlErrorConnectionRefused) {
  HttpServer server;
  std::string url = server.refused_url("/");
  EXPECT_THAT(url, ::testing::StartsWith("http://127.0.0.1:"));
  EXPECT_NE(url, server.url("/"));
  EXPECT_EQ(py_error([&] { net::get(url); }), "URLError: <urlopen error [Errno 111] Connection refused>");
  EXPECT_EQ(server.refused_url("/x"), url + "x");  // the same port for the server's life
}

TEST_F(HttpTest, FailingAddressClosesTheConnectionWithoutAResponse) {
  HttpServer server;
  server.add_page("/ok", 10);
  server.fail("/ok");
  EXPECT_EQ(py_error([&] { net::get(server.url("/ok")); }),
            "RemoteDisconnected: Remote end closed connection without response");
  EXPECT_EQ(server.requests_served(), 0);
}

TEST_F(HttpTest, FailingAddressFailsAfterItsLatency) {
  HttpServer server;
  server.fail("/late", 100);
  double took = real_seconds([&] { EXPECT_THROW(net::get(server.url("/late"), 1000), net::RemoteDisconnected); });
  EXPECT_GE(took, 0.1);
}

TEST_F(HttpTest, NonLoopbackUrlsAreRejectedBeforeAnyConnection) {
  for (std::string url : {"http://www.foxnews.com/", "https://127.0.0.1/", "http://127.0.0.2:80/",
                          "http://some-made-up-domain.com/", "ftp://localhost/", "http://localhost.example.com/"})
    EXPECT_THAT(py_error([&] { net::get(url); }), ::testing::StartsWith("ValueError: ")) << url;
}

// The proxy (InstalledProxy): the lecture's URLs are asked of the local server in absolute
// form; it serves them from its own table and never forwards.

TEST_F(HttpTest, InstalledProxyServesTheLecturesUrlsFromItsTable) {
  HttpServer proxy;
  proxy.add_page("http://www.cnn.com/", 168933);
  proxy.add_page("http://example.com", 1256);  // no path: the same as "/"
  net::InstalledProxy opener(proxy);
  net::Response r = net::get("http://www.cnn.com/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, HttpServer::filler("http://www.cnn.com/", 168933));
  EXPECT_EQ(net::get("http://EXAMPLE.com:80/").body.size(), 1256u);  // host without case, default port
  EXPECT_EQ(proxy.requests_served(), 2);
}

TEST_F(HttpTest, ProxiedPagesAreNotTheServersOwnPaths) {
  HttpServer proxy;
  proxy.add_page("http://www.cnn.com/", 10);
  // Asked for its own path /www.cnn.com/ (origin form), the server has nothing there: only
  // an absolute-form request line reaches the proxied page.
  EXPECT_EQ(py_error([&] { net::get(proxy.url("/www.cnn.com/")); }), "HTTPError: HTTP Error 404: Not Found");
  EXPECT_EQ(py_error([&] { net::get(proxy.url("/")); }), "HTTPError: HTTP Error 404: Not Found");
}

TEST_F(HttpTest, WithoutAnInstalledProxyNonLoopbackUrlsAreValueErrors) {
  HttpServer proxy;
  proxy.add_page("http://www.cnn.com/", 10);
  { net::InstalledProxy opener(proxy); }  // the previous setting (none) comes back
  EXPECT_THAT(py_error([&] { net::get("http://www.cnn.com/"); }), ::testing::StartsWith("ValueError: "));
  EXPECT_EQ(proxy.requests_served(), 0);
}

TEST_F(HttpTest, ProxyAnswers404ForAPathItHasNotOnAHostItHas) {
  HttpServer proxy;
  proxy.add_page("http://example.com/file1", 20480);
  net::InstalledProxy opener(proxy);
  EXPECT_EQ(py_error([&] { net::get("http://example.com/file3"); }), "HTTPError: HTTP Error 404: Not Found");
}

// RFC 2606 reserves .invalid: no resolver finds it, with or without a network.
TEST_F(HttpTest, UnknownHostIsLookedUpForRealAndItsResolverErrorIsUrlError) {
  std::optional<std::string> resolver = net::resolver_error("some-made-up-domain.invalid");
  ASSERT_TRUE(resolver);
  EXPECT_THAT(*resolver, ::testing::MatchesRegex(R"(\[Errno -?[0-9]+\] .+)"));
  HttpServer proxy;
  net::InstalledProxy opener(proxy);
  EXPECT_EQ(py_error([&] { net::get("http://some-made-up-domain.invalid/"); }),
            "URLError: <urlopen error " + *resolver + ">");
  // The same with raise_for_status off: a failed lookup is not a status (requests raises too).
  EXPECT_THAT(py_error([&] { net::get("http://some-made-up-domain.invalid/", 60, false); }),
              ::testing::StartsWith("URLError: "));
}

TEST_F(HttpTest, AHostThatResolvesButIsNotInTheTableIs502NeverForwarded) {
  ASSERT_FALSE(net::resolver_error("localhost"));  // resolves everywhere, from /etc/hosts
  HttpServer proxy;
  net::InstalledProxy opener(proxy);
  // https://localhost/ is not the loopback shortcut (that is plain http), so it goes to the proxy.
  EXPECT_EQ(py_error([&] { net::get("https://localhost/"); }), "HTTPError: HTTP Error 502: Bad Gateway");
}

TEST_F(HttpTest, HttpsUrlsAreAskedOfTheProxyInTheClear) {
  HttpServer proxy;
  const std::string url = "https://www.w3.org/WAI/ER/tests/xhtml/testfiles/resources/pdf/dummy.pdf";
  proxy.add_page(url, 13265, 100);
  net::InstalledProxy opener(proxy);
  double took = real_seconds([&] { EXPECT_EQ(net::get(url, 1000).body.size(), 13265u); });
  EXPECT_GE(took, 0.1);  // the page's latency, on the run's time scale
}

TEST_F(HttpTest, ProxiedFetchesInCoroutinesGoThroughTheInstalledProxy) {
  HttpServer proxy;
  proxy.add_page("http://example.org", 1256, 100);
  net::InstalledProxy opener(proxy);
  asio::io_context io;
  std::size_t size = 0;
  auto fetch = [&]() -> asio::awaitable<void> {  // named: it outlives the coroutine's run
    size = (co_await net::async_get("http://example.org", 1000)).body.size();
  };
  asio::co_spawn(io, fetch(), asio::detached);
  io.run();
  EXPECT_EQ(size, 1256u);
}

TEST_F(HttpTest, LocalhostIsTheLoopbackAddress) {
  HttpServer server;
  server.add_page("/", 42);
  net::Response r = net::get("http://localhost:" + std::to_string(server.port()));
  EXPECT_EQ(r.body.size(), 42u);
}

TEST_F(HttpTest, SlowResponseTimesOutLikeUrllib) {
  HttpServer server;
  server.add_page("/slow", 10, 400);  // 0.4 s real
  double took = real_seconds([&] {
    // urllib wraps only connect errors in URLError; a read timeout is a bare TimeoutError.
    EXPECT_EQ(py_error([&] { net::get(server.url("/slow"), 20); }), "TimeoutError: timed out");
  });
  EXPECT_GE(took, 0.02);
  EXPECT_LT(took, 0.3);
}

TEST_F(HttpTest, AsyncGetRunsInCoroutinesOnAnyIoContext) {
  HttpServer server;
  server.add_page("/a", 100, 100);
  server.add_page("/b", 200, 100);
  asio::io_context io;
  std::vector<std::size_t> sizes;
  std::string error;
  auto fetch = [&](std::string url) -> asio::awaitable<void> {
    try {
      net::Response r = co_await net::async_get(url, 1000);
      sizes.push_back(r.body.size());
    } catch (const PyError& e) {
      error = e.what();
    }
  };
  for (const char* path : {"/a", "/b"}) asio::co_spawn(io, fetch(server.url(path)), asio::detached);
  asio::co_spawn(io, fetch(server.url("/missing")), asio::detached);
  double took = real_seconds([&] { io.run(); });
  std::sort(sizes.begin(), sizes.end());
  EXPECT_EQ(sizes, (std::vector<std::size_t>{100, 200}));
  EXPECT_EQ(error, "HTTP Error 404: Not Found");
  EXPECT_LT(took, 0.19);  // both 0.1 s pages at once
}

TEST_F(HttpTest, StoppedRunUnwindsABlockedFetch) {
  HttpServer server;
  server.add_page("/forever", 10, 100000);  // 100 s real
  std::atomic<bool> returned{false};
  Thread fetcher({.target = [&] {
    net::get(server.url("/forever"), -1);
    returned = true;
  }});
  fetcher.start();
  double took = real_seconds([&] {
    runtime().cancel(concur::StopReason::kTimeout);
    ASSERT_TRUE(eventually([&] { return !fetcher.is_alive(); }));
  });
  EXPECT_FALSE(returned);
  EXPECT_LT(took, 0.5);
}

TEST_F(HttpTest, DestructorStopsTheServerAndLeavesNoThread) {
  HttpServer().port();  // warm up: ThreadSanitizer starts a thread of its own on first use
  int before = os_threads();
  std::optional<HttpServer> server(std::in_place);
  server->add_page("/slow", 10, 100000);  // a connection still waiting when the server goes
  std::string url = server->url("/slow");
  EXPECT_EQ(os_threads(), before + 1);
  std::string error;
  Thread client({.target = [&] { error = py_error([&] { net::get(url, 1e6); }); }});
  client.start();
  ASSERT_TRUE(eventually([&] { return os_threads() == before + 2; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let the request arrive
  double took = real_seconds([&] { server.reset(); });
  EXPECT_LT(took, 0.5);
  client.join();
  // Closed unanswered (or reset, if the server went before it had read the request).
  EXPECT_THAT(error, ::testing::AnyOf("RemoteDisconnected: Remote end closed connection without response",
                                      "ConnectionResetError: [Errno 104] Connection reset by peer"));
  EXPECT_EQ(os_threads(), before);
}

}  // namespace
}  // namespace concur::testing
