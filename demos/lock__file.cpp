// Lock, part `file`: two threads read the same file, one after the other, under a lock.
//
// 003 "threading.Lock – Avoiding Race Conditions": lock_task() acquires the lock, calls
// read_file(), which appends "\n" + each line of sample.txt to the shared `data`, and
// releases it; two threads run lock_task and main prints `Data:` and what they read — the
// file twice, each copy whole. The demo writes its own sample.txt into a fresh temporary
// directory and removes the directory when it is done, on an error too.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {
namespace {

namespace fs = std::filesystem;

// The lecture's sample.txt, as its output shows it.
const std::string kSampleText = "Hello there! Welcome to GeekPython.\n";

// A fresh directory (mkdtemp) that is removed with everything in it when this goes out
// of scope, however the scope is left.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    std::string pattern = (fs::temp_directory_path() / "concur-lock-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
    path_ = pattern;
  }
  ~TemporaryDirectory() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Python's `for info in file`: each line with its "\n", if it has one.
void read_file(const fs::path& sample, std::string& data) {
  std::ifstream file(sample);
  for (std::string info; std::getline(file, info);) {
    if (!file.eof()) info += "\n";
    data += "\n" + info;
  }
}

void lock_task(Lock& lock, const fs::path& sample, std::string& data) {
  lock.acquire();
  read_file(sample, data);
  lock.release();
}

}  // namespace

Check run_lock_file(const Context&) {
  std::string data;
  fs::path where;
  {
    // Write the sample file into a directory of our own
    TemporaryDirectory dir;
    where = dir.path();
    fs::path sample = dir.path() / "sample.txt";
    std::ofstream(sample) << kSampleText;

    // Creating Lock instance, and two threads that both run lock_task
    Lock lock("lock");
    Thread thread1({.target = [&] { lock_task(lock, sample, data); }, .target_name = "lock_task"});
    Thread thread2({.target = [&] { lock_task(lock, sample, data); }, .target_name = "lock_task"});
    thread1.start();
    thread2.start();
    thread1.join();
    thread2.join();
  }  // the temporary directory goes here

  // Printing the data read from the file
  print("Data: {}", data);

  std::string one_copy = "\n" + kSampleText;
  bool twice = data == one_copy + one_copy;
  bool removed = !fs::exists(where);
  return {twice && removed, fmt::format("data holds the file twice, each copy whole: {}; its temporary "
                                        "directory removed: {}",
                                        twice ? "yes" : "no", removed ? "yes" : "no")};
}

}  // namespace concur::demos
