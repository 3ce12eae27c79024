// multiprocessing.Manager: a server process that owns shared objects (a list, a Namespace)
// which the parent and its forked children change through proxies.
//
// SyncManager::start() forks a server process named `SyncManager-N` (a Process with
// class_name "SyncManager", so it shares Python's process counter). The server binds a Unix
// socket in the ABSTRACT namespace ("\0concur-manager-<pid>-<n>"): the name lives only as
// long as the socket, so when the server exits, however it exits, nothing is left to clean
// up (Python's listener is a file under /tmp that its shutdown removes). It is bound inside the
// server, which is single-threaded and never forks, so no other process holds the
// listening socket; the server says "listening" on a one-way Pipe before start() returns.
//
// A proxy (ListProxy, NamespaceProxy) is a plain value: the server's address and the
// object's id. A call sends one request and waits for one reply on a connection of the
// calling thread, opened on first use and kept, as Python keeps one per thread. The
// connections are keyed by getpid(): a forked child never writes into its parent's stream;
// it connects afresh. Messages are Pipe's (a 4-byte length, then codec.h bytes): a request
// is [method, id, args...], a reply ["#RETURN", value] or ["#ERROR", type, message].
//
// The server serves requests one at a time, whole, in a poll loop over its clients. Each
// call is therefore atomic, but a read-modify-write made of two calls (`ns.x += 1` is a get
// then a set) is not: two processes can both read 1 and both write 2, as in Python.
//
// Waits for a reply are the seam's (Scheduler::wait_fd) and throw ThreadExit at once when the run
// stops (watchdog, Ctrl-C). A server that dies mid-call makes the call throw, never hang:
// EOFError if it had read the request, ConnectionResetError if the request was still unread
// (as Python's recv raises). Once the manager has shut down, a proxy call throws
// ConnectionRefusedError ("[Errno 111] Connection refused": nothing listens there any more).
//
// Unlike Python, the server process is daemonic: process::shutdown() (interpreter exit)
// then terminates a manager still running instead of joining it for ever; Python instead
// shuts managers down (a finalizer) before it joins children. Only the "fork" start method
// is used for the server, whatever set_start_method() chose, and proxies reach forked
// children only (captured in a closure). Values are codec.h Values, so there is no dict or
// tuple: store a record as a List.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/errors.h"
#include "core/process/codec.h"
#include "core/process/process.h"
#include "core/process/shared.h"  // IndexError

namespace concur {

// Python's ConnectionRefusedError: a call to a manager that has shut down.
struct ConnectionRefusedError : PyError {
  explicit ConnectionRefusedError(const std::string& m = "[Errno 111] Connection refused")
      : PyError("ConnectionRefusedError", m) {}
};
// Python's ConnectionResetError: the server died with this call's request still unread.
struct ConnectionResetError : PyError {
  explicit ConnectionResetError(const std::string& m = "[Errno 104] Connection reset by peer")
      : PyError("ConnectionResetError", m) {}
};
// Python's AttributeError: reading a Namespace attribute never set.
struct AttributeError : PyError {
  explicit AttributeError(const std::string& m) : PyError("AttributeError", m) {}
};

}  // namespace concur

namespace concur::process {

// A proxy for a list held by a manager's server. Copyable; usable in the process that made
// it and in children forked afterwards. Every method is one round trip to the server; the
// methods are const because they change the shared list, never the proxy.
class ListProxy {
 public:
  ListProxy(std::string address, long long id) : address_(std::move(address)), id_(id) {}

  // list.append(value).
  void append(const Value& value) const;
  // records[i]: a copy of the item; negative i counts from the end. IndexError ("list index
  // out of range") outside the list.
  Value get(long long i) const;
  Value operator[](long long i) const { return get(i); }
  // len(records).
  long long len() const;
  // A copy of the whole list (Python's records[:] or list(records)), in one call.
  List to_list() const;
  // str(records): the list's repr, `[['Computers', 1], ['History', 5]]`.
  std::string repr() const;

 private:
  std::string address_;
  long long id_;
};

// A proxy for a Namespace held by a manager's server: attributes set and read by name.
class NamespaceProxy {
 public:
  NamespaceProxy(std::string address, long long id) : address_(std::move(address)), id_(id) {}

  // ns.name = value. A name starting with '_' is kept but, as in Python, not shown by repr.
  void set(const std::string& name, const Value& value) const;
  // ns.name; AttributeError ("'Namespace' object has no attribute 'name'") if never set.
  Value get(const std::string& name) const;
  // str(ns): `Namespace(x=1, y=1)`, the `name=repr` items sorted as Python sorts them.
  std::string repr() const;

 private:
  std::string address_;
  long long id_;
};

class SyncManager {
 public:
  SyncManager() = default;
  SyncManager(const SyncManager&) = delete;
  SyncManager& operator=(const SyncManager&) = delete;
  // Shuts the server down (as Python's finalizer does) if it is running.
  ~SyncManager();

  // Forks the server `SyncManager-N` and returns once it listens. A second start throws
  // AssertionError, as Python's assert does; a server that cannot listen, OSError.
  void start();
  // Asks the server to stop, waits up to 0.2 s (real) for it, terminates it if it is still
  // alive, and reaps it. Idempotent; later proxy calls throw ConnectionRefusedError.
  void shutdown();

  // manager.list(initial): a new list in the server. AssertionError ("server not yet
  // started") before start() or after shutdown(), as Python asserts.
  ListProxy list(const List& initial = {});
  // manager.Namespace(): a new, empty Namespace in the server.
  NamespaceProxy Namespace();

  // The server process's name (SyncManager-N; empty before start), pid, liveness and exit
  // code (0 after a clean shutdown).
  std::string name() const;
  std::optional<int> pid() const;
  bool is_alive();
  std::optional<int> exitcode();
  // The socket address, printable: "@concur-manager-PID-N" (the '@' stands for '\0').
  std::string address() const;

 private:
  enum class State { kInitial, kStarted, kShutdown };
  long long create(const std::string& kind, const List& args);

  State state_ = State::kInitial;
  std::string address_;  // starts with '\0'
  std::unique_ptr<Process> server_;
};

// multiprocessing.Manager(): a SyncManager already started.
std::unique_ptr<SyncManager> Manager();

}  // namespace concur::process
