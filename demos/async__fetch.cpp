// Fetching web pages three ways: coroutines on one thread, a thread per page, one after another.
//
// Lecture 001 "Asyncio: Example" (`fetch`): main() makes a fetch_url() coroutine per URL
// and gathers them, so every request is out at once and the one thread running the event
// loop takes each response as it comes; the whole takes about the slowest page, not the
// sum. Each fetch_url prints the thread it runs on: MainThread, every time. Beside it, 001
// "Threading: Code Example": a Thread per URL runs download_file(), which prints
// "Downloaded URL" when its page has come, so the lines come in the order the pages did.
// Last, 004 "Sharing of I/O Resources": the pages one after another with urlopen, each
// timed ("Page Fetching Time : ... Seconds"), so the total is the sum of the waits. The
// threads and the one-after-another versions are in async__download.cpp.
//
// The programs ask for the lecture's own URLs (http://example.com, ...) through a local HTTP
// proxy (net::HttpServer on 127.0.0.1, installed as the opener every fetch here uses): it
// answers from its own table, each page after about a lecture second (0.6 to 1.2 s, so the
// order shows), and never forwards a request, so nothing leaves the machine.
//
// The check: both concurrent versions took at least the slowest page and less than the
// sum, the sequential one at least the sum; each version got every page as served; every
// asyncio line came from the calling thread, every Downloaded line from a thread of its own.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/aio/future.h"
#include "core/concur.h"
#include "core/net/http.h"
#include "demos/async.h"
#include "demos/support.h"

namespace concur::demos {
namespace {

// The lecture's URLs, as the local proxy serves them: size and latency (lecture s).
const std::vector<net::Page> kPages = {{"http://example.com", 1256, 1.0},
                                       {"http://example.org", 1256, 0.8},
                                       {"http://example.com/file1", 20480, 1.2},
                                       {"http://example.com/file2", 10240, 0.6},
                                       {"http://www.tutorialspoint.com", 94820, 1.1}};

// What each version got and took, for the check: the run's own.
struct Versions {
  std::vector<std::string> results, downloaded, fetched;  // the pages, in kPages order
  double async_total = 0, thread_total = 0, sequential_total = 0;
  std::vector<long> fetch_url_idents;  // the thread of every fetch_url line
  std::vector<long> thread_idents;     // the thread of every download_file
};

Check check_fetch(const Versions& got, double sum, double slowest);

// 001 "Asyncio: Example"
aio::Coro<std::string> fetch_url(std::string url, std::vector<long>& idents) {
  print("\tFetching {} : Thread Name: {}", url, current_thread_name());
  idents.push_back(get_ident());
  net::Response response = co_await net::async_get(url, -1);  // session.get(url)
  print("\tFetched {} : Thread Name: {}", url, current_thread_name());
  idents.push_back(get_ident());
  co_return response.body;  // await response.text()
}

aio::Coro<std::vector<std::string>> async_main(std::vector<std::string> urls, std::vector<long>& idents) {
  std::vector<aio::Coro<std::string>> tasks;
  for (const std::string& url : urls) tasks.push_back(fetch_url(url, idents));
  std::vector<std::string> results = co_await aio::gather(std::move(tasks));
  co_return results;
}

}  // namespace

Check run_async_fetch(const Context&) {
  // The pages, served by a local proxy that every fetch now goes through, each after about
  // a lecture second
  net::HttpServer proxy;
  std::vector<std::string> urls;
  double sum = 0, slowest = 0;
  for (const net::Page& p : kPages) {
    urls.push_back(proxy.add_page(p));
    sum += p.latency;
    slowest = std::max(slowest, p.latency);
  }
  net::InstalledProxy opener(proxy);
  Versions got;

  // asyncio: the fetch_url() coroutines gathered on this thread's event loop
  print("Asyncio: asyncio.gather(*[fetch_url(url) for url in urls]):");
  double start = time::perf_counter();
  got.results = aio::run(async_main(urls, got.fetch_url_idents));
  got.async_total = time::perf_counter() - start;
  std::vector<std::size_t> lengths;
  for (const std::string& r : got.results) lengths.push_back(r.size());
  print("[len(r) for r in results] = {}", lengths);
  print("Total time: {} seconds", py_float(got.async_total));

  // Threads, then one after another (async__download.cpp)
  got.downloaded = download_with_threads(urls, got.thread_idents, got.thread_total);
  got.fetched = fetch_one_after_another(urls, got.sequential_total);
  return check_fetch(got, sum, slowest);
}

namespace {

// How many of `pages` (in kPages order) are exactly what the server sent.
int served_intact(const std::vector<std::string>& pages) {
  int n = 0;
  for (std::size_t i = 0; i < kPages.size() && i < pages.size(); ++i)
    n += pages[i] == net::HttpServer::filler(kPages[i].url, kPages[i].size);
  return n;
}

// The concurrent versions took the slowest wait, not the sum; asyncio ran on one thread.
Check check_fetch(const Versions& got, double sum, double slowest) {
  // Starting and waking threads, or a first event loop, costs real milliseconds on a busy
  // machine, which at --fast are lecture seconds: allow the clock's allowance() on the
  // concurrent totals. (On a loaded machine the five starts alone can take 300 ms, so `check` runs this
  // variant at 0.1 s per lecture second: Variant::check_time_scale.)
  const double eps = 1e-6;
  const double slack = time::allowance();
  const int n = static_cast<int>(kPages.size());
  int elsewhere = 0;
  for (long ident : got.fetch_url_idents) elsewhere += ident != get_ident();
  std::set<long> download_threads(got.thread_idents.begin(), got.thread_idents.end());
  download_threads.erase(get_ident());
  int intact_async = served_intact(got.results), intact_threads = served_intact(got.downloaded),
      intact_sequential = served_intact(got.fetched);
  bool timings = got.async_total >= slowest - eps && got.async_total < sum + slack &&
                 got.thread_total >= slowest - eps && got.thread_total < sum + slack &&
                 got.sequential_total >= sum - eps;
  bool pages = intact_async == n && intact_threads == n && intact_sequential == n;
  bool one_thread = elsewhere == 0 && static_cast<int>(got.fetch_url_idents.size()) == 2 * n;
  bool own_threads = static_cast<int>(download_threads.size()) == n;
  return {timings && pages && one_thread && own_threads,
          fmt::format("asyncio {:.2f} s and threads {:.2f} s (slowest page {:.1f} s, sum {:.1f} s, real-time allowance "
                      "{:.1f} s), one after another "
                      "{:.2f} s; pages intact {}/{}/{} of {}; all {} fetch_url lines on {} ({} elsewhere), "
                      "{} Downloaded lines from {} threads of their own",
                      got.async_total, got.thread_total, slowest, sum, slack, got.sequential_total, intact_async,
                      intact_threads, intact_sequential, n, got.fetch_url_idents.size(), current_thread_name(),
                      elsewhere, n, download_threads.size())};
}

}  // namespace

}  // namespace concur::demos
