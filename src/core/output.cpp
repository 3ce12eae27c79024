#include "output.h"

#include "runtime.h"

namespace concur {

void print(std::string_view line) {
  scheduler().point("print", line);
  Runtime& rt = runtime();
  std::lock_guard lk(rt.out_mutex());
  rt.out() << line << '\n';
  rt.out().flush();
}

void write_raw(std::string_view text) {
  scheduler().point("print", text);
  Runtime& rt = runtime();
  std::lock_guard lk(rt.out_mutex());
  rt.out() << text;
  rt.out().flush();
}

}  // namespace concur
