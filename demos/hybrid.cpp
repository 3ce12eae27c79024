// Threads for waiting, a process for computing: the two tools side by side.
//
// Unit 003 "Hybrid System: Using Both Threading and Multiprocessing": two threads each
// download a file (an I/O-bound task: the time goes in waiting for the server) while a
// child process computes factorial(50000) exactly (a CPU-bound task: the time goes in
// multiplying). main joins the threads, then the process, and prints "All tasks
// completed." In Python, threads suit the waiting because they give up the GIL while
// they wait, and a process suits the computing because it has an interpreter of its own.
//
// The lecture downloads two PDFs from the internet; here the threads ask for the lecture's
// own URLs through a local HTTP proxy on 127.0.0.1 (net/http.h), which serves two pages of
// the sizes the lecture printed, 13265 and 16384 bytes, after a latency of 1 and 1.5
// lecture seconds, and never forwards a request. Nothing leaves the machine. (The URLs are
// https://: with no certificate to offer, the proxy is asked for them in the clear on the
// loopback, where a real client would tunnel TLS through it.)
// The factorial is exact (GMP, bigint.h); the child sends its digit count back to the
// parent on a process Queue, for the check.
#include <memory>
#include <vector>

#include "core/bigint.h"
#include "core/concur.h"
#include "demos/demos.h"
#include "core/net/http.h"

namespace concur::demos {

namespace {

// I/O-bound task: downloads a file, reports its size.
void download_file(const std::string& url, int thread_id, std::size_t& size) {
  print("Thread-{}: Starting download from {}", thread_id, url);
  net::Response response = net::get(url, -1);  // a real request to the local proxy; like requests.get, no timeout
  size = response.body.size();
  print("Thread-{}: Download complete. Size: {} bytes", thread_id, size);
}

// CPU-bound task: computes factorial(n) exactly; sends its number of digits to the parent.
void compute_factorial(unsigned long n, process::Queue& digits) {
  print("Process: Computing factorial of {}", n);
  bigint::Int result = bigint::factorial(n);
  print("Process: Factorial computation done for {}", n);
  digits.put(static_cast<long long>(bigint::decimal_digits(result)));
}

Check check_hybrid(const std::vector<std::size_t>& sizes, long long digit_count, process::Process& process);

}  // namespace

Check run_hybrid_hybrid(const Context&) {
  // The files to download: the lecture's URLs, which a local proxy serves with their sizes.
  std::vector<std::string> urls = {
      "https://www.w3.org/WAI/ER/tests/xhtml/testfiles/resources/pdf/dummy.pdf",
      "https://www.learningcontainer.com/wp-content/uploads/2020/05/sample-pdf-file.pdf"};
  net::HttpServer proxy;
  proxy.add_page(urls[0], 13265, 1.0);
  proxy.add_page(urls[1], 16384, 1.5);
  net::InstalledProxy opener(proxy);
  std::vector<std::size_t> sizes(urls.size(), 0);

  // Create and start threads for the I/O-bound tasks.
  std::vector<std::unique_ptr<Thread>> threads;
  for (std::size_t i = 0; i < urls.size(); ++i)
    threads.push_back(std::make_unique<Thread>(ThreadArgs{
        .target = [&, i] { download_file(urls[i], static_cast<int>(i), sizes[i]); }, .target_name = "download_file"}));
  for (auto& t : threads) t->start();

  // Create and start a process for the CPU-bound task.
  process::Queue digits;
  process::Process process({.target = [&] { compute_factorial(50000, digits); }});
  process.start();

  // Wait for the threads and the process to finish.
  for (auto& t : threads) t->join();
  process.join();
  long long digit_count = digits.empty() ? -1 : digits.get_nowait().as_int();  // put before it ended
  print("All tasks completed.");
  return check_hybrid(sizes, digit_count, process);
}

namespace {

// The sizes are what the proxy sent; the factorial has 213237 digits.
Check check_hybrid(const std::vector<std::size_t>& sizes, long long digit_count, process::Process& process) {
  bool ok = sizes[0] == 13265 && sizes[1] == 16384 && digit_count == 213237 && process.exitcode() == 0;
  return {ok, fmt::format("the threads downloaded {} and {} bytes (the local proxy sent 13265 and 16384); the process's "
                          "factorial(50000) has {} digits (213237 expected) and it exited with code {}",
                          sizes[0], sizes[1], digit_count, process.exitcode().value_or(-99))};
}

}  // namespace

}  // namespace concur::demos
