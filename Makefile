# Two commands for a new user (see README): `make demo` and `make test`.
# Both install missing Debian packages (scripts/setup), configure and build first.
PRESET ?= release
BUILD  := build/$(PRESET)
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)
PREFIX ?= $(HOME)/.local
# WERROR=1 (CI sets it): every compiler warning fails the build.
WERROR ?=
CMAKE_ARGS := -DCONCUR_WERROR=$(if $(filter 1 ON on yes,$(WERROR)),ON,OFF)

.PHONY: all setup configure build demo test golden tsan asan bench package install clean

all: build

setup:
	@./scripts/setup

$(BUILD)/build.ninja: CMakeLists.txt CMakePresets.json | setup
	cmake --preset $(PRESET) $(CMAKE_ARGS)

configure: setup $(BUILD)/build.ninja

build: configure
	@echo "make: building concur and its tests (about 7 minutes the first time on 2 cores)"
	cmake --build $(BUILD) -j $(JOBS)

# Only the program: the tests are built by `make test`.
demo: configure
	@echo "make: building concur (about 4 minutes the first time on 2 cores)"
	cmake --build $(BUILD) -j $(JOBS) --target concur
	$(BUILD)/concur demo semaphore
	@echo "make: the program is $(BUILD)/concur; 'make install' puts it on your PATH (see README)"

# ctest, then every demo's check, free-running and deterministic. Each step prints its own
# tally; the last line says it all passed (any failure stops make before it).
test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)
	$(BUILD)/concur check --all
	$(BUILD)/concur check --all --deterministic
	@echo "make test: all passed (ctest, concur check --all, concur check --all --deterministic)"

# bin/concur, its manual page and completions under PREFIX (default ~/.local, whose bin/
# Debian's ~/.profile puts on PATH). `sudo make install PREFIX=/usr/local` for everyone.
install: configure
	cmake --build $(BUILD) -j $(JOBS) --target concur concur_manpage
	cmake --install $(BUILD) --prefix $(PREFIX)
	@echo "make: installed $(PREFIX)/bin/concur"

# Accept the current output of every deterministic demo run (--deterministic --seed 1) as
# the golden files tests/golden/DEMO__VARIANT.out that GoldenTest compares with, and show
# which changed. Review the change with `git diff tests/golden` before committing it.
golden: build
	CONCUR_UPDATE_GOLDEN=1 $(BUILD)/tests/concur_tests --gtest_filter='Golden*' --gtest_brief=1
	@git status --short tests/golden

# The whole suite under ThreadSanitizer (the race demos included: their races are on atomics).
# Both sanitizer steps build only what the suite runs (the program and its tests): the
# benchmarks measure the release build and are not run instrumented.
tsan: setup
	cmake --preset tsan $(CMAKE_ARGS)
	cmake --build build/tsan -j $(JOBS) --target concur concur_tests
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$(CURDIR)/tsan.supp" ctest --test-dir build/tsan --output-on-failure -j $(JOBS)

# The whole suite (unit, CLI, smoke runs of every demo through the instrumented binary)
# under AddressSanitizer + UndefinedBehaviorSanitizer, leak checking on, at -O1. A failed
# test gets one more try (--repeat until-pass:2), and only here: GCC 12's ASan allocator
# takes no lock around fork(), so a child forked while another thread allocates can hang
# (the watchdog or --timeout ends it; concur's own plumbing threads, the watchdog, signal,
# relay and check-worker threads, are running before it returns from starting them, so
# their start-up cannot be the one), and the 2-3x slowdown can make a timing test at a
# small time scale miss. A real fault fails both tries; release and TSan runs never retry.
asan: setup
	cmake --preset asan $(CMAKE_ARGS)
	cmake --build build/asan -j $(JOBS) --target concur concur_tests
	ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
	  ctest --test-dir build/asan --output-on-failure -j $(JOBS) --repeat until-pass:2

bench: build
	$(BUILD)/bench/concur_bench --benchmark_min_time=0.2 --benchmark_repetitions=3 --benchmark_report_aggregates_only=true

# The .deb of bin/concur, its manual page and bash/zsh completions (cmake/Packaging.cmake):
# $(BUILD)/concur_VERSION-1_ARCH.deb, for `sudo apt install ./$(BUILD)/concur_*.deb`.
package: build
	cmake --build $(BUILD) --target package

clean:
	rm -rf build
