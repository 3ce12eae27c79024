#include "core/process/manager.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/runtime.h"
#include "core/seam.h"
#include "core/process/pipe.h"

namespace concur::process {

namespace {

// ---- addresses and connections (client side) ----

// The sockaddr of an abstract address ("\0name"): its length counts only the name's bytes.
socklen_t make_sockaddr(const std::string& address, sockaddr_un& sa) {
  std::memset(&sa, 0, sizeof sa);
  sa.sun_family = AF_UNIX;
  std::size_t n = std::min(address.size(), sizeof sa.sun_path);
  std::memcpy(sa.sun_path, address.data(), n);
  return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + n);
}

// A new connection to the server at `address`; ConnectionRefusedError when none listens.
Connection connect_to(const std::string& address) {
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) throw OSError(std::strerror(errno));
  sockaddr_un sa;
  socklen_t len = make_sockaddr(address, sa);
  while (::connect(fd.get(), reinterpret_cast<sockaddr*>(&sa), len) != 0) {
    if (errno == EINTR) continue;
    // The socket closes as the error leaves.
    if (errno == ECONNREFUSED || errno == ENOENT) throw ConnectionRefusedError();
    throw OSError(std::strerror(errno));
  }
  return Connection(std::move(fd), true, true);
}

// The calling thread's connections, one per manager address, valid in process `pid` only:
// a forked child finds its parent's pid here and drops (closes its copies of) them all.
struct ThreadConnections {
  pid_t pid = 0;
  std::map<std::string, Connection> by_address;
};
thread_local ThreadConnections tls;

ThreadConnections& connections() {
  if (tls.pid != ::getpid()) {
    tls.by_address.clear();
    tls.pid = ::getpid();
  }
  return tls;
}

// True when the idle connection has something to read: the server closed it (it never
// speaks unasked), so the stream is stale.
bool stale(const Connection& c) {
  pollfd p{c.fileno(), POLLIN, 0};
  return ::poll(&p, 1, 0) > 0;
}

// This thread's connection to `address`, opened now if it has none or its one is stale.
Connection& connection(const std::string& address) {
  auto& map = connections().by_address;
  auto it = map.find(address);
  if (it != map.end() && stale(it->second)) {
    map.erase(it);
    it = map.end();
  }
  if (it == map.end()) it = map.emplace(address, connect_to(address)).first;
  return it->second;
}

void forget(const std::string& address) { connections().by_address.erase(address); }

// One round trip: sends `request`, returns the reply's value or throws the server's error.
Value call(const std::string& address, const List& request) {
  Connection* c = &connection(address);
  try {
    c->send(request);
  } catch (const OSError&) {
    // The server went between the staleness check and the send: try a fresh connection
    // once (refused when the manager has shut down).
    forget(address);
    c = &connection(address);
    c->send(request);
  }
  Value reply;
  try {
    reply = c->recv();
  } catch (const OSError& e) {
    forget(address);
    // The server died before reading the request: the kernel resets the stream.
    if (std::string(e.what()) == std::strerror(ECONNRESET)) throw ConnectionResetError();
    throw;
  } catch (...) {
    forget(address);  // EOFError (server gone mid-call) or ThreadExit: the stream is unusable
    throw;
  }
  const List& r = reply.as_list();
  if (r.at(0).as_str() == "#RETURN") return r.at(1);
  const std::string& type = r.at(1).as_str();
  const std::string& message = r.at(2).as_str();
  if (type == "IndexError") throw IndexError(message);
  if (type == "AttributeError") throw AttributeError(message);
  throw PyError(type, message);
}

// ---- the server ----

// A shared object: a list, or a Namespace's attributes in the order first set.
struct Object {
  bool is_namespace = false;
  List items;
  std::vector<std::pair<std::string, Value>> attrs;
};

List error_reply(const std::string& type, const std::string& message) { return {"#ERROR", type, message}; }

std::string namespace_repr(const Object& ns) {
  std::vector<std::string> items;
  for (const auto& [name, value] : ns.attrs)
    if (!name.starts_with('_')) items.push_back(name + "=" + repr(value));
  std::sort(items.begin(), items.end());  // Python sorts the "name=repr" strings
  std::string text = "Namespace(";
  for (std::size_t i = 0; i < items.size(); ++i) text += (i ? ", " : "") + items[i];
  return text + ")";
}

class Server {
 public:
  bool stopping() const { return stop_; }

