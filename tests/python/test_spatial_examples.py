"""The spatial examples run, write their files and print what they measure."""
import importlib.util
import os

import numpy as np
import pytest

EXAMPLES = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "examples")


def load(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(EXAMPLES, name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def read_wav16(path):
    data = open(path, "rb").read()
    i = data.index(b"data") + 8
    return np.frombuffer(data[i:], dtype="<i2").reshape(-1, 2).T / 32768.0


def test_hrtf_spatialization(tmp_path, capsys):
    out = tmp_path / "h.wav"
    assert load("hrtf_spatialization").main(["-o", str(out), "--seconds", "4"]) == 0
    text = capsys.readouterr().out
    assert "source right" in text and "source  left" in text
    x = read_wav16(out)
    quarter = 48000                       # a lap takes 4 s: the source is on the right at 1 s
    right = np.sqrt(np.mean(x[:, quarter - 2400:quarter + 2400] ** 2, axis=1))
    left = np.sqrt(np.mean(x[:, 3 * quarter - 2400:3 * quarter + 2400] ** 2, axis=1))
    assert right[1] > right[0] and left[0] > left[1]
    # the printed claims hold for the file written: its peak, and (scaled
    # back by the factor it printed) the levels it printed per direction
    file_peak = np.abs(x).max()
    last = text.strip().splitlines()[-1]
    if "scaled by" in last:
        render_peak = float(last.split("peaked at ")[1].split(",")[0])
        scale = float(last.split("scaled by ")[1].split()[0])
        assert render_peak > 1 and scale == pytest.approx(1 / render_peak, rel=0.005)   # 2 and 3 digits printed
        assert file_peak == pytest.approx(1.0, abs=2 / 32768)
    else:
        scale = 1.0
        assert file_peak == pytest.approx(float(last.split("peak ")[1].rstrip(")")), abs=0.006)
    for line in text.splitlines()[:4]:
        name = line.split(":")[0].split()[-1]
        centre = {"front": 0, "right": quarter, "back": 2 * quarter, "left": 3 * quarter}[name]
        seg = x[:, max(0, centre - 2400):centre + 2400]
        rms = np.sqrt(np.mean(seg ** 2, axis=1)) / scale
        printed = [float(line.split("left ")[1].split()[0]), float(line.split("right ")[1].split()[0])]
        np.testing.assert_allclose(rms, printed, atol=0.002)


def test_convolution_reverb(tmp_path, capsys):
    out = tmp_path / "c.wav"
    assert load("convolution_reverb").main(["-o", str(out), "--rt60", "1"]) == 0
    assert "real time" in capsys.readouterr().out
    x = read_wav16(out)
    # the tail goes on after the last note (about 1.35 s) and decays
    a = np.sqrt(np.mean(x[:, int(1.5 * 48000):int(1.7 * 48000)] ** 2))
    b = np.sqrt(np.mean(x[:, int(2.1 * 48000):int(2.3 * 48000)] ** 2))
    assert a > 0 and b < a
