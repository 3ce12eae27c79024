// The async demo's `fetch`, continued: the same pages fetched by threads, then one after
// another, to set beside asyncio's gather (async__fetch.cpp).
//
// 001 "Threading: Code Example": a Thread per URL runs download_file(), which prints
// "Downloaded URL" when its page has come, so the lines come in the order the pages did.
// 004 "Sharing of I/O Resources": the pages one after another with urlopen, each timed
// ("Page Fetching Time : ... Seconds"), so the total is the sum of the waits.
#include <list>
#include <string>
#include <vector>

#include "core/concur.h"
#include "core/net/http.h"
#include "demos/async.h"
#include "demos/support.h"

namespace concur::demos {
namespace {

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

}  // namespace

std::vector<std::string> download_with_threads(const std::vector<std::string>& urls, std::vector<long>& idents,
                                               double& total) {
  // A Thread(target=download_file, args=(url,)) per URL, started, then joined
  print("\nThreading: a Thread per URL running download_file(url):");
  std::vector<std::string> downloaded(urls.size());
  idents.assign(urls.size(), 0);
  double start = time::perf_counter();
  {
    std::list<Thread> threads;
    for (std::size_t i = 0; i < urls.size(); ++i)
      threads.emplace_back(ThreadArgs{.target =
                                          [&, i] {
                                            download_file(urls[i], downloaded[i]);
                                            idents[i] = get_ident();
                                          },
                                      .target_name = "download_file"});
    for (Thread& thread : threads) thread.start();
    for (Thread& thread : threads) thread.join();
  }
  total = time::perf_counter() - start;
  print("Total time: {} seconds", py_float(total));
  return downloaded;
}

std::vector<std::string> fetch_one_after_another(const std::vector<std::string>& urls, double& total) {
  // urlopen and read each page, timing each
  print("\nOne after another: urllib.request.urlopen(url).read() per URL:");
  std::vector<std::string> fetched;
  double start = time::perf_counter();
  for (const std::string& url : urls) fetched.push_back(fetch_timed(url));
  total = time::perf_counter() - start;
  print("Total time: {} seconds", py_float(total));
  return fetched;
}

}  // namespace concur::demos
