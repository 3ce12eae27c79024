// The forkserver start method: a single-threaded server process (a fresh image of the
// program, `concur __child __forkserver`) started on first use, which forks each child
// on request, as Python's forkserver does. A child forked from a one-thread server
// inherits no other thread's locks.
//
// Requests go over a SOCK_SEQPACKET socket: the codec.h bytes of [target, name, identity,
// time_scale, seed, args] plus, by SCM_RIGHTS, the child's stdout, stderr and a status pipe.
// The server answers with the child's pid.
//
// Exit codes. The child writes its own exit code on the status pipe as it leaves (after its
// target returned or raised); the server, which reaps it, writes the code too (Python style:
// -SIGNAL when killed), which is the one that arrives when the child was killed or left by
// _exit(). The parent reads the first code only. The status pipe's read end is the child's
// sentinel: it turns readable when a code arrives, or at end of file once both the child and
// the server have closed their write ends. End of file without a code means the child ended
// unreported while its server was dead: its exit code is then 255, as Python gives when the
// forkserver cannot tell.
//
// A killed server. The children do NOT die with their server: like Python's, a child that
// was running when its server was killed from outside runs to its end and reports its own
// exit code. The next start notices the dead server (before sending, as Python's
// ensure_running() does, or because the request finds no server), reaps it, starts a new one
// and sends the request once more — only if no child can have been forked for it (the
// request never reached the server, or nothing holds the status pipe's write end any more),
// so a child is never started twice. ensure_running() replaces a dead server as well.
//
// No process of the run outlives the program, even after SIGKILL of the program. The
// parent-death signal cannot say so for a grandchild (PR_SET_PDEATHSIG follows the parent,
// which is the server), so the program holds a "life pipe": it keeps the write end (never
// passed on, close-on-exec) and gives the read end to each server. The server and each of its
// children open a description of that read end of their own (/proc/self/fd/N) and arm it
// with O_ASYNC, F_SETOWN (themselves) and F_SETSIG(SIGKILL): when the last write end closes —
// the program has ended, however, and every process forked from it (they die with it) — the
// kernel sends each of them SIGKILL. A process that arms too late finds the pipe hung up and
// leaves. Without /proc the child falls back on dying with its server (PR_SET_PDEATHSIG).
// The server also dies with the program's main thread (PR_SET_PDEATHSIG) when that thread
// started it.
//
// The server belongs to the process that started it: a forked child of the program that
// uses forkserver starts a server of its own (its children then die with that child).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

#include "core/fd.h"
#include "core/process/codec.h"

namespace concur::process::forkserver {

struct Request {
  std::string target, name, identity;
  double time_scale;
  std::uint64_t seed;
  List args;
  std::string start_method;  // the child's own ("forkserver"): its get_start_method()
  // A child of a deterministic run: its end of the link to the run's hub (turn_link.h),
  // which crosses to the server by SCM_RIGHTS beside the others; -1 otherwise.
  int turn_link = -1;
};

// Has the server (started from `executable` if need be, or again if it died) fork a child
// for `request`, whose stdout/stderr are out_w/err_w (the caller keeps them; so request.turn_link). Returns its
// pid; `status` gets the read end on which the exit code arrives. OSError if no server
// could start the child.
pid_t start_child(const std::string& executable, const Request& request, int out_w, int err_w, Fd& status);

// Starts the server from `executable` unless it runs (a dead one is reaped and replaced),
// and returns its pid (Python's multiprocessing.forkserver.ensure_running(), which returns
// nothing).
pid_t ensure_running(const std::string& executable);

// At the program's end: closes the server's socket and reaps it (it first waits for its
// children). Kills it if it has not left within a second. A later start_child starts a new one.
void stop();

// The exit code from a status fd: nullopt while the child runs (block = false); 255 when the
// child ended unreported (see above).
std::optional<int> read_status(int status_fd, bool block);

// The server's main loop; returns when the parent closes its socket. It dies with `parent`
// (PR_SET_PDEATHSIG; 0: no check) and with the program (the life pipe, on descriptor 3 if
// there); its children die with the program, not with the server.
int server_main(pid_t parent, int (*run_child)(const Request& request));

}  // namespace concur::process::forkserver
