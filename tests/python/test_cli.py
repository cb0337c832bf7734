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
    assert "playing b.wav: 0.100 s, 1 channel(s), 44100 Hz on the null sink" in r.stdout


def test_demo_writes_the_six_second_piece(tmp_path):
    # the installed package renders the piece itself (the wheel ships it as
    # labsound/_demo.py), not a short stand-in
    r = run("demo", "--no-play", "-o", "d.wav", cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "short" not in r.stderr
    buf = ls.load(str(tmp_path / "d.wav"))
    assert buf.duration == pytest.approx(6.0) and buf.number_of_channels == 2
    assert np.max(np.abs(np.asarray(buf))) > 0.05
    assert "wrote d.wav: 6.00 s" in r.stdout
    # the levels it prints are those of the file (16-bit: within a step or two)
    x = np.asarray(buf, dtype=np.float64)
    peak = float(r.stdout.split("peak level ")[1].split()[0])
    rms_db = float(r.stdout.split("RMS ")[1].split()[0])
    assert peak == pytest.approx(np.abs(x).max(), abs=1e-3)
    assert rms_db == pytest.approx(10 * np.log10(np.mean(x ** 2)), abs=0.06)


def test_demo_without_the_piece_says_it_is_the_short_phrase(tmp_path, monkeypatch, capsys):
    from labsound import __main__ as cli

    monkeypatch.setattr(cli, "demo_script", lambda: None)
    assert cli.main(["demo", "--no-play", "-o", str(tmp_path / "s.wav")]) == 0
    out, err = capsys.readouterr()
    assert "short 2 s phrase" in err and "(the short phrase)" in out
    assert ls.load(str(tmp_path / "s.wav")).duration == pytest.approx(2.0)


# ---------------------------------------------------------------------------
# render: scripts with a __main__ guard, argument errors, clipping
# ---------------------------------------------------------------------------

EXAMPLES = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "examples")


