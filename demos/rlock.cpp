#include "demos.h"
namespace concur::demos { Check run_rlock(const Context&) { return {false, "not yet written"}; } }
