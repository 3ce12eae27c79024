// The plain-language sentences --narrate tells for a run's events ("Thread-1 waits for
// semaphore 1: it is 0"), and the labels they are made of.
#pragma once

#include <string>

#include "core/seam.h"
#include "core/trace_event.h"

namespace concur::trace {

// A site's label with its holder, for a failed acquire: "fork 4 (held by 4th)".
std::string held_by(const WaitSite& site);

// Why a wait ended that did not get what it waited for, as --narrate and --live say it:
// "the timeout passed", "the run was stopped", "the run unwinds it after the report above ...".
std::string why_it_stopped(Woke why);

// The plain-language sentence --narrate prints for an event, or "" for none.
std::string narration(const Event& e);

}  // namespace concur::trace
