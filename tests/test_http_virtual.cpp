// The loopback HTTP server and client in a deterministic run (net/http.h): the same sockets
// and the same errors as a real run, the server on fibers in turn with the demo's threads,
// latencies and timeouts on the virtual clock, the same bytes for the same seed.
#include <list>
#include <sstream>
#include <string>
#include <vector>

#include "core/aio/future.h"
#include "core/net/http.h"
#include "core_fixture.h"

namespace concur::testing {
namespace {

using net::HttpServer;

// Each test's runs are deterministic ones, begun on the test's thread (MainThread).
class VirtualHttpTest : public DeterministicTest {};

TEST_F(VirtualHttpTest, APageComesWhole_AfterItsLatencyOnTheVirtualClock) {
  begin();
  HttpServer server;
  server.add_page("/big", 938109, 1.5);
  net::Response r = net::get(server.url("/big"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, HttpServer::filler("/big", 938109));
  EXPECT_DOUBLE_EQ(time::perf_counter(), 1.5);
  EXPECT_EQ(server.requests_served(), 1);
}

TEST_F(VirtualHttpTest, ErrorsReadAsInARealRun) {
  begin();
  HttpServer server;
  server.fail("/gone", 0.5);
  EXPECT_EQ(py_error([&] { net::get(server.url("/nothing")); }), "HTTPError: HTTP Error 404: Not Found");
  EXPECT_EQ(py_error([&] { net::get(server.url("/gone")); }),
            "RemoteDisconnected: Remote end closed connection without response");
  EXPECT_EQ(py_error([&] { net::get(server.refused_url("/")); }),
            "URLError: <urlopen error [Errno 111] Connection refused>");
}

TEST_F(VirtualHttpTest, ASlowPageTimesOutAtExactlyItsTimeout) {
  begin();
  HttpServer server;
  server.add_page("/slow", 10, 5);
  EXPECT_EQ(py_error([&] { net::get(server.url("/slow"), 2); }), "TimeoutError: timed out");
  EXPECT_DOUBLE_EQ(time::perf_counter(), 2);
}

// A lookup would leave the run's control: the proxy answers as the resolver answers for a
// made-up domain.
TEST_F(VirtualHttpTest, TheProxyAnswersAnUnknownHostWithoutALookup) {
  begin();
  HttpServer proxy;
  proxy.add_page("http://www.cnn.com/", 100, 0.2);
  net::InstalledProxy opener(proxy);
  EXPECT_EQ(net::get("http://www.cnn.com/").body.size(), 100u);
  EXPECT_EQ(py_error([&] { net::get("http://some-made-up-domain.com/"); }),
            "URLError: <urlopen error [Errno -2] Name or service not known>");
  EXPECT_EQ(*net::name_error("anything.example"), "[Errno -2] Name or service not known");
}

// The server's fibers are plumbing: not Python threads.
TEST_F(VirtualHttpTest, TheServersFibersAreNotInEnumerate) {
  begin();
  HttpServer server;
  server.add_page("/a", 10, 1);
  std::vector<std::string> during;
  Thread t({.target = [&] { net::get(server.url("/a")); }});
  t.start();
  time::sleep(0.5);  // the fetch's connection is being served now
  during = enumerate();
  t.join();
  EXPECT_EQ(during, (std::vector<std::string>{"MainThread", "Thread-1"}));
  EXPECT_EQ(active_count(), 1);
}

aio::Coro<std::size_t> virtual_http_fetch_one(std::string url) {
  net::Response r = co_await net::async_get(url);
  print("coroutine got {} bytes", r.body.size());
  co_return r.body.size();
}

aio::Coro<void> virtual_http_fetch_all(std::vector<std::string> urls) {
  std::vector<aio::Coro<std::size_t>> coros;
  for (const std::string& url : urls) coros.push_back(virtual_http_fetch_one(url));
  std::vector<std::size_t> sizes = co_await aio::gather(std::move(coros));
  co_return;
}

// Threads fetching side by side, then coroutines gathered on one loop: each takes the
// slowest page.
void virtual_http_side_by_side() {
  HttpServer server;
  std::vector<double> latencies = {0.6, 0.8, 0.7};
  std::vector<std::string> urls;
  for (std::size_t i = 0; i < latencies.size(); ++i)
    urls.push_back(server.add_page({"/p" + std::to_string(i), 1000 * (i + 1), latencies[i]}));
  {
    std::list<Thread> threads;
    for (const std::string& url : urls)
      threads.emplace_back(ThreadArgs{.target = [url] { print("thread got {} bytes", net::get(url).body.size()); }});
    for (Thread& t : threads) t.start();
    for (Thread& t : threads) t.join();
  }
  print("threads done at {}", time::perf_counter());
  aio::run(virtual_http_fetch_all(urls));
  print("coroutines done at {}", time::perf_counter());
}

TEST_F(VirtualHttpTest, ThreadsAndCoroutinesTakeTheSlowestPageAndASeedGivesTheSameBytes) {
  std::string first = run(3, virtual_http_side_by_side);
  EXPECT_NE(first.find("threads done at 0.8\n"), std::string::npos) << first;
  EXPECT_NE(first.find("coroutines done at 1.6\n"), std::string::npos) << first;
  EXPECT_NE(first.find("thread got 3000 bytes"), std::string::npos) << first;
  EXPECT_NE(first.find("coroutine got 2000 bytes"), std::string::npos) << first;
  EXPECT_EQ(run(3, virtual_http_side_by_side), first);
  EXPECT_EQ(err_.str(), "");
}

}  // namespace
}  // namespace concur::testing
