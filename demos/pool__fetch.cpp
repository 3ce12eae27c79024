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
struct Site {
  std::string path;
  std::size_t size;
  double latency;
};
const std::vector<Site> kSites = {{"/www.foxnews.com/", 229313, 0.6},
                                  {"/www.cnn.com/", 168933, 0.8},
                                  {"/europe.wsj.com/", 938109, 1.2},
                                  {"/www.bbc.co.uk/", 283893, 1.0}};
constexpr int kNumUrls = 5;  // the four sites and the made-up domain

// Retrieve a single page and report the URL and contents
std::string load_url(const std::string& url, double timeout) {
  net::Response conn = net::get(url, timeout);  // with urllib.request.urlopen(url, timeout=timeout) as conn:
  return conn.body;                             //     return conn.read()
}

}  // namespace

Check run_pool_fetch(const Context&) {
  // The URLS: four pages served locally, and an address where nothing listens
  net::HttpServer server;
  std::vector<std::string> urls;
  for (const Site& site : kSites) {
    server.add_page(site.path, site.size, site.latency);
    urls.push_back(server.url(site.path));
  }
  urls.push_back(server.refused_url("/some-made-up-domain.com/"));

  std::map<Future<std::string>, std::string> future_to_url;
  std::vector<Future<std::string>> futures;                // in URL order (check)
  std::array<std::atomic<int>, kNumUrls> resolved{};        // done callbacks per URL (check)
  std::vector<std::vector<bool>> done_before, done_after;  // as each came out (check)
  std::vector<int> position(kNumUrls, -1);
  int intact = 0;
  std::string failed_url, failure;
  {
    // We can use a with statement to ensure threads are cleaned up promptly
    ThreadPoolExecutor executor(5);

    // Start the load operations and mark each future with its URL
    for (int i = 0; i < kNumUrls; ++i) {
      Future<std::string> future = executor.submit(load_url, urls[i], 60.0);
      future_to_url[future] = urls[i];
      futures.push_back(future);
      future.add_done_callback([&resolved, i](const Future<std::string>&) { ++resolved[i]; });
    }

    for (const Future<std::string>& future : as_completed(future_to_url)) {
      // For the check: which futures were done as this one came out, and which were not
      std::vector<bool> before, after;
      for (const auto& f : futures) before.push_back(f.done());
      for (const auto& f : futures) after.push_back(f.done());
      done_before.push_back(before);
      done_after.push_back(after);
      int index = 0;
      while (futures[index] != future) ++index;
      position[index] = static_cast<int>(done_before.size()) - 1;

      std::string url = future_to_url[future];
      try {
        std::string data = future.result();
        if (index < static_cast<int>(kSites.size()))
          intact += data == net::HttpServer::filler(kSites[index].path, kSites[index].size);
        print("'{}' page is {} bytes", url, data.size());
      } catch (const std::exception& exc) {
        failed_url = url;
        failure = exc.what();
        print("'{}' generated an exception: {}", url, exc.what());
      }
    }
  }  // leaving the with block: shutdown(wait=True)

  // Check: each future resolved and came out once; a finished one never after an unfinished one
  int once = 0, came_out = 0, wrong = 0;
  for (const auto& r : resolved) once += r.load() == 1;
  for (int p : position) came_out += p >= 0;
  for (std::size_t k = 0; k < done_before.size(); ++k)
    for (int early = 0; early < kNumUrls; ++early)
      for (int late = 0; late < kNumUrls; ++late)
        if (done_before[k][early] && !done_after[k][late] && position[late] >= 0 && position[late] < position[early])
          ++wrong;
  bool raised = failed_url == urls.back() && failure == "<urlopen error [Errno 111] Connection refused>";
  return {once == kNumUrls && came_out == kNumUrls && wrong == 0 && raised && intact == 4,
          fmt::format("{}/{} futures resolved once and came out of as_completed once, in completion order "
                      "({} out of order); {}/4 pages exactly as served; the made-up domain {}",
                      once, kNumUrls, wrong, intact,
                      raised ? "raised URLError (connection refused)" : "did NOT raise: " + failure)};
}

}  // namespace concur::demos
