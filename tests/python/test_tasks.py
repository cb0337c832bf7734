"""The everyday tasks: labsound.process, play, record, and integer PCM in
AudioBuffer.from_numpy.

Expected values: process() must give exactly what the same chain rendered whole
(a buffer source into the chain in one OfflineAudioContext of the length
process() found, np.array_equal); integer PCM follows the PCM convention
computed here; record() is checked against the tone a PulseAudio null sink's
monitor carries (frequency within 1 Hz, level within 0.5 dB, exact length), as
the device tests check the microphone.
"""

import math
import os
import shutil
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

import labsound as ls

SR = 48000


def effect_chain(ctx, src):
    """highpass -> lowpass -> compressor, and an echo so there is a tail"""
    hp = ctx.create_biquad_filter(type="highpass", frequency=80)
    lp = ctx.create_biquad_filter(type="lowpass", frequency=8000)
    comp = ctx.create_dynamics_compressor()
    d = ctx.create_delay(max_delay_time=1, delay_time=0.25)
    fb = ctx.create_gain(gain=0.4)
    out = ctx.create_gain()
    src >> hp >> lp >> comp >> out
    comp >> d >> fb >> d
    fb >> out
    return out


def render_whole(x, rate, length):
    ctx = ls.OfflineAudioContext(channels=x.shape[0], length=length, sample_rate=rate)
    b = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(x, sample_rate=rate))
    effect_chain(ctx, b) >> ctx.destination
    b.start(0)
    return np.asarray(ctx.start_rendering())


