#!/usr/bin/env python3
"""Regenerate tests/fixtures/buffers/: AudioBufferSourceNode renders from
headless Chromium, the reference the buffer-source tests compare against.

    python scripts/make_fixtures_buffers.py --tool PATH/TO/webaudio_ref.py
    (or set WEBAUDIO_REF to that path)

Each case is the body of an async JS function of `ctx` (an
OfflineAudioContext); the same graphs are built in labsound by
tests/python/nodes/test_audio_buffer_source_chromium.py. Renders are mono, 44.1 kHz,
4096 frames (the analyser case 8192; the looped 32 kHz buffer stereo, 48 kHz,
9600 frames, for tests/python/nodes/test_audio_buffer_source_rates.py; the stitching case
mono, 48 kHz, 24000 frames, for tests/python/test_interpolation.py), stored as float32
WAV files.
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

# A stereo white-noise buffer from xorshift32 (the same numbers in the test).
NOISE_BUFFER = """
function noiseBuffer(ctx, rate, n, channels, seed) {
  const b = ctx.createBuffer(channels, n, rate);
  let s = seed >>> 0;
  for (let c = 0; c < channels; c++) {
    const x = b.getChannelData(c);
    for (let i = 0; i < n; i++) {
      s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
      x[i] = s / 4294967296 * 2 - 1;
    }
  }
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
    # The analyser's getters, read at a suspension after 4096 frames and played
    # back into the render from frame 4096: 512 dB values, 1024 time-domain
    # samples, 512 byte values (as floats).
    "analyser": """
      const n = 4096, b = ctx.createBuffer(1, n, 44100), x = b.getChannelData(0);
      for (let i = 0; i < n; i++)
        x[i] = 0.5 * Math.sin(2 * Math.PI * 1000 * i / 44100) + 0.1 * Math.sin(2 * Math.PI * 5000 * i / 44100 + 1);
      const src = new AudioBufferSourceNode(ctx, {buffer: b});
      const an = new AnalyserNode(ctx, {fftSize: 1024, smoothingTimeConstant: 0.5});
      src.connect(an);
      src.start(0);
      ctx.suspend(n / 44100).then(() => {
        const f = new Float32Array(512), t = new Float32Array(1024), by = new Uint8Array(512);
        an.getFloatFrequencyData(f);
        an.getFloatTimeDomainData(t);
        an.getByteFrequencyData(by);
        const out = ctx.createBuffer(1, 2048, 44100), o = out.getChannelData(0);
        o.set(f, 0);
        o.set(t, 512);
        for (let i = 0; i < 512; i++) o[1536 + i] = by[i];
        const s = new AudioBufferSourceNode(ctx, {buffer: out});
        s.connect(ctx.destination);
        s.start(n / 44100);
        ctx.resume();
      });
    """,
    # issue 15: a looped 32 kHz stereo buffer at playback rate 0.7 in a 48 kHz context
    "loop_resampled_32k": """
      const s = new AudioBufferSourceNode(ctx, {buffer: noiseBuffer(ctx, 32000, 3200, 2, 12345), loop: true,
                                                 loopStart: 0.01, loopEnd: 0.05, playbackRate: 0.7});
      s.connect(ctx.destination);
      s.start(0);
    """,
    # WPT's sub-sample buffer stitching case: 30-frame buffers of a 440 Hz sine at
    # 8 kHz, buffer k started at k * 30 / 8000 s (tests/python/test_interpolation.py)
    "stitching_8k": """
      const br = 8000, nb = 30, n = ctx.length;
      const nbuf = Math.ceil(n / ctx.sampleRate * br / nb);
      for (let k = 0; k < nbuf; k++) {
        const b = ctx.createBuffer(1, nb, br);
        const d = b.getChannelData(0);
        for (let i = 0; i < nb; i++) d[i] = Math.sin(2 * Math.PI * 440 * (k * nb + i) / br);
        const s = new AudioBufferSourceNode(ctx, {buffer: b});
        s.connect(ctx.destination);
        s.start(k * nb / br);
      }
    """,
    "subsample_start": """
      const s = new AudioBufferSourceNode(ctx, {buffer: makeBuffer(ctx, 44100, 1000)});
      s.connect(ctx.destination);
      s.start(100.5 / 44100, 5 / 44100);
    """,
}


# (channels, frames, sample rate) where a case differs from mono, 4096, 44.1 kHz
SETTINGS = {"analyser": (1, 8192, 44100), "loop_resampled_32k": (2, 9600, 48000),
            "stitching_8k": (1, 24000, 48000)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tool", default=os.environ.get("WEBAUDIO_REF"), help="path to webaudio_ref.py")
    ap.add_argument("--only", help="regenerate only this case")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "buffers"))
    a = ap.parse_args()
    if not a.tool:
        sys.exit("give --tool or set WEBAUDIO_REF to the path of webaudio_ref.py")
    os.makedirs(a.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, body in CASES.items():
            if a.only and name != a.only:
                continue
            js = os.path.join(tmp, name + ".js")
            with open(js, "w") as f:
                f.write(MAKE_BUFFER + NOISE_BUFFER + body)
            channels, frames, rate = SETTINGS.get(name, (1, 4096, 44100))
            cmd = [sys.executable, a.tool, js, "--channels", str(channels), "--frames", str(frames),
                   "--rate", str(rate), "--out", os.path.join(a.out, name + ".wav")]
            for attempt in range(3):   # the browser occasionally fails to start or clean up
                if subprocess.run(cmd).returncode == 0:
                    break
            else:
                sys.exit(f"rendering {name} failed three times")
            print("wrote", name)


if __name__ == "__main__":
    main()
