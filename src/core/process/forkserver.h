// The forkserver start method: a single-threaded server process (a fresh image of the
// program, `concur __child __forkserver`) started on first use, which forks each child
// on request, as Python's forkserver does. A child forked from a one-thread server
// inherits no other thread's locks.
//
// Requests go over a SOCK_SEQPACKET socket: the codec.h bytes of [target, name, identity,
// time_scale, seed, args] plus, by SCM_RIGHTS, the child's stdout, stderr and a status pipe.
// The server answers with the child's pid; the child is the server's, so the server reaps
// it and writes its exit code (Python style: -SIGNAL when killed) on the status pipe.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

#include "codec.h"

namespace concur::process::forkserver {

struct Request {
  std::string target, name, identity;
  double time_scale;
  std::uint64_t seed;
  List args;
};

// Has the server (started from `executable` if need be) fork a child for `request`, whose
// stdout/stderr are out_w/err_w. Returns its pid; *status_fd gets the read end on which
// the exit code arrives.
pid_t start_child(const std::string& executable, const Request& request, int out_w, int err_w, int* status_fd);

// Starts the server from `executable` unless it runs, and returns its pid (Python's
// multiprocessing.forkserver.ensure_running(), which returns nothing).
pid_t ensure_running(const std::string& executable);

// At the program's end: closes the server's socket and reaps it (it first waits for its
// children). Kills it if it has not left within a second. A later start_child starts a new one.
void stop();

// The exit code from a status fd: nullopt while the child runs (block = false).
std::optional<int> read_status(int status_fd, bool block);

// The server's main loop; returns when the parent closes its socket. It dies with `parent`
// (PR_SET_PDEATHSIG; 0: no check), and its children die with it.
int server_main(pid_t parent, int (*run_child)(const Request& request));

}  // namespace concur::process::forkserver
