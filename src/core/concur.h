// Everything a demo uses, in one include: the lecture's Python, in C++.
#pragma once

#include "clock.h"
#include "deadlock.h"
#include "errors.h"
#include "futures.h"
#include "log.h"
#include "output.h"
#include "queue.h"
#include "random.h"
#include "runtime.h"
#include "sync/barrier.h"
#include "sync/condition.h"
#include "sync/event.h"
#include "sync/lock.h"
#include "sync/rlock.h"
#include "sync/semaphore.h"
#include "thread.h"
