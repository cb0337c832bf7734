"""python -m labsound render / info / play / demo as subprocesses on real files; start_rendering(progress=)."""

import os
import subprocess
import sys
import textwrap
import wave

import numpy as np
import pytest

import labsound as ls


def run(*args, cwd, timeout=60):
    env = dict(os.environ, LABSOUND_BACKEND="null")
    return subprocess.run([sys.executable, "-m", "labsound", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


SCRIPT = """
import labsound as ls
ctx = ls.OfflineAudioContext(2, int(48000 * {seconds}), 48000)
osc = ctx.create_oscillator(frequency=1000)
g = ctx.create_gain(gain=0.25)
osc >> g >> ctx.destination
osc.start(0)
"""


def test_render_writes_the_scripts_context(tmp_path):
    (tmp_path / "song.py").write_text(SCRIPT.format(seconds=0.5))
    r = run("render", "song.py", "-o", "song.wav", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    with wave.open(str(tmp_path / "song.wav")) as w:
        assert (w.getnchannels(), w.getframerate(), w.getnframes()) == (2, 48000, 24000)
        pcm = np.frombuffer(w.readframes(24000), dtype="<i2").reshape(-1, 2).T / 32767.0
    t = np.arange(24000) / 48000
    np.testing.assert_allclose(pcm[0], 0.25 * np.sin(2 * np.pi * 1000 * t), atol=2e-4)
    assert "24000 frames" in r.stdout


def test_render_finds_a_context_in_a_function_and_shows_progress(tmp_path):
    (tmp_path / "deep.py").write_text(textwrap.dedent("""
        import labsound as ls
        made = []
        def build():
            c = ls.OfflineAudioContext(1, 48000 * 6, 48000)
            s = c.create_constant_source(offset=0.5)
            s >> c.destination
            s.start(0)
            made.append(c)
        build()
    """))
    r = run("render", "deep.py", "-o", "o.wav", "--bits", "float32", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    buf = ls.load(str(tmp_path / "o.wav"))
    assert buf.length == 288000 and np.all(np.asarray(buf) == np.float32(0.5))
    assert "rendering" in r.stderr and "100%" in r.stderr and "6.00/6.00 s" in r.stderr


def test_render_without_a_context_fails_clearly(tmp_path):
    (tmp_path / "none.py").write_text("x = 1\n")
    r = run("render", "none.py", "-o", "x.wav", cwd=tmp_path)
    assert r.returncode == 1 and "made no OfflineAudioContext" in r.stderr
    assert not (tmp_path / "x.wav").exists()


def write_wav(path, data, rate):
    ls.AudioBuffer.from_numpy(np.asarray(data, dtype=np.float32), rate).save(str(path), bits="float32")


def test_info_reports_peak_and_loudness(tmp_path):
    rate = 44100
    t = np.arange(rate * 2) / rate
    x = np.vstack([0.5 * np.sin(2 * np.pi * 997 * t), 0.1 * np.sin(2 * np.pi * 997 * t)])
    write_wav(tmp_path / "a.wav", x, rate)
    r = run("info", "a.wav", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "format:      WAV" in out and "channels:    2" in out and "44100 Hz" in out
    assert "88200 frames (2.000 s)" in out
    peak = float(out.split("peak:")[1].split("dBFS")[0])
    assert peak == pytest.approx(20 * np.log10(0.5), abs=0.01)
    loud = float(out.split("loudness:")[1].split()[0])
    try:
        import pyloudnorm

        expect = pyloudnorm.Meter(rate).integrated_loudness(x.T)
        assert "LUFS" in out
    except ImportError:
        expect = 10 * np.log10(np.mean(x ** 2))
        assert "RMS dBFS" in out
    assert loud == pytest.approx(expect, abs=0.02)


def test_info_of_a_missing_file(tmp_path):
    r = run("info", "nope.wav", cwd=tmp_path)
    assert r.returncode == 1 and "nope.wav" in r.stderr


def test_play_on_the_null_backend(tmp_path):
    write_wav(tmp_path / "b.wav", np.zeros((1, 4410)), 44100)
    r = run("play", "b.wav", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "playing b.wav: 0.100 s, 1 channel(s), 44100 Hz" in r.stdout


def test_demo_writes_a_file(tmp_path):
    r = run("demo", "--no-play", "-o", "d.wav", cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    buf = ls.load(str(tmp_path / "d.wav"))
    assert buf.duration > 1 and np.max(np.abs(np.asarray(buf))) > 0.05


def test_progress_reports_chunks_and_the_end():
    ctx = ls.OfflineAudioContext(1, 128 * 1000, 48000)
    s = ctx.create_constant_source()
    s >> ctx.destination
    s.start(0)
    seen = []
    buf = ctx.start_rendering(progress=lambda done, total: seen.append((done, total, ctx.current_time)))
    assert buf.length == 128000
    frames = [d for d, _, _ in seen]
    assert frames == list(range(1280, 128000, 1280)) + [128000]
    assert all(t == 128000 for _, t, _ in seen)
    # each report comes when the render has reached that frame
    np.testing.assert_allclose([c for _, _, c in seen[:-1]], np.array(frames[:-1]) / 48000)


def test_progress_interval_and_the_callers_suspensions():
    ctx = ls.OfflineAudioContext(1, 128 * 40, 48000)
    hits = []
    ctx.suspend(128 * 10 / 48000, lambda: hits.append("mine"))
    seen = []
    ctx.start_rendering(progress=lambda d, t: seen.append(d), progress_interval=128 * 5)
    assert hits == ["mine"]
    assert seen == [640, 1920, 2560, 3200, 3840, 4480, 5120]  # 1280 is the caller's
    with pytest.raises(TypeError, match="progress"):
        ls.OfflineAudioContext(1, 128, 48000).start_rendering(progress=3)
    with pytest.raises(ValueError, match="progress_interval"):
        ls.OfflineAudioContext(1, 128, 48000).start_rendering(progress=print, progress_interval=0)


def test_render_writes_the_format_its_extension_names(tmp_path):
    sf = pytest.importorskip("soundfile")
    (tmp_path / "song.py").write_text(SCRIPT.format(seconds=0.25))
    r = run("render", "song.py", "-o", "song.flac", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    info = sf.info(str(tmp_path / "song.flac"))
    assert (info.format, info.channels, info.frames) == ("FLAC", 2, 12000)
    x, _ = sf.read(str(tmp_path / "song.flac"))
    t = np.arange(12000) / 48000
    np.testing.assert_allclose(x[:, 0], 0.25 * np.sin(2 * np.pi * 1000 * t), atol=1.5 / 32768)
    # an extension nothing can write: refused before rendering, no file left
    r = run("render", "song.py", "-o", "song.xyz", cwd=tmp_path)
    assert r.returncode == 2 and "'.xyz'" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("__")) == ["song.flac", "song.py"]
