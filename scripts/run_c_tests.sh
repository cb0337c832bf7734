#!/usr/bin/env bash
# Run the C tests of a configured and built CMake tree with ctest.
#
#   scripts/run_c_tests.sh BUILD_DIR [address|thread]
#
# The second argument names the sanitizer the tree was built with, and sets
# the runtime options that go with it (a caller's own *SAN_OPTIONS win).
# Environment: CTEST (the ctest to run, default "ctest"), CTEST_FLAGS (extra
# ctest arguments, e.g. "-R test_graph" or "-j2").
set -euo pipefail

build_dir=${1:?usage: run_c_tests.sh BUILD_DIR [address|thread]}
sanitizer=${2:-}
ctest_cmd=${CTEST:-ctest}
read -r -a extra <<<"${CTEST_FLAGS:-}"

launcher=()
case "$sanitizer" in
"")
    ;;
address)
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1}
    export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
    ;;
thread)
    export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
    # Older ThreadSanitizer runtimes abort on kernels with a large mmap
    # randomization range ("unexpected memory mapping"); running the tests
    # with address-space randomization off avoids it where that is allowed.
    if setarch "$(uname -m)" -R true 2>/dev/null; then
        launcher=(setarch "$(uname -m)" -R)
    fi
    ;;
*)
    echo "run_c_tests.sh: unknown sanitizer '$sanitizer' (address or thread)" >&2
    exit 2
    ;;
esac

cd "$build_dir"
exec ${launcher[@]+"${launcher[@]}"} "$ctest_cmd" --output-on-failure ${extra[@]+"${extra[@]}"}