def test_render_runs_the_demo_as_main(tmp_path):
    demo = os.path.abspath(os.path.join(EXAMPLES, "demo.py"))
    r = run("render", demo, "-o", "r.wav", "--", "--no-play", "-o", "own.wav", cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    # the script ran as __main__ with the arguments after --: it wrote its own
    # file, and render wrote the same samples from the buffer it rendered
    assert "wrote own.wav: 6.00 s" in r.stdout and "wrote r.wav" in r.stdout
    ours, its = ls.load(str(tmp_path / "r.wav")), ls.load(str(tmp_path / "own.wav"))
    assert ours.length == its.length == 264600 and ours.sample_rate == 44100
    np.testing.assert_array_equal(np.asarray(ours), np.asarray(its))


def test_render_takes_the_buffer_a_guarded_main_rendered(tmp_path):
    (tmp_path / "guarded.py").write_text(textwrap.dedent("""
        import sys
        import labsound as ls

        def main(argv):
            level = float(argv[0]) if argv else 0.5
            ctx = ls.OfflineAudioContext(1, 4800, 48000)
            src = ctx.create_constant_source(offset=level)
            src >> ctx.destination
            src.start(0)
            ctx.start_rendering()
            return 0

        if __name__ == "__main__":
            sys.exit(main(sys.argv[1:]))
    """))
    r = run("render", "guarded.py", "-o", "g.wav", "--bits", "float32", "--", "0.25", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    buf = ls.load(str(tmp_path / "g.wav"))
    assert buf.length == 4800 and np.all(np.asarray(buf) == np.float32(0.25))
    (tmp_path / "fails.py").write_text("import sys\nsys.exit(3)\n")
    r = run("render", "fails.py", cwd=tmp_path)
    assert r.returncode == 3 and "exited with status 3" in r.stderr


def test_render_arguments_and_help(tmp_path):
    r = run("render", cwd=tmp_path)
    assert r.returncode == 2
    assert "required: script" in r.stderr and "script_args" not in r.stderr.lower().split("required")[1]
    h = run("render", "--help", cwd=tmp_path).stdout
    for text in ("the WAV file to write (default out.wav)", "sample format", "--normalize", "after --",
                 "optional"):
        assert text in " ".join(h.split()), text
    r = run("play", "x.wav", "--", "y", cwd=tmp_path)
    assert r.returncode == 2 and "after --" in r.stderr


LOUD = """
import labsound as ls
ctx = ls.OfflineAudioContext(1, 4800, 48000)
osc = ctx.create_oscillator(frequency=100)
g = ctx.create_gain(gain=19.4)
osc >> g >> ctx.destination
osc.start(0)
"""


def test_render_warns_about_clipping_and_normalizes(tmp_path):
    (tmp_path / "loud.py").write_text(LOUD)
    r = run("render", "loud.py", "-o", "clipped.wav", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    x = 19.4 * np.sin(2 * np.pi * 100 * np.arange(4800) / 48000)   # what the graph makes
    over = 100 * np.count_nonzero(np.abs(x) > 1) / x.size
    assert f"peak 19.4 (+{20 * np.log10(19.4):.1f} dBFS), {over:.1f}% of samples" in r.stderr
    assert "clipped in the 16-bit file" in r.stderr and "--normalize" in r.stderr
    assert "ClippingWarning" not in r.stderr          # said once, by render itself

    r = run("render", "loud.py", "-o", "norm.wav", "--normalize", cwd=tmp_path)
    assert r.returncode == 0 and "warning" not in r.stderr, r.stderr
    y = np.asarray(ls.load(str(tmp_path / "norm.wav")))[0]
    scaled = x / np.abs(x).max() * 10 ** (-1 / 20)                  # peak at -1 dBFS
    np.testing.assert_allclose(y, scaled, atol=2e-4)                # 16-bit steps and float32 sine

    r = run("render", "loud.py", "-o", "n6.wav", "--normalize", "-6", "--bits", "float32", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    y = np.asarray(ls.load(str(tmp_path / "n6.wav")))[0]
    assert np.abs(y).max() == pytest.approx(10 ** (-6 / 20), rel=1e-5)

    r = run("render", "loud.py", "-o", "f.wav", "--bits", "float32", cwd=tmp_path)
    assert "kept in the float file" in r.stderr
    assert np.abs(np.asarray(ls.load(str(tmp_path / "f.wav")))).max() == pytest.approx(19.4, rel=1e-3)


def test_buffer_save_warns_when_it_clips(tmp_path):
    buf = ls.AudioBuffer.from_numpy(np.array([[0.5, 2.0, -3.0, 1.0]], dtype=np.float32), 8000)
    with pytest.warns(ls.ClippingWarning) as rec:
        buf.save(str(tmp_path / "a.wav"))
    msg = str(rec[0].message)
    assert len(rec) == 1
    assert "peak 3 (+9.5 dBFS); 2 of 4 samples (50.0%)" in msg and "16-bit" in msg and "a.wav" in msg
    with pytest.warns(ls.ClippingWarning, match="24-bit"):
        buf.save(str(tmp_path / "b.wav"), bits=24)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        buf.save(str(tmp_path / "c.wav"), bits="float32")       # keeps the values: no warning
        ls.AudioBuffer.from_numpy(np.array([[1.0, -1.0, 0.0]], dtype=np.float32), 8000).save(
            str(tmp_path / "d.wav"))                            # full scale is not beyond it
    np.testing.assert_array_equal(np.asarray(ls.load(str(tmp_path / "c.wav"))), np.asarray(buf))


# ---------------------------------------------------------------------------
# play and devices say what is really used
# ---------------------------------------------------------------------------


def test_play_names_the_backend_it_used(tmp_path):
    write_wav(tmp_path / "b.wav", np.zeros((1, 441)), 44100)
    r = run("play", "b.wav", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "on the null sink: silent" in r.stdout and "default device" not in r.stdout


def test_devices_prints_no_empty_table(monkeypatch, capsys):
    from labsound import __main__ as cli

    monkeypatch.setattr(cli._devices, "devices", lambda: [])
    monkeypatch.setattr(cli._devices, "pulse_sinks", lambda timeout=2.0: ([], "no PulseAudio server: no answer"))
    assert cli.main(["devices"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "PortAudio: no devices" in err and "no PulseAudio server" in err and "null sink" in err


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
