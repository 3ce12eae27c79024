# Two commands for a new user (see README): `make demo` and `make test`.
# Both install missing Debian packages (scripts/setup), configure and build first.
PRESET ?= release
BUILD  := build/$(PRESET)
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all setup configure build demo test check tsan clean

all: build

setup:
	@./scripts/setup

$(BUILD)/build.ninja: CMakeLists.txt CMakePresets.json | setup
	cmake --preset $(PRESET)

configure: setup $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	$(BUILD)/concur demo semaphore

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)
	$(BUILD)/concur check --all

clean:
	rm -rf build
