#!/usr/bin/env python3
"""Regenerate tests/fixtures/buffers/: AudioBufferSourceNode renders from
headless Chromium, the reference the buffer-source tests compare against.

    python scripts/make_fixtures_buffers.py --tool PATH/TO/webaudio_ref.py
    (or set WEBAUDIO_REF to that path)

Each case is the body of an async JS function of `ctx` (an
OfflineAudioContext); the same graphs are built in labsound by
tests/python/test_buffer_source_chromium.py. Renders are mono, 44.1 kHz,
4096 frames, stored as float32 WAV files.
"""

import argparse
import os
import subprocess
import sys
import tempfile

# The buffer every case plays: two sines, written the same way in the test.
MAKE_BUFFER = """
function makeBuffer(ctx, rate, n) {
  const b = ctx.createBuffer(1, n, rate);
  const x = b.getChannelData(0);
  for (let i = 0; i < n; i++)
    x[i] = 0.5 * Math.sin(2 * Math.PI * 3 * i / n) + 0.25 * Math.sin(2 * Math.PI * 37 * i / n);
  return b;
}
"""

CASES = {
    "loop": """
      const s = new AudioBufferSourceNode(ctx, {buffer: makeBuffer(ctx, 44100, 1000), loop: true,
                                                 loopStart: 100 / 44100, loopEnd: 900 / 44100});
      s.connect(ctx.destination);
      s.start(0, 50 / 44100);
    """,
    "offset_duration": """
      const s = new AudioBufferSourceNode(ctx, {buffer: makeBuffer(ctx, 44100, 1000)});
      s.connect(ctx.destination);
      s.start(256 / 44100, 10 / 44100, 500 / 44100);
    """,
    "rate_0_73": """
      const s = new AudioBufferSourceNode(ctx, {buffer: makeBuffer(ctx, 44100, 4000), playbackRate: 0.73});
      s.connect(ctx.destination);
      s.start(0);
    """,
    "detune_loop": """
      const s = new AudioBufferSourceNode(ctx, {buffer: makeBuffer(ctx, 44100, 1000), detune: -700,
                                                 loop: true, loopStart: 0.002, loopEnd: 0.02});
      s.connect(ctx.destination);
      s.start(0);
    """,
    "resampled_22050": """
      const s = new AudioBufferSourceNode(ctx, {buffer: makeBuffer(ctx, 22050, 2000)});
      s.connect(ctx.destination);
      s.start(0);
    """,
    "subsample_start": """
      const s = new AudioBufferSourceNode(ctx, {buffer: makeBuffer(ctx, 44100, 1000)});
      s.connect(ctx.destination);
      s.start(100.5 / 44100, 5 / 44100);
    """,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tool", default=os.environ.get("WEBAUDIO_REF"), help="path to webaudio_ref.py")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "buffers"))
    a = ap.parse_args()
    if not a.tool:
        sys.exit("give --tool or set WEBAUDIO_REF to the path of webaudio_ref.py")
    os.makedirs(a.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, body in CASES.items():
            js = os.path.join(tmp, name + ".js")
            with open(js, "w") as f:
                f.write(MAKE_BUFFER + body)
            cmd = [sys.executable, a.tool, js, "--channels", "1", "--frames", "4096", "--rate", "44100",
                   "--out", os.path.join(a.out, name + ".wav")]
            for attempt in range(3):   # the browser occasionally fails to start or clean up
                if subprocess.run(cmd).returncode == 0:
                    break
            else:
                sys.exit(f"rendering {name} failed three times")
            print("wrote", name)


if __name__ == "__main__":
    main()
