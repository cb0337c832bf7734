#!/usr/bin/env python3
"""Write the WAV reader's fuzz seed corpus (fuzz/corpus/wav/): small valid
files in every format the reader knows, plus a few odd layouts.

    python scripts/make_wav_corpus.py [out_dir]
"""

import os
import struct
import sys


def wav(tag, ch, rate, bits, frames, extensible=False, extra=b"", data_size=None, tail=b""):
    block = ch * ((bits + 7) // 8)
    if extensible:
        guid = struct.pack("<H", tag) + bytes.fromhex("000000001000800000aa00389b71")
        fmt = struct.pack("<HHIIHHHHI", 0xFFFE, ch, rate, rate * block, block, bits, 22, bits, 0) + guid
    else:
        fmt = struct.pack("<HHIIHH", tag, ch, rate, rate * block, block, bits)
    data = bytes((i * 37 + 11) & 0xFF for i in range(frames * block))
    body = extra + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", len(data) if data_size is None else data_size) + data + tail
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "fuzz", "corpus", "wav")
    os.makedirs(out, exist_ok=True)
    files = {
        "pcm8_mono.wav": wav(1, 1, 8000, 8, 16),
        "pcm16_stereo.wav": wav(1, 2, 44100, 16, 16),
        "pcm24_stereo.wav": wav(1, 2, 48000, 24, 12),
        "pcm32_mono.wav": wav(1, 1, 96000, 32, 8),
        "float32_stereo.wav": wav(3, 2, 44100, 32, 8),
        "float64_mono.wav": wav(3, 1, 22050, 64, 8),
        "ext_pcm16_6ch.wav": wav(1, 6, 48000, 16, 4, extensible=True),
        "ext_float32_3ch.wav": wav(3, 3, 44100, 32, 4, extensible=True),
        "odd_chunk.wav": wav(1, 1, 8000, 16, 8, extra=b"LIST" + struct.pack("<I", 5) + b"abcde\0"),
        "streamed_size.wav": wav(1, 2, 8000, 16, 8, data_size=0xFFFFFFFF),
        "pcm12.wav": wav(1, 1, 8000, 12, 8),
    }
    for name, data in files.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
