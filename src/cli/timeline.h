// `--timeline`: a run's events (core/trace.h) drawn as a swimlane chart in the terminal, one
// row per thread, lecture time running across, so that a class sees at a glance who ran, who
// slept, who held a lock and who waited for what, and when.
//
//   Timeline (lecture seconds 0 to 8.0; one column = 0.17 s)
//   MainThread |-----------------------------------------------|
//   Thread-1   |...........SSSSSSS------------------           |
//   Thread-2   |  ---------#############------                 |
//              +-----------------------+-----------------------+
//               0                     4.0                  8.0 s
//   Legend: - running   . sleeping   # holding a lock
//     S waiting (see below)   blank: not started or ended
//   Waiting for: S semaphore 1
//   Holding (#): fork 1
//
// The glyphs are plain ASCII on purpose: the Unicode shade and box glyphs (░ █ ─ ·) are "East
// Asian ambiguous" and take two columns in some terminals, which would break the alignment of
// the rows; ASCII also survives copy-paste into notes and e-mails. Colour only adds to them.
#pragma once

#include <string>
#include <vector>

#include "core/trace.h"

namespace concur::cli {

// The swimlane chart of a run, as lines ending in '\n'.
//
// Rows: one per thread (a child process's in `children` too, named "Process-1" for its main
// thread and "Process-1/NAME" for the others), MainThread first, then in order of first appearance, named by the
// thread's latest name (cut to fit a name column of at most 20 columns). A thread's row begins
// at its kStart (MainThread at 0, a thread seen without kStart at its first event) and ends at
// its kEnd, or at `end` if it never ended.
// Columns: lecture time from 0 to `end` seconds in equal slices; a run with `end` <= 0 gets a
// single column. Each cell shows the most telling thing its thread did in that slice, by this
// precedence: waiting (the letter of the site kind: L lock, R rlock, S semaphore, E event,
// C condition, B barrier, Q queue, F future, J join) > holding a Lock/RLock '#' > running '-'
// > sleeping '.'; blank where the thread was not alive. A wait or hold counts even when it
// lasted no time (a deterministic run's virtual clock); running and sleeping only for a time.
// Instants (put, get, set, ...) are not drawn. A lock released by another thread than its
// holder ends the holder's hold.
// Below: a time axis (0, the middle, `end`) and a legend naming the glyphs, the sites waited
// on (with their letters) and the locks held.
// Every line is at most max(`width`, 24) columns (UTF-8 code points, escapes not counted).
// With `color`, cells (and the legend's glyphs) are also coloured with ANSI escapes; without
// it, the output has none. Never throws for odd event sequences (unmatched ends are ignored).
std::string render_timeline(const std::vector<trace::Event>& events, const std::vector<trace::ProcessTrace>& children,
                            double end, int width, bool color);
inline std::string render_timeline(const std::vector<trace::Event>& events, double end, int width, bool color) {
  return render_timeline(events, {}, end, width, color);
}

}  // namespace concur::cli
