// The async demo's 003 "Implementing concurrent I/O with asyncio" (`fetch-data`): three
// fetch_data() coroutines of 1 s each, gathered, print "Data fetched" after 1 s, not 3.
// (003's slide calls asyncio.run(main()) inside main itself, an indentation slip: here it
// runs main once, from outside.) It runs with asyncio.run, on the calling thread; the check
// times it and confirms that thread printed every line.
#include <fmt/format.h>

#include "core/aio/future.h"
#include "core/concur.h"
#include "demos/async.h"

namespace concur::demos {
namespace {

// For the fetch-data check: fetch_data() coroutines begun so far, and at the first fetch's end.
struct Fetches {
  int begun = 0;
  int begun_by_first = 0;
};

// 003 "Implementing concurrent I/O with asyncio"
aio::Coro<void> fetch_data(Fetches& fetches) {
  ++fetches.begun;
  co_await aio::sleep(1);
  if (fetches.begun_by_first == 0) fetches.begun_by_first = fetches.begun;
  say("Data fetched");
}

aio::Coro<void> fetch_main(Fetches& fetches) {
  std::vector<aio::Coro<void>> tasks;
  for (int i = 0; i < 3; ++i) tasks.push_back(fetch_data(fetches));
  co_await aio::gather(std::move(tasks));
}

Check check_fetch_data(const Transcript& transcript, const Fetches& fetches, double total);

}  // namespace

Check run_async_fetch_data(const Context&) {
  Transcript transcript;
  Fetches fetches;
  // asyncio.run(main())
  double start = time::perf_counter();
  aio::run(fetch_main(fetches));
  double total = time::perf_counter() - start;
  return check_fetch_data(transcript, fetches, total);
}

namespace {

// All three began before the first finished: three 1 s waits in about 1 s, not 3.
Check check_fetch_data(const Transcript& transcript, const Fetches& fetches, double total) {
  int fetched = 0;
  for (const Said& s : transcript.lines()) fetched += s.line == "Data fetched";
  int elsewhere = transcript.said_elsewhere(get_ident());
  return {fetched == 3 && fetches.begun_by_first == 3 && about(total, 1) && elsewhere == 0,
          fmt::format("{}/3 fetches done, {} begun before the first ended: {:.2f} s in all (in a row: 3); {}",
                      fetched, fetches.begun_by_first, total, on_one_thread(transcript, elsewhere))};
}

}  // namespace

}  // namespace concur::demos