  // Serves one request: [method, id, args...] -> ["#RETURN", value] or ["#ERROR", ...].
  List handle(const List& req) {
    const std::string& method = req.at(0).as_str();
    if (method == "shutdown") {
      stop_ = true;
      return {"#RETURN", None{}};
    }
    if (method == "list" || method == "Namespace") {
      Object o;
      o.is_namespace = method == "Namespace";
      if (!o.is_namespace && req.size() > 2) o.items = req[2].as_list();
      objects_.emplace(next_id_, std::move(o));
      return {"#RETURN", next_id_++};
    }
    auto it = objects_.find(req.at(1).as_int());
    if (it == objects_.end()) return error_reply("KeyError", repr(req.at(1)));
    Object& o = it->second;
    if (method == "append") {
      o.items.push_back(req.at(2));
      return {"#RETURN", None{}};
    }
    if (method == "__getitem__") {
      long long i = req.at(2).as_int(), n = static_cast<long long>(o.items.size());
      if (i < 0) i += n;
      if (i < 0 || i >= n) return error_reply("IndexError", "list index out of range");
      return {"#RETURN", o.items[static_cast<std::size_t>(i)]};
    }
    if (method == "__len__") return {"#RETURN", static_cast<long long>(o.items.size())};
    if (method == "#GETVALUE") return {"#RETURN", o.items};
    if (method == "__repr__") return {"#RETURN", o.is_namespace ? namespace_repr(o) : repr(o.items)};
    if (method == "__setattr__") {
      const std::string& name = req.at(2).as_str();
      auto a = std::find_if(o.attrs.begin(), o.attrs.end(), [&](const auto& kv) { return kv.first == name; });
      if (a != o.attrs.end()) a->second = req.at(3);
      else o.attrs.emplace_back(name, req.at(3));
      return {"#RETURN", None{}};
    }
    if (method == "__getattribute__") {
      const std::string& name = req.at(2).as_str();
      for (const auto& [key, value] : o.attrs)
        if (key == name) return {"#RETURN", value};
      return error_reply("AttributeError", "'Namespace' object has no attribute '" + name + "'");
    }
    return error_reply("AttributeError", "no method '" + method + "'");
  }

 private:
  std::map<long long, Object> objects_;
  long long next_id_ = 1;
  bool stop_ = false;
};

