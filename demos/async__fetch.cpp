// Fetching web pages three ways: coroutines on one thread, a thread per page, one after another.
//
// Lecture 001 "Asyncio: Example" (`fetch`): main() makes a fetch_url() coroutine per URL
// and gathers them, so every request is out at once and the one thread running the event
// loop takes each response as it comes; the whole takes about the slowest page, not the
// sum. Each fetch_url prints the thread it runs on: MainThread, every time. Beside it, 001
// "Threading: Code Example": a Thread per URL runs download_file(), which prints
// "Downloaded URL" when its page has come, so the lines come in the order the pages did.
// Last, 004 "Sharing of I/O Resources": the pages one after another with urlopen, each
// timed ("Page Fetching Time : ... Seconds"), so the total is the sum of the waits.
//
// The pages come from net::HttpServer on 127.0.0.1: nothing leaves the machine. The
// lecture's addresses become paths (http://127.0.0.1:PORT/example.com) and each page
// answers after about a lecture second (0.6 to 1.2 s, so the order shows).
//
// The check: both concurrent versions took at least the slowest page and less than the
// sum, the sequential one at least the sum; each version got every page as served; every
// asyncio line came from the calling thread, every Downloaded line from a thread of its own.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <list>
#include <set>
#include <string>
#include <vector>

#include "core/aio/future.h"
#include "demos/async.h"
#include "core/concur.h"
#include "core/net/http.h"

