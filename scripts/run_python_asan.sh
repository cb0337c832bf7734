#!/usr/bin/env bash
# Run the Python suite against the extension built with AddressSanitizer and
# UndefinedBehaviorSanitizer.
#
#   scripts/run_python_asan.sh PYTHON BUILD_DIR
#
# BUILD_DIR is a CMake tree configured with -DLS_BUILD_PYTHON=ON and
# -DLS_SANITIZE=address,undefined in which the _core target is built. The
# script lays out an importable package in BUILD_DIR/pkg (the pure-Python
# files of python/labsound plus the sanitized _core), puts it first on
# PYTHONPATH and runs pytest with the ASan runtime preloaded: the interpreter
# itself is not built with ASan, so the runtime must be loaded before it.
# Leak detection is off (CPython keeps memory until exit by design);
# PYTHONMALLOC=malloc makes Python objects plain heap blocks, so a reference
# counting mistake in the extension shows up as a use-after-free.
# Environment: PYTEST_FLAGS (default "-q"), LS_HYPOTHESIS_EXAMPLES (default 15).
set -euo pipefail

python=${1:?usage: run_python_asan.sh PYTHON BUILD_DIR}
build_dir=${2:?usage: run_python_asan.sh PYTHON BUILD_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=$(cd "$build_dir" && pwd)

shopt -s nullglob
ext=("$build_dir"/_core*.so)
shopt -u nullglob
if [ ${#ext[@]} -ne 1 ]; then
    echo "run_python_asan.sh: expected one _core*.so in $build_dir, found ${#ext[@]}" >&2
    exit 1
fi

pkg="$build_dir/pkg"
rm -rf "$pkg"
mkdir -p "$pkg/labsound"
find "$root/python/labsound" -maxdepth 1 -type f -exec cp {} "$pkg/labsound/" \;
cp "${ext[0]}" "$pkg/labsound/"
# the demo piece, as the wheel ships it (CMakeLists.txt installs it so)
cp "$root/examples/demo.py" "$pkg/labsound/_demo.py"

# The ASan runtime of the compiler the tree was built with.
cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$build_dir/CMakeCache.txt")
cc=${cc:-cc}
runtime=$("$cc" -print-file-name=libasan.so 2>/dev/null || true)
if [ ! -f "$runtime" ]; then
    rtdir=$("$cc" --print-runtime-dir 2>/dev/null || true)
    runtime="$rtdir/libclang_rt.asan-$(uname -m).so"
fi
if [ ! -f "$runtime" ]; then
    echo "run_python_asan.sh: cannot find the ASan runtime of $cc" >&2
    exit 1
fi

# C++ extensions that throw (matplotlib's ft2font) need the C++ runtime loaded
# with the ASan runtime, or ASan's __cxa_throw interceptor finds no real one.
cxxrt=$("$cc" -print-file-name=libstdc++.so.6 2>/dev/null || true)
[ -f "$cxxrt" ] && runtime="$runtime:$cxxrt"
export LD_PRELOAD="$runtime${LD_PRELOAD:+:$LD_PRELOAD}"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export PYTHONMALLOC=malloc
# tests/python/test_properties.py: fewer random programs than in a plain run
# (everything is several times slower under the sanitizers)
export LS_HYPOTHESIS_EXAMPLES=${LS_HYPOTHESIS_EXAMPLES:-15}
export PYTHONPATH="$pkg${PYTHONPATH:+:$PYTHONPATH}"

where=$("$python" -c 'import labsound._core as c; print(c.__file__)')
case "$where" in
"$pkg"/*) ;;
*)
    echo "run_python_asan.sh: labsound._core came from $where, not from $pkg" >&2
    exit 1
    ;;
esac
echo "Python suite on the ASan+UBSan build ($where)"

cd "$root"
read -r -a flags <<<"${PYTEST_FLAGS:--q}"
exec "$python" -m pytest tests/python ${flags[@]+"${flags[@]}"}