// The server process's body: listens at `address`, says so on `ready` (the child's copy of
// the start pipe's write end; `unused` is its copy of the read end), then serves requests
// one at a time until asked to shut down or its parent is gone.
void serve(const std::string& address, Fd ready_fd, Fd unused, pid_t parent) {
  unused.reset();
  connections();  // drops the connections this thread had in the parent
  Connection ready(std::move(ready_fd), false, true);
  Fd listener(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  int listen_fd = listener.get();
  sockaddr_un sa;
  socklen_t len = make_sockaddr(address, sa);
  if (listen_fd < 0 || ::bind(listen_fd, reinterpret_cast<sockaddr*>(&sa), len) != 0 || ::listen(listen_fd, 64) != 0) {
    ready.send(std::string(std::strerror(errno)));
    return;
  }
  ready.send(List{});
  ready.close();

  Server server;
  std::vector<Connection> clients;
  WaitSite requests(SiteKind::kPipe, "the manager's clients");
  while (!server.stopping() && ::getppid() == parent) {
    // Wait for a new client or a request. The server's own loop, not a demo's wait: it
    // ends on a shutdown request, on terminate(), or with its parent (PR_SET_PDEATHSIG).
    std::vector<pollfd> fds{{listen_fd, POLLIN, 0}};
    for (const Connection& c : clients) fds.push_back({c.fileno(), POLLIN, 0});
    if (scheduler().is_virtual()) {
      // A deterministic run: the wait is a scheduling point like any other (deterministic.h),
      // and poll(2) below then only reads what is ready.
      scheduler().wait_fds(requests, fds, Deadline::never());
      for (pollfd& p : fds) p.revents = 0;
    }
    if (::poll(fds.data(), fds.size(), -1) <= 0) continue;
    // Serve each ready client's request whole, one after the other.
    std::vector<bool> gone(clients.size(), false);
    for (std::size_t i = 0; i < clients.size() && !server.stopping(); ++i) {
      if (!(fds[i + 1].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      try {
        List reply = server.handle(clients[i].recv().as_list());
        clients[i].send(reply);
      } catch (const PyError&) {  // EOFError: the client closed; OSError, ValueError: broken
        gone[i] = true;
      } catch (const std::exception&) {  // a malformed request (bad_variant_access, out_of_range)
        gone[i] = true;
      }
    }
    for (std::size_t i = clients.size(); i-- > 0;)
      if (gone[i]) clients.erase(clients.begin() + static_cast<std::ptrdiff_t>(i));
    // Accept a new client.
    if (fds[0].revents & POLLIN) {
      Fd fd(::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC));
      if (fd) clients.emplace_back(std::move(fd), true, true);
    }
  }
  listener.reset();  // the abstract name goes with it
}

std::atomic<int> manager_counter{0};

}  // namespace

// ---- proxies ----

void ListProxy::append(const Value& value) const { call(address_, {"append", id_, value}); }
Value ListProxy::get(long long i) const { return call(address_, {"__getitem__", id_, i}); }
long long ListProxy::len() const { return call(address_, {"__len__", id_}).as_int(); }
List ListProxy::to_list() const { return call(address_, {"#GETVALUE", id_}).as_list(); }
std::string ListProxy::repr() const { return call(address_, {"__repr__", id_}).as_str(); }

void NamespaceProxy::set(const std::string& name, const Value& value) const {
  call(address_, {"__setattr__", id_, name, value});
}
Value NamespaceProxy::get(const std::string& name) const { return call(address_, {"__getattribute__", id_, name}); }
std::string NamespaceProxy::repr() const { return call(address_, {"__repr__", id_}).as_str(); }

// ---- the manager ----

SyncManager::~SyncManager() {
  try {
    shutdown();
  } catch (...) {
    // A stopped run (ThreadExit) or a broken socket: server_'s destructor still
    // terminates and reaps the server.
  }
}

void SyncManager::start() {
  if (state_ != State::kInitial) throw AssertionError("");
  address_ = std::string(1, '\0') + fmt::format("concur-manager-{}-{}", ::getpid(), ++manager_counter);
  auto [reader, writer] = Pipe(false);
  std::string address = address_;
  int ready_fd = writer.fileno(), unused_fd = reader.fileno();
  pid_t parent = ::getpid();
  server_ = std::make_unique<Process>(ProcessArgs{
      .target = [address, ready_fd, unused_fd, parent] { serve(address, Fd(ready_fd), Fd(unused_fd), parent); },
      .class_name = "SyncManager",
      .daemon = true,
      .start_method = "fork"});
  server_->start();
  writer.close();
  // Wait until the server listens (or says why it cannot, or dies).
  Value ready;
  try {
    ready = reader.recv();
  } catch (const EOFError&) {
    throw OSError("manager server " + server_->name() + " exited before listening");
  }
  if (std::holds_alternative<std::string>(ready.v)) throw OSError("manager server: " + ready.as_str());
  state_ = State::kStarted;
}

void SyncManager::shutdown() {
  if (state_ != State::kStarted) return;
  state_ = State::kShutdown;
  forget(address_);
  // Ask the server to stop, on a fresh connection as Python does.
  if (server_->is_alive()) {
    try {
      Connection c = connect_to(address_);
      c.send(List{"shutdown", 0});
      c.recv();
    } catch (const PyError&) {
      // Already gone: nothing to ask.
    } catch (const ThreadExit&) {
      // The run stopped while we waited for the reply: join() below terminates the server.
    }
  }
  if (runtime().cancelled()) {
    server_->join();  // terminates and reaps the server, then throws ThreadExit
    return;
  }
  // Give it 0.2 s (real) to exit, then terminate it, then kill it; reap it in any case.
  auto wait_exit = [this](std::chrono::milliseconds limit) {
    double real_per_lecture = std::chrono::duration<double>(scheduler().to_real(1.0)).count();
    server_->join(std::chrono::duration<double>(limit).count() / (real_per_lecture > 0 ? real_per_lecture : 1));
    return !server_->is_alive();
  };
  if (!wait_exit(std::chrono::milliseconds(200))) {
    server_->terminate();
    if (!wait_exit(std::chrono::milliseconds(100))) server_->kill();
  }
  server_->join();
}

ListProxy SyncManager::list(const List& initial) {
  List args;
  args.push_back(initial);  // one argument, the list (`{initial}` would copy initial instead)
  return {address_, create("list", args)};
}
NamespaceProxy SyncManager::Namespace() { return {address_, create("Namespace", {})}; }

long long SyncManager::create(const std::string& kind, const List& args) {
  if (state_ != State::kStarted) throw AssertionError("server not yet started");
  List request{kind, 0};
  request.insert(request.end(), args.begin(), args.end());
  return call(address_, request).as_int();
}

std::string SyncManager::name() const { return server_ ? server_->name() : ""; }
std::optional<int> SyncManager::pid() const { return server_ ? server_->pid() : std::nullopt; }
bool SyncManager::is_alive() { return server_ && server_->is_alive(); }
std::optional<int> SyncManager::exitcode() { return server_ ? server_->exitcode() : std::nullopt; }
std::string SyncManager::address() const { return address_.empty() ? "" : "@" + address_.substr(1); }

std::unique_ptr<SyncManager> Manager() {
  auto manager = std::make_unique<SyncManager>();
  manager->start();
  return manager;
}

}  // namespace concur::process