def test_process_array_equals_the_whole_render_and_keeps_the_tail():
    x = np.random.default_rng(5).uniform(-0.5, 0.5, (2, SR // 2)).astype(np.float32)
    y = ls.process(x, effect_chain, sample_rate=SR, tail=0.2, block_frames=5000)
    assert y.dtype == np.float32 and y.shape[0] == 2
    assert y.shape[1] > x.shape[1] + 0.5 * SR  # echoes ring on after the input ends
    assert np.array_equal(y, render_whole(x, SR, y.shape[1]))
    # the last 0.2 s are quiet, as the tail rule says
    assert np.abs(y[:, -int(0.2 * SR) // 128 * 128:]).max() < 1e-4


def test_process_file_to_file(tmp_path):
    sf = pytest.importorskip("soundfile")
    x = np.random.default_rng(6).uniform(-0.5, 0.5, (2, SR)).astype(np.float32)
    sf.write(tmp_path / "in.wav", x.T, SR, subtype="FLOAT")
    assert ls.process(str(tmp_path / "in.wav"), effect_chain, tmp_path / "out.wav", tail=0.2) is None
    y, rate = sf.read(tmp_path / "out.wav", dtype="float32")
    assert rate == SR
    assert np.array_equal(y.T, render_whole(x, SR, y.shape[0]))
    # an AudioBuffer gives the same
    z = ls.process(ls.AudioBuffer.from_numpy(x, sample_rate=SR), effect_chain, tail=0.2)
    assert np.array_equal(z, y.T)


def test_process_iterable_and_int16():
    x = (np.random.default_rng(7).uniform(-0.5, 0.5, (1, 20000)) * 32767).astype(np.int16)
    y = ls.process((x[:, i:i + 3000] for i in range(0, 20000, 3000)), lambda ctx, s: s,
                   sample_rate=SR, tail=0.01)
    assert np.array_equal(y[:, :20000], x / np.float32(32768))


def test_process_bad_arguments():
    x = np.zeros((1, 100), np.float32)
    with pytest.raises(TypeError, match=r"process\(sample_rate\)"):
        ls.process(x, lambda c, s: s)
    with pytest.raises(TypeError, match=r"process\(chain\).*int"):
        ls.process(x, 3, sample_rate=SR)
    with pytest.raises(TypeError, match=r"process\(chain\).*NoneType"):
        ls.process(x, lambda c, s: None, sample_rate=SR)
    with pytest.raises(ValueError, match=r"'\.xyz'"):
        ls.process(x, lambda c, s: s, "out.xyz", sample_rate=SR)


def test_from_numpy_scales_integer_pcm():
    cases = [(np.int16, 32768, 0), (np.int32, 2 ** 31, 0), (np.uint8, 128, 128), (np.int8, 128, 0)]
    for dtype, scale, offset in cases:
        info = np.iinfo(dtype)
        raw = np.array([[info.min, 0, info.max], [1, -1 if info.min < 0 else 2, 3]], dtype)
        buf = ls.AudioBuffer.from_numpy(raw, sample_rate=8000)
        expect = ((raw.astype(np.float64) - offset) / scale).astype(np.float32)
        assert np.array_equal(np.asarray(buf), expect), dtype
    # floats and lists of numbers are taken as they are
    assert np.asarray(ls.AudioBuffer.from_numpy(np.array([0.5, 2.0]), sample_rate=8000)).tolist() == [[0.5, 2.0]]
    assert np.asarray(ls.AudioBuffer.from_numpy([[1, 2]], sample_rate=8000)).tolist() == [[1.0, 2.0]]


def test_play_blocks_for_the_length_and_rejects_bad_input():
    x = (np.sin(2 * np.pi * 440 * np.arange(SR // 5) / SR) * 16000).astype(np.int16)
    t0 = time.monotonic()
    assert ls.play(x, SR, device="null") is None
    assert time.monotonic() - t0 >= 0.2
    ctx = ls.play(ls.AudioBuffer.from_numpy(x, sample_rate=SR), blocking=False, device="null")
    assert ctx.state == "running"
    ctx.close()
    with pytest.raises(TypeError, match=r"play\(sample_rate\)"):
        ls.play(x)
    with pytest.raises(ValueError, match=r"play\(data\).*\(9600, 2\)"):
        ls.play(np.zeros((9600, 2), np.float32), SR, device="null")


# ---------------------------------------------------------------------------
# record() from a PulseAudio null sink's monitor (the device tests' server)
# ---------------------------------------------------------------------------

PULSE_MISSING = [b for b in ("pulseaudio", "pactl", "parec", "paplay") if shutil.which(b) is None]


@pytest.mark.skipif(bool(PULSE_MISSING), reason="PulseAudio binaries missing")
def test_record_captures_the_servers_tone(tmp_path):
    from test_devices import PulseServer, SR as PSR, db, estimate_frequency, tone_region, write_wav

    server = PulseServer()
    try:
        f_in, amp = 521.0, 0.3
        t = np.arange(int(4 * PSR)) / PSR
        wav = str(tmp_path / "tone.wav")
        write_wav(wav, amp * np.sin(2 * np.pi * f_in * t), PSR)
        play = subprocess.Popen(["paplay", "--latency-msec=20", "-d", "ls_in", wav], env=server.tool_env)
        time.sleep(1.0)
        out = str(tmp_path / "rec.npy")
        code = f"""
            import numpy as np, labsound as ls
            x = ls.record(2.0, sample_rate={PSR}, channels=1)
            np.save({out!r}, x)
        """
        r = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=server.env,
                           capture_output=True, text=True, timeout=60)
        play.wait(30)
        assert r.returncode == 0, r.stderr
        x = np.load(out)
        assert x.shape == (1, 2 * PSR) and x.dtype == np.float32
        first, last = tone_region(x[0], 0.5 * amp)
        assert last - first > 1.0 * PSR, (first, last)
        mid = (first + last) // 2
        core = x[0, mid - PSR // 3: mid + PSR // 3]
        assert abs(estimate_frequency(core, PSR) - f_in) < 1.0
        assert abs(db(np.sqrt(np.mean(core ** 2))) - db(amp / math.sqrt(2))) < 0.5
    finally:
        server.stop()
        shutil.rmtree(server.dir, ignore_errors=True)
