// Communicating sequential processes: processes that share nothing and talk only over
// channels.
//
// Tutorial 004 "Python library – PyCSP" (`parallel`, the default): P1 and P2, each
// decorated with @process, sleep one second and print "P1 exiting" / "P2 exiting";
// Parallel(P1(), P2()) starts both and returns when both have ended, then main prints
// "Terminating". The two sleeps end at about the same moment, so either line may come
// first (the slide shows P2 first).
// The same section's picture (`network`): Process1 and Process2 connected by two channels.
// Here Process1 writes the numbers 1..5 on channel 1 and then retires its writing end;
// Process2 reads each, answers its square on channel 2, and retires when channel 1 is
// empty and retired; Process1 reads the answers. No memory is shared: each process is a
// forked child, and each channel is a one-way pipe (a reader end and a writer end, as
// PyCSP's chan.reader() and chan.writer()). Retiring a writer is closing it: the reader
// then gets end of file, PyCSP's ChannelRetireException.
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {

namespace {

using process::Connection;
using process::Process;

// Parallel(P1(), P2()): start every process, then wait for all of them.
void Parallel(std::vector<Process*> processes) {
  for (Process* p : processes) p->start();
  for (Process* p : processes) p->join();
}

void P1() {
  time::sleep(1);
  print("P1 exiting");
}

void P2() {
  time::sleep(1);
  print("P2 exiting");
}

// Process1: sends 1..5 on channel 1, retires it, then reads every answer on channel 2.
void Process1(Connection& cout1, Connection& cin2) {
  for (int n = 1; n <= 5; ++n) {
    cout1.send(n);
    print("Process1 sent {} on channel 1", n);
  }
  cout1.close();  // retire: Process2 will see the end of channel 1
  int answers = 0;
  try {
    for (;;) {
      long long answer = cin2.recv().as_int();
      print("Process1 received {} on channel 2", answer);
      ++answers;
      if (answer != answers * answers) throw ValueError(fmt::format("answer {} is not {}", answer, answers * answers));
    }
  } catch (const EOFError&) {
    print("Process1: channel 2 retired after {} answers", answers);
  }
  if (answers != 5) throw ValueError(fmt::format("{} answers for 5 numbers", answers));  // exit code 1
}

// Process2: answers each number from channel 1 with its square on channel 2.
void Process2(Connection& cin1, Connection& cout2) {
  try {
    for (;;) {
      long long n = cin1.recv().as_int();
      cout2.send(n * n);
      print("Process2 received {} on channel 1, sent {} on channel 2", n, n * n);
    }
  } catch (const EOFError&) {
    print("Process2: channel 1 retired, retiring channel 2");
    cout2.close();
  }
}

}  // namespace

Check run_csp_parallel(const Context&) {
  // Two processes in parallel; main goes on only when both have ended.
  Process p1({.target = P1, .name = "P1"});
  Process p2({.target = P2, .name = "P2"});
  double start = time::perf_counter();
  Parallel({&p1, &p2});
  double took = time::perf_counter() - start;
  print("Terminating");
  bool ok = p1.exitcode() == 0 && p2.exitcode() == 0 && !p1.is_alive() && !p2.is_alive();
  return {ok, fmt::format("both processes ended (exit codes {} and {}) before Terminating; the two 1-second "
                          "sleeps took {:.2f} lecture seconds together",
                          p1.exitcode().value_or(-99), p2.exitcode().value_or(-99), took)};
}

Check run_csp_network(const Context&) {
  // Two channels, each a one-way pipe: (reader end, writer end).
  auto [cin1, cout1] = process::Pipe(false);  // channel 1: Process1 -> Process2
  auto [cin2, cout2] = process::Pipe(false);  // channel 2: Process2 -> Process1
  Process process1({.target = [&] {
                      cin1.close();  // a process keeps only the ends it uses
                      cout2.close();
                      Process1(cout1, cin2);
                    },
                    .name = "Process1"});
  Process process2({.target = [&] {
                      cout1.close();
                      cin2.close();
                      Process2(cin1, cout2);
                    },
                    .name = "Process2"});
  process1.start();
  process2.start();
  // The parent uses no end: it closes its copies, so that closing a writer in a child
  // really leaves that channel without writers.
  cin1.close();
  cout1.close();
  cin2.close();
  cout2.close();
  process1.join();
  process2.join();
  print("Terminating");
  // Check: Process1 exits 0 only if it got the five squares, in order, then end of file.
  return {process1.exitcode() == 0 && process2.exitcode() == 0,
          fmt::format("Process1 and Process2 exited with codes {} and {}: five numbers went out on channel 1 and "
                      "five squares came back on channel 2, with end of file as the retire signal",
                      process1.exitcode().value_or(-99), process2.exitcode().value_or(-99))};
}

}  // namespace concur::demos
