// The `pool` demo's `fetch` on processes (--executor process): 004 "Pool of Processes"
// loads the same URLS with a ProcessPoolExecutor of five workers, through the same
// load_url, future_to_url and as_completed() loop as the thread version (pool__fetch.cpp).
//
// Each call of load_url runs in a worker process (ForkProcess-N), which opens its own
// connection to the local proxy: the workers are forked at the first submit, after the
// opener was installed, and inherit it, as Python's forked workers inherit module state.
// The page's bytes come back to main through the result pipe, and only then is its Future
// done, so as_completed hands the futures back in the order the pages came back. The made-up
// domain's URLError is raised in the worker and re-raised in main by result(), with its
// Python type and message.
#include <map>
#include <string>

#include "core/concur.h"
#include "core/net/http.h"
#include "demos/pool.h"

namespace concur::demos {

// load_url(url, timeout), as a worker process calls it by name
process::Value pool::load_url(const process::List& args) {
  return demos::load_url(args.at(0).as_str(), args.at(1).as_float());
}

Check fetch_on_processes() {
  // The pages, served by a local proxy that urlopen now sends every request to
  net::HttpServer proxy;
  for (const net::Page& page : kFetchPages) proxy.add_page(page);
  net::InstalledProxy opener(proxy);  // urllib.request.install_opener(build_opener(ProxyHandler(...)))

  std::map<Future<process::Value>, std::string> future_to_url;
  FetchWatch watched;
  {
    process::ProcessPoolExecutor executor(5);

    // Start the load operations and mark each future with its URL
    for (std::size_t i = 0; i < kFetchUrls.size(); ++i) {
      Future<process::Value> future = executor.submit("pool.load_url", {kFetchUrls[i], 60.0});
      future_to_url[future] = kFetchUrls[i];
      watched.order.done.push_back([future] { return future.done(); });
      future.add_done_callback([&watched, i](const Future<process::Value>&) { ++watched.resolved[i]; });
    }

    for (const Future<process::Value>& future : as_completed(future_to_url)) {
      std::string url = future_to_url[future];
      watched.came_out(url);
      try {
        std::string data = future.result().as_str();
        watched.got(url, data);
        print("'{}' page is {} bytes", url, data.size());
      } catch (const std::exception& exc) {
        watched.failed(url, exc.what());
        print("'{}' generated an exception: {}", url, exc.what());
      }
    }
  }  // leaving the with block: shutdown(wait=True)
  return watched.check("worker processes");
}

}  // namespace concur::demos
