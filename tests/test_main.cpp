// concur_tests' main. The probes first (process_probes.h); then, when this program
// was started again as a spawn or forkserver child (`concur_tests __child ...`, as the
// process tests ask with kProbeExecutable), that child's body, as concur's own main does;
// else the tests.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "core/process/process.h"
#include "process_probes.h"

int main(int argc, char** argv) {
  concur::testing::register_probes();
  if (argc > 1 && std::string(argv[1]) == "__child") return concur::process::child_main(argc, argv);
  ::testing::InitGoogleMock(&argc, argv);
  return RUN_ALL_TESTS();
}