namespace concur::demos {
namespace {

// The lecture's addresses, as paths of the local server: size and latency (lecture s).
struct Page {
  std::string path;
  std::size_t size;
  double latency;
};
const std::vector<Page> kPages = {{"/example.com", 1256, 1.0},
                                  {"/example.org", 1256, 0.8},
                                  {"/example.com/file1", 20480, 1.2},
                                  {"/example.com/file2", 10240, 0.6},
                                  {"/www.tutorialspoint.com", 94820, 1.1}};

std::vector<long> fetch_url_idents;  // for the check: the thread of every fetch_url line

std::string py_float(double x) { return process::str(process::Value(x)); }

// 001 "Asyncio: Example"
aio::Coro<std::string> fetch_url(std::string url) {
  print("\tFetching {} : Thread Name: {}", url, current_thread_name());
  fetch_url_idents.push_back(get_ident());
  net::Response response = co_await net::async_get(url, -1);  // session.get(url)
  print("\tFetched {} : Thread Name: {}", url, current_thread_name());
  fetch_url_idents.push_back(get_ident());
  co_return response.body;  // await response.text()
}

aio::Coro<std::vector<std::string>> async_main(std::vector<std::string> urls) {
  std::vector<aio::Coro<std::string>> tasks;
  for (const std::string& url : urls) tasks.push_back(fetch_url(url));
  std::vector<std::string> results = co_await aio::gather(std::move(tasks));
  co_return results;
}

// 001 "Threading: Code Example"; `page` keeps what came, for the check
void download_file(const std::string& url, std::string& page) {
  net::Response response = net::get(url, -1);  // requests.get(url)
  print("Downloaded {}", url);
  page = std::move(response.body);
}

// 004 "Sharing of I/O Resources"
std::string fetch_timed(const std::string& url) {
  double t_s = time::time();
  net::Response req = net::get(url, -1);  // urllib.request.urlopen(url)
  std::string page_html = std::move(req.body);
  double t_e = time::time();
  print("Page Fetching Time : {} Seconds", py_float(t_e - t_s));
  return page_html;
}

// How many of `pages` (in kPages order) are exactly what the server sent.
int served_intact(const std::vector<std::string>& pages) {
  int n = 0;
  for (std::size_t i = 0; i < kPages.size() && i < pages.size(); ++i)
    n += pages[i] == net::HttpServer::filler(kPages[i].path, kPages[i].size);
  return n;
}

}  // namespace

Check run_async_fetch() {
  // The pages, served locally, each after about a lecture second
  net::HttpServer server;
  std::vector<std::string> urls;
  double sum = 0, slowest = 0;
  for (const Page& p : kPages) {
    server.add_page(p.path, p.size, p.latency);
    urls.push_back(server.url(p.path));
    sum += p.latency;
    slowest = std::max(slowest, p.latency);
  }
  const int n = static_cast<int>(urls.size());

  // asyncio: the fetch_url() coroutines gathered on this thread's event loop
  print("Asyncio: asyncio.gather(*[fetch_url(url) for url in urls]):");
  fetch_url_idents.clear();
  double start = time::perf_counter();
  std::vector<std::string> results = aio::run(async_main(urls));
  double async_total = time::perf_counter() - start;
  std::vector<std::size_t> lengths;
  for (const std::string& r : results) lengths.push_back(r.size());
  print("[len(r) for r in results] = {}", lengths);
  print("Total time: {} seconds", py_float(async_total));

  // Threads: a Thread(target=download_file, args=(url,)) per URL, started, then joined
  print("\nThreading: a Thread per URL running download_file(url):");
  std::vector<std::string> downloaded(n);
  std::vector<long> thread_idents(n);
  start = time::perf_counter();
  {
    std::list<Thread> threads;
    for (int i = 0; i < n; ++i)
      threads.emplace_back(ThreadArgs{.target =
                                          [&, i] {
                                            download_file(urls[i], downloaded[i]);
                                            thread_idents[i] = get_ident();
                                          },
                                      .target_name = "download_file"});
    for (Thread& thread : threads) thread.start();
    for (Thread& thread : threads) thread.join();
  }
  double thread_total = time::perf_counter() - start;
  print("Total time: {} seconds", py_float(thread_total));

  // One after another: urlopen and read each page, timing each
  print("\nOne after another: urllib.request.urlopen(url).read() per URL:");
  std::vector<std::string> fetched;
  start = time::perf_counter();
  for (const std::string& url : urls) fetched.push_back(fetch_timed(url));
  double sequential_total = time::perf_counter() - start;
  print("Total time: {} seconds", py_float(sequential_total));

  // Check: the concurrent ones took the slowest wait, not the sum; asyncio on one thread
  // Starting and waking threads, or a first event loop, costs real milliseconds on a busy
  // machine, which at --fast are lecture seconds: allow 30 ms of real time on the concurrent
  // totals. (On a loaded machine the five starts alone can take 300 ms, so `check` runs this
  // variant at 0.1 s per lecture second: Variant::check_time_scale.)
  const double eps = 1e-6;
  const double slack = 0.03 / runtime().options().time_scale;
  int elsewhere = 0;
  for (long ident : fetch_url_idents) elsewhere += ident != get_ident();
  std::set<long> download_threads(thread_idents.begin(), thread_idents.end());
  download_threads.erase(get_ident());
  int intact_async = served_intact(results), intact_threads = served_intact(downloaded),
      intact_sequential = served_intact(fetched);
  bool timings = async_total >= slowest - eps && async_total < sum + slack && thread_total >= slowest - eps &&
                 thread_total < sum + slack && sequential_total >= sum - eps;
  bool pages = intact_async == n && intact_threads == n && intact_sequential == n;
  bool one_thread = elsewhere == 0 && static_cast<int>(fetch_url_idents.size()) == 2 * n;
  bool own_threads = static_cast<int>(download_threads.size()) == n;
  return {timings && pages && one_thread && own_threads,
          fmt::format("asyncio {:.2f} s and threads {:.2f} s (slowest page {:.1f} s, sum {:.1f} s, real-time allowance "
                      "{:.1f} s), one after another "
                      "{:.2f} s; pages intact {}/{}/{} of {}; all {} fetch_url lines on {} ({} elsewhere), "
                      "{} Downloaded lines from {} threads of their own",
                      async_total, thread_total, slowest, sum, slack, sequential_total, intact_async, intact_threads,
                      intact_sequential, n, fetch_url_idents.size(), current_thread_name(), elsewhere, n,
                      download_threads.size())};
}

}  // namespace concur::demos
