// A thread of concur's own plumbing (the watchdog, the signal thread, the output relay, a
// check worker's signal thread): not a Python thread, never in enumerate().
#pragma once

#include <functional>
#include <thread>

namespace concur {

// Starts `body` on a new std::thread and returns it once the thread runs. A thread
// allocates as it starts (glibc's pthread_getattr_np, a sanitizer's thread set-up), and a
// fork() of the demo must not copy an allocator lock held by that start-up: GCC 12's
// AddressSanitizer allocator takes none around fork(), and such a child hung in malloc.
// Throws std::system_error if no thread can be made.
std::thread start_plumbing_thread(std::function<void()> body);

}  // namespace concur
