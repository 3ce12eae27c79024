// The `pool` demo's 004 "ThreadPoolExecutor" example borrowed from the Python docs (`fetch`):
// load_url() fetches a page with urllib.request.urlopen(url, timeout=60); the lecture's five
// URLS go to a ThreadPoolExecutor of five workers, `future_to_url` maps each Future to its
// URL, and as_completed() hands the futures back as their pages come, so the "page is N
// bytes" lines come in the order the pages came, not in the list's order. One address
// fails: its future raises, and the loop prints "'URL' generated an exception: ..." instead.
// `--executor process` is 004 "Pool of Processes": the same program on a
// ProcessPoolExecutor (pool__fetch_process.cpp).
//
// The programs ask for the lecture's own URLs, through a local HTTP proxy (net::HttpServer
// on 127.0.0.1, installed as urllib's opener): it answers from its own table with the
// lecture's sizes, each page after its own latency (0.6 to 1.2 lecture s, so they come in
// the lecture's order), and never forwards a request. The made-up domain is not in its
// table: the proxy looks the name up for real with getaddrinfo, and the resolver's error
// comes back as urllib's URLError ("[Errno -2] Name or service not known" on Linux, where
// the lecture's Windows said "[Errno 11004] getaddrinfo failed"). Under --deterministic a
// lookup would leave the run's control: the proxy answers without one, as the resolver
// answers for a made-up domain, "[Errno -2] Name or service not known" (net::name_error),
// and serves on fibers that take turns with the workers (net/http.h).
//
// The check watches the futures from outside: each done callback runs once, the made-up
// domain raised the resolver's own error, every page is exactly what the proxy sent, and
// as_completed never handed out a future before one that had finished earlier.
#include <map>
#include <string>
#include <vector>

#include "core/concur.h"
#include "core/net/http.h"
#include "demos/pool.h"

namespace concur::demos {

// The lecture's URLS, and the pages the local proxy has for the first four: the size the
// lecture printed, and a latency.
const std::vector<std::string> kFetchUrls = {"http://www.foxnews.com/", "http://www.cnn.com/",
                                             "http://europe.wsj.com/", "http://www.bbc.co.uk/",
                                             "http://some-made-up-domain.com/"};
const std::vector<net::Page> kFetchPages = {{"http://www.foxnews.com/", 229313, 0.6},
                                            {"http://www.cnn.com/", 168933, 0.8},
                                            {"http://europe.wsj.com/", 938109, 1.2},
                                            {"http://www.bbc.co.uk/", 283893, 1.0}};

// Retrieve a single page and report the URL and contents
std::string load_url(const std::string& url, double timeout) {
  net::Response conn = net::get(url, timeout);  // with urllib.request.urlopen(url, timeout=timeout) as conn:
  return conn.body;                             //     return conn.read()
}

Check run_pool_fetch(const Context& ctx) {
  if (ctx.choice("executor") == "process") return fetch_on_processes();
  // The pages, served by a local proxy that urlopen now sends every request to
  net::HttpServer proxy;
  for (const net::Page& page : kFetchPages) proxy.add_page(page);
  net::InstalledProxy opener(proxy);  // urllib.request.install_opener(build_opener(ProxyHandler(...)))

  std::map<Future<std::string>, std::string> future_to_url;
  FetchWatch watched;
  {
    // We can use a with statement to ensure threads are cleaned up promptly
    ThreadPoolExecutor executor(5);

    // Start the load operations and mark each future with its URL
    for (std::size_t i = 0; i < kFetchUrls.size(); ++i) {
      Future<std::string> future = executor.submit(load_url, kFetchUrls[i], 60.0);
      future_to_url[future] = kFetchUrls[i];
      watched.order.done.push_back([future] { return future.done(); });
      future.add_done_callback([&watched, i](const Future<std::string>&) { ++watched.resolved[i]; });
    }

    for (const Future<std::string>& future : as_completed(future_to_url)) {
      std::string url = future_to_url[future];
      watched.came_out(url);
      try {
        std::string data = future.result();
        watched.got(url, data);
        print("'{}' page is {} bytes", url, data.size());
      } catch (const std::exception& exc) {
        watched.failed(url, exc.what());
        print("'{}' generated an exception: {}", url, exc.what());
      }
    }
  }  // leaving the with block: shutdown(wait=True)
  return watched.check("threads");
}

// What the check watches (pool.h), for threads and processes alike.

void FetchWatch::came_out(const std::string& url) {
  int index = 0;
  while (kFetchUrls[index] != url) ++index;
  order.came_out(index);
}

void FetchWatch::got(const std::string& url, const std::string& data) {
  for (const net::Page& page : kFetchPages)
    if (page.url == url) intact += data == net::HttpServer::filler(page.url, page.size);
}

void FetchWatch::failed(const std::string& url, const std::string& what) {
  failed_url = url;
  failure = what;
}

// Each future resolved and came out once; a finished one never after an unfinished one; the
// made-up domain raised what the resolver says of it (asked again here); every page is
// exactly what the proxy sent.
Check FetchWatch::check(const std::string& workers) const {
  const int n = static_cast<int>(kFetchUrls.size()), pages = static_cast<int>(kFetchPages.size());
  int once = 0, came_out = 0;
  for (const auto& r : resolved) once += r.load() == 1;
  for (int p : order.position) came_out += p >= 0;
  int wrong = order.out_of_order();
  std::optional<std::string> resolver = net::name_error("some-made-up-domain.com");
  std::string expected = resolver ? "<urlopen error " + *resolver + ">" : "HTTP Error 502: Bad Gateway";
  bool raised = failed_url == kFetchUrls.back() && failure == expected;
  return {once == n && came_out == n && wrong == 0 && raised && intact == pages,
          fmt::format("{}/{} futures resolved once and came out of as_completed once, in completion order "
                      "({} out of order), fetched on {}; {}/{} pages exactly as the local proxy sent them; the "
                      "made-up domain {}",
                      once, n, wrong, workers, intact, pages,
                      raised ? (resolver ? "raised the resolver's own error: " + *resolver
                                         : "resolves here, and the proxy, which never forwards, answered 502")
                             : "did NOT raise " + expected + ": " + failure)};
}

}  // namespace concur::demos
