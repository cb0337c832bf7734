# labsound: entry points.
#
#   make demo       set up .venv, install the package, render and play examples/demo.py
#   make test       C tests (CMake + ctest) and the Python suite (pytest)
#   make sanitize   ASan + UBSan: C tests, then the Python suite on an ASan build
#   make tsan       ThreadSanitizer: C tests
#   make bench      bench/bench.py in the venv (BENCH_ARGS="--quick" for a short run)
#   make clean      remove build directories and demo.wav (distclean: also .venv)
#
# Needs python3 (with venv and pip), a C11 compiler, cmake >= 3.18 and make.
# Everything Python-side is installed from PyPI into $(VENV).

PYTHON     ?= python3
VENV       ?= .venv
CMAKE      ?= cmake
CTEST      ?= ctest
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
BUILD      ?= build
BUILD_ASAN ?= build-asan
BUILD_TSAN ?= build-tsan
PIP_FLAGS  ?=
CTEST_FLAGS ?=
PYTEST_FLAGS ?= -q
DEMO_FLAGS ?=
DEMO_OUT   ?= demo.wav
BENCH_ARGS ?=

VPY := $(VENV)/bin/python

# Everything that goes into the wheel: a change re-installs the package.
PKG_SOURCES := $(sort $(filter-out %/__pycache__,$(wildcard CMakeLists.txt pyproject.toml \
	include/labsound/*.h src/*.[ch] src/*/*.[ch] python/src/*.[ch] python/src/nodes/*.[ch] python/labsound/* \
	examples/demo.py)))

# The test extra of pyproject.toml (falls back to the two it names today).
TEST_DEPS = $(shell $(VPY) -c "import tomllib; print(' '.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']['test']))" 2>/dev/null || echo pytest scipy)

.PHONY: all demo test test-c test-python sanitize sanitize-c sanitize-python tsan \
	bench venv install clean distclean help

all: help

help:
	@sed -n '3,9p' Makefile | sed 's/^# \{0,1\}//'

# ---------------------------------------------------------------------------
# Virtual environment and the installed package
# ---------------------------------------------------------------------------

$(VENV)/.created:
	@rm -rf $(VENV)
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		echo "error: '$(PYTHON) -m venv' failed. On Debian or Ubuntu install the venv"; \
		echo "       module first: apt-get install python3-venv"; exit 1; }
	@echo '*' > $(VENV)/.gitignore  # git ignores the environment (as venv does from Python 3.13)
	@touch $@

# pip install . builds the extension with scikit-build-core; its CMake build
# tree is kept under $(BUILD)/ so that a re-install only recompiles what changed.
$(VENV)/.installed: $(VENV)/.created $(PKG_SOURCES)
	$(VPY) -m pip install $(PIP_FLAGS) \
		--config-settings=build-dir=$(BUILD)/py-{wheel_tag} . numpy
	@touch $@

$(VENV)/.test-deps: $(VENV)/.created pyproject.toml
	$(VPY) -m pip install $(PIP_FLAGS) $(TEST_DEPS)
	@touch $@

venv: $(VENV)/.created
install: $(VENV)/.installed

# ---------------------------------------------------------------------------
# Demo
# ---------------------------------------------------------------------------

demo: $(VENV)/.installed
	$(VPY) examples/demo.py --output $(DEMO_OUT) $(DEMO_FLAGS)

# ---------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------

# Both halves always run; the target fails if either failed.
test:
	@status=0; \
	$(MAKE) --no-print-directory test-c || status=1; \
	$(MAKE) --no-print-directory test-python || status=1; \
	if [ $$status -ne 0 ]; then echo "make test: FAILED (see above)"; fi; \
	exit $$status

test-c:
	$(CMAKE) -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DLS_BUILD_TESTS=ON
	$(CMAKE) --build $(BUILD) -j $(JOBS)
	CTEST="$(CTEST)" CTEST_FLAGS="$(CTEST_FLAGS)" bash scripts/run_c_tests.sh $(BUILD)

test-python: $(VENV)/.installed $(VENV)/.test-deps
	$(VPY) -m pytest tests/python $(PYTEST_FLAGS)

# ---------------------------------------------------------------------------
# Sanitizers
# ---------------------------------------------------------------------------

# One tree builds the C tests and the extension, both with ASan + UBSan.
sanitize:
	@status=0; \
	$(MAKE) --no-print-directory sanitize-c || status=1; \
	$(MAKE) --no-print-directory sanitize-python || status=1; \
	if [ $$status -ne 0 ]; then echo "make sanitize: FAILED (see above)"; fi; \
	exit $$status

$(BUILD_ASAN)/.configured: $(VENV)/.created CMakeLists.txt
	$(CMAKE) -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DLS_SANITIZE=address,undefined -DLS_BUILD_TESTS=ON -DLS_BUILD_PYTHON=ON \
		-DPython_EXECUTABLE=$(abspath $(VPY))
	@touch $@

sanitize-c: $(BUILD_ASAN)/.configured
	$(CMAKE) --build $(BUILD_ASAN) -j $(JOBS)
	CTEST="$(CTEST)" CTEST_FLAGS="$(CTEST_FLAGS)" bash scripts/run_c_tests.sh $(BUILD_ASAN) address

sanitize-python: $(BUILD_ASAN)/.configured $(VENV)/.installed $(VENV)/.test-deps
	$(CMAKE) --build $(BUILD_ASAN) -j $(JOBS) --target _core
	PYTEST_FLAGS="$(PYTEST_FLAGS)" bash scripts/run_python_asan.sh $(VPY) $(BUILD_ASAN)

tsan:
	$(CMAKE) -S . -B $(BUILD_TSAN) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DLS_SANITIZE=thread -DLS_BUILD_TESTS=ON
	$(CMAKE) --build $(BUILD_TSAN) -j $(JOBS)
	CTEST="$(CTEST)" CTEST_FLAGS="$(CTEST_FLAGS)" bash scripts/run_c_tests.sh $(BUILD_TSAN) thread

# ---------------------------------------------------------------------------
# Benchmarks
# ---------------------------------------------------------------------------

bench: $(VENV)/.installed
	$(VPY) bench/bench.py $(BENCH_ARGS)

# ---------------------------------------------------------------------------

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_TSAN) $(DEMO_OUT)
	rm -f $(VENV)/.installed $(VENV)/.test-deps

distclean: clean
	rm -rf $(VENV)
