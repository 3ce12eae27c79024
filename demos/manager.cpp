// multiprocessing.Manager: a server process owns the shared objects; the parent and its
// children change them through proxies, each call one request to the server and one reply.
//
// Tutorial 004 "Manager" (`records`, the default): inside `with Manager()`, the parent makes
// a shared list of three records; insert_record(new_record, records) in one child appends
// ('English', 3) and prints "A New record is added"; print_records(records) in a second
// child then prints each record, "Name: Computers" / "Score: 1" and a blank line, the
// child's record last. Python stores tuples; the codec has no tuple or dict, so a record is
// a two-item list [name, score].
// Tutorial 004 "Concept of Namespaces in Manager" (`namespace`): the parent sets x = 1 and
// y = 1 on manager.Namespace(), prints "before Namespace(x=1, y=1)"; the child does
// `x += 5` and `y *= 10`; the parent prints "after Namespace(x=6, y=10)". (The slide's two
// spaces after "after" and "Histoty" are typos; the code prints neither.)
// The server is the process SyncManager-1; it is shut down, as Python's `with` (or its exit
// handler) does, and the check sees it exited and reaped.
#include "core/concur.h"
#include "demos/demos.h"
#include "core/process/manager.h"

namespace concur::demos {

namespace {

using process::List;
using process::ListProxy;
using process::NamespaceProxy;
using process::Process;
using process::Value;

// 004 "Manager": every item is one call to the server (Python's for-loop over a proxy asks
// for item 0, 1, ... until IndexError; here len() bounds the loop).
void print_records(const ListProxy& records) {
  for (long long i = 0; i < records.len(); ++i) {
    List record = records[i].as_list();
    print("Name: {}\nScore: {}\n", process::str(record[0]), process::str(record[1]));
  }
}

void insert_record(const Value& record, const ListProxy& records) {
  records.append(record);
  print("A New record is added\n");
}

// 004 "Concept of Namespaces in Manager" (the lecture's Mng_NaSp): each `+=` is a get then
// a set, two calls; a second process between them could lose an update.
void mng_nasp(const NamespaceProxy& using_ns) {
  using_ns.set("x", using_ns.get("x").as_int() + 5);
  using_ns.set("y", using_ns.get("y").as_int() * 10);
}

std::string server_gone(process::SyncManager& manager, bool& ok);

}  // namespace

Check run_manager_records(const Context&) {
  List records_seen;
  bool ok = true;
  auto manager = process::Manager();
  {
    // with multiprocessing.Manager() as manager:
    ListProxy records = manager->list({List{"Computers", 1}, List{"History", 5}, List{"Hindi", 9}});
    Value new_record = List{"English", 3};
    Process p1({.target = [&] { insert_record(new_record, records); }});
    Process p2({.target = [&] { print_records(records); }});

    // One child appends, then another prints the list the server holds.
    p1.start();
    p1.join();
    p2.start();
    p2.join();
    ok = p1.exitcode() == 0 && p2.exitcode() == 0;
    records_seen = records.to_list();
  }
  manager->shutdown();  // the end of the `with` block
  std::string server = server_gone(*manager, ok);
  bool seen = records_seen.size() == 4 && process::repr(records_seen.back()) == "['English', 3]";
  return {ok && seen,
          fmt::format("the parent reads {} records through the server, the child's {} last; {}", records_seen.size(),
                      records_seen.empty() ? "none" : process::repr(records_seen.back()), server)};
}

Check run_manager_namespace(const Context&) {
  // A Namespace in the server, two attributes set by the parent.
  auto manager = process::Manager();
  NamespaceProxy using_ns = manager->Namespace();
  using_ns.set("x", 1);
  using_ns.set("y", 1);
  print("before {}", using_ns.repr());

  // The child changes both; the parent asks the server again.
  Process p({.target = [&] { mng_nasp(using_ns); }});
  p.start();
  p.join();
  print("after {}", using_ns.repr());
  long long x = using_ns.get("x").as_int(), y = using_ns.get("y").as_int();

  manager->shutdown();  // what Python's exit handler does for a manager
  bool ok = p.exitcode() == 0;
  std::string server = server_gone(*manager, ok);
  int changed = (x == 6) + (y == 10);
  return {ok && changed == 2,
          fmt::format("{}/2 of the child's changes reached the parent through the server (x={}, y={}); {}", changed,
                      x, y, server)};
}

namespace {

// What the check says about the server once the manager has shut down.
std::string server_gone(process::SyncManager& manager, bool& ok) {
  std::optional<int> code = manager.exitcode();
  ok = ok && !manager.is_alive() && code == 0;
  return fmt::format("{} exited with {} and was reaped", manager.name(), code ? std::to_string(*code) : "nothing");
}

}  // namespace

}  // namespace concur::demos
