// multiprocessing.Pipe: two connected ends; what one sends, the other receives whole.
//
// Unit 003 "Example: Using Pipe" (`sender`, the default): sender(conn) sends "Hello from
// sender!" from one process, receiver(conn) in another prints "Received: Hello from
// sender!".
// Unit 003 "Using Pipe (Bidirectional Communication)" (`bidirectional`): the child sends
// "Hello from child process!" and waits; the parent prints "Parent received: ...", answers
// "Hello from parent process!", and the child prints "Child received: ...".
// Tutorial 004 "Pipes" (`docs`, Python's documentation example): f(conn) sends
// [42, None, 'hello'] and closes its end; the parent prints what it receives. concur then
// closes the parent's copy of the child's end and calls recv() once more: with every
// writer gone that is EOFError, not a hang.
// The pipe is a socketpair; each message is length-prefixed bytes (process/codec.h).
// As Python's documentation advises, each process closes the ends it does not use (the
// lecture's programs leave that out): then a reader whose writer dies gets EOFError instead
// of waiting for ever on an end that it, or its parent, still holds open.
#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {

namespace {

using process::Connection;
using process::Process;

void sender(Connection& conn) {
  conn.send("Hello from sender!");
  conn.close();
}

void receiver(Connection& conn) {
  process::Value message = conn.recv();
  print("Received: {}", process::str(message));
}

void child_process(Connection& conn) {
  conn.send("Hello from child process!");
  print("Child received: {}", process::str(conn.recv()));
}

void f(Connection& conn) {
  conn.send(process::List{42, process::None{}, "hello"});
  conn.close();
}

Check exited(Process& a, Process* b, const std::string& what);

}  // namespace

Check run_pipe_sender(const Context&) {
  auto [parent_conn, child_conn] = process::Pipe();
  // One process sends on one end, another receives on the other; each closes the end it
  // does not use, and the parent, once both have started, closes both of its copies.
  Process p1({.target = [&] {
    parent_conn.close();
    sender(child_conn);
  }});
  Process p2({.target = [&] {
    child_conn.close();
    receiver(parent_conn);
  }});
  p1.start();
  p2.start();
  parent_conn.close();
  child_conn.close();
  p1.join();
  p2.join();
  return exited(p1, &p2, "one message crossed from sender to receiver");
}

Check run_pipe_bidirectional(const Context&) {
  auto [parent_conn, child_conn] = process::Pipe();
  // The child speaks first; the parent reads, then answers on the same pipe.
  Process p({.target = [&] {
    parent_conn.close();
    child_process(child_conn);
  }});
  p.start();
  child_conn.close();  // the parent's copy of the child's end
  process::Value got = parent_conn.recv();
  print("Parent received: {}", process::str(got));
  parent_conn.send("Hello from parent process!");
  p.join();
  Check c = exited(p, nullptr, "a message crossed each way on one duplex pipe");
  return {c.held && got.as_str() == "Hello from child process!", c.message};
}

Check run_pipe_docs(const Context&) {
  auto [parent_conn, child_conn] = process::Pipe();
  // Python's docs example: a list crosses whole; then the closed pipe reads as end of file.
  Process p({.target = [&] {
    parent_conn.close();
    f(child_conn);
  }});
  p.start();
  child_conn.close();  // the parent's copy: now only the child holds that end
  process::Value got = parent_conn.recv();
  print("{}", process::repr(got));
  p.join();
  bool eof = false;
  try {
    parent_conn.recv();
  } catch (const EOFError&) {
    eof = true;
  }
  Check c = exited(p, nullptr, fmt::format("received {} whole; the next recv() was {}", process::repr(got),
                                           eof ? "EOFError" : "not EOFError"));
  return {c.held && eof && process::repr(got) == "[42, None, 'hello']", c.message};
}

namespace {

Check exited(Process& a, Process* b, const std::string& what) {
  bool ok = a.exitcode() == 0 && (!b || b->exitcode() == 0);
  return {ok, fmt::format("{}; children exited with code 0: {}", what, ok ? "yes" : "no")};
}

}  // namespace

}  // namespace concur::demos
