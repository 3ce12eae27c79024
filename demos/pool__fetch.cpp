// The `pool` demo's 004 "ThreadPoolExecutor" example borrowed from the Python docs (`fetch`):
// load_url() fetches a page with urllib.request.urlopen(url, timeout=60); five URLs go to
// a ThreadPoolExecutor of five workers, `future_to_url` maps each Future to its URL, and
// as_completed() hands the futures back as their pages come, so the "page is N bytes"
// lines come in the order the pages came, not in the list's order. One address fails: its
// future raises, and the loop prints "'URL' generated an exception: ..." instead.
//
// The pages come from net::HttpServer on 127.0.0.1: nothing leaves the machine. The
// lecture's addresses become paths (http://127.0.0.1:PORT/www.foxnews.com/) with the
// lecture's sizes, each after its own latency (0.6 to 1.2 lecture s, so they come in the
// lecture's order); the made-up domain, which could not be resolved in the lecture, is an
// address where nothing listens, so its URLError says "Connection refused".
//
// The check watches the futures from outside: each done callback runs once, the failing
// address raised, every page is exactly what the server sent, and as_completed never
// handed out a future before one that had finished earlier.
#include <array>
#include <atomic>
#include <map>
#include <string>
#include <vector>

#include "core/concur.h"
#include "core/net/http.h"
#include "demos/pool.h"

namespace concur::demos {
namespace {

// The lecture's URLS as paths of the local server: the size it reported, and a latency.
const std::vector<net::Page> kSites = {{"/www.foxnews.com/", 229313, 0.6},
                                  {"/www.cnn.com/", 168933, 0.8},
                                  {"/europe.wsj.com/", 938109, 1.2},
                                  {"/www.bbc.co.uk/", 283893, 1.0}};
constexpr int kNumUrls = 5;  // the four sites and the made-up domain

// Retrieve a single page and report the URL and contents
std::string load_url(const std::string& url, double timeout) {
  net::Response conn = net::get(url, timeout);  // with urllib.request.urlopen(url, timeout=timeout) as conn:
  return conn.body;                             //     return conn.read()
}

// What the check watches from outside the lecture's loop: the futures in URL order, their
// done callbacks, the order they came out in, the pages and the failure.
struct Watched {
  std::vector<Future<std::string>> futures;
  std::array<std::atomic<int>, kNumUrls> resolved{};  // done callbacks per URL
  CompletionOrder order;
  int intact = 0;
  std::string failed_url, failure;

  void watch(const Future<std::string>& future, int i);
  int came_out(const Future<std::string>& future);  // its index in URL order
  void got(int index, const std::string& data);
  void failed(const std::string& url, const std::string& what);
};

Check check_fetch(const Watched& watched, const std::string& refused_url);

}  // namespace

Check run_pool_fetch(const Context&) {
  // The URLS: four pages served locally, and an address where nothing listens
  net::HttpServer server;
  std::vector<std::string> urls;
  for (const net::Page& site : kSites) urls.push_back(server.add_page(site));
  urls.push_back(server.refused_url("/some-made-up-domain.com/"));

  std::map<Future<std::string>, std::string> future_to_url;
  Watched watched;
  {
    // We can use a with statement to ensure threads are cleaned up promptly
    ThreadPoolExecutor executor(5);

    // Start the load operations and mark each future with its URL
    for (int i = 0; i < kNumUrls; ++i) {
      Future<std::string> future = executor.submit(load_url, urls[i], 60.0);
      future_to_url[future] = urls[i];
      watched.watch(future, i);
    }

    for (const Future<std::string>& future : as_completed(future_to_url)) {
      int index = watched.came_out(future);
      std::string url = future_to_url[future];
      try {
        std::string data = future.result();
        watched.got(index, data);
        print("'{}' page is {} bytes", url, data.size());
      } catch (const std::exception& exc) {
        watched.failed(url, exc.what());
        print("'{}' generated an exception: {}", url, exc.what());
      }
    }
  }  // leaving the with block: shutdown(wait=True)
  return check_fetch(watched, urls.back());
}

namespace {

void Watched::watch(const Future<std::string>& future, int i) {
  futures.push_back(future);
  order.done.push_back([future] { return future.done(); });
  future.add_done_callback([this, i](const Future<std::string>&) { ++resolved[i]; });
}

int Watched::came_out(const Future<std::string>& future) {
  int index = 0;
  while (futures[index] != future) ++index;
  order.came_out(index);
  return index;
}

void Watched::got(int index, const std::string& data) {
  if (index < static_cast<int>(kSites.size()))
    intact += data == net::HttpServer::filler(kSites[index].path, kSites[index].size);
}

void Watched::failed(const std::string& url, const std::string& what) {
  failed_url = url;
  failure = what;
}

// Each future resolved and came out once; a finished one never after an unfinished one; the
// made-up domain raised; every page is exactly what the server sent.
Check check_fetch(const Watched& watched, const std::string& refused_url) {
  int once = 0, came_out = 0;
  for (const auto& r : watched.resolved) once += r.load() == 1;
  for (int p : watched.order.position) came_out += p >= 0;
  int wrong = watched.order.out_of_order();
  bool raised = watched.failed_url == refused_url &&
                watched.failure == "<urlopen error [Errno 111] Connection refused>";
  return {once == kNumUrls && came_out == kNumUrls && wrong == 0 && raised && watched.intact == 4,
          fmt::format("{}/{} futures resolved once and came out of as_completed once, in completion order "
                      "({} out of order); {}/4 pages exactly as served; the made-up domain {}",
                      once, kNumUrls, wrong, watched.intact,
                      raised ? "raised URLError (connection refused)" : "did NOT raise: " + watched.failure)};
}

}  // namespace

}  // namespace concur::demos
