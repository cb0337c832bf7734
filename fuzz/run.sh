#!/usr/bin/env bash
# Fuzz the WAV reader for a bounded time (default 60 s) under ASan + UBSan.
# With clang: a libFuzzer target; otherwise the harness's own random-mutation
# driver (fuzz/wav_fuzz.c, -DLS_FUZZ_STANDALONE). The seed corpus is
# fuzz/corpus/wav (regenerate with scripts/make_wav_corpus.py); libFuzzer's
# new finds go to fuzz/out/ (ignored by git).
#
#   bash fuzz/run.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
out=fuzz/out
mkdir -p "$out"
srcs=(fuzz/wav_fuzz.c src/wav.c src/buffer.c)
flags=(-O1 -g -Iinclude -Isrc -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
if command -v clang >/dev/null 2>&1 &&
    clang "${flags[@]}" -fsanitize=fuzzer,address,undefined "${srcs[@]}" -lm -o "$out/wav_fuzz"; then
    mkdir -p "$out/corpus"
    "$out/wav_fuzz" -max_total_time="$seconds" -max_len=65536 "$out/corpus" fuzz/corpus/wav
else
    if command -v clang >/dev/null 2>&1; then
        echo "fuzz/run.sh: clang cannot link a libFuzzer target (its run-time libraries:"
        echo "  apt-get install libclang-rt-dev); using the harness's own driver instead"
    fi
    "${CC:-cc}" "${flags[@]}" -fsanitize=address,undefined -DLS_FUZZ_STANDALONE "${srcs[@]}" -lm \
        -o "$out/wav_fuzz"
    "$out/wav_fuzz" "$seconds" fuzz/corpus/wav
fi
