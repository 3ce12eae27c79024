// What the parts of the eventloop demo share: one run function per lecture example.
//
// `call-soon`, `call-later` and `run-forever` are in eventloop.cpp; `future`, `coroutine`
// and `tasks` in eventloop__tasks.cpp. Each gets the thread's event loop with
// aio::get_event_loop(), as the lecture does, and closes it at the end, so the next
// example (in `all`) starts on a fresh loop.
#pragma once

#include "demos/demos.h"

namespace concur::demos::eventloop_demo {

Check call_soon_variant();
Check call_later_variant();
Check run_forever_variant();
Check future_variant();
Check coroutine_variant();
Check tasks_variant();

}  // namespace concur::demos::eventloop_demo
