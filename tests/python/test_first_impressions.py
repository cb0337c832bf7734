"""What a newcomer sees first: the real-time examples without a sound device
print one warning about the null sink and nothing else (no libjack or ALSA
chatter on stderr), and `import labsound` exposes only its API."""

import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

import labsound as ls

ROOT = Path(__file__).resolve().parents[2]


def _no_device_env():
    env = dict(os.environ)
    # No PulseAudio server can be reached (neither by labsound's PulseAudio
    # backend nor by ALSA's pulse plugin under PortAudio); PortAudio still
    # probes ALSA, OSS and JACK, which is what used to fill stderr.
    env["PULSE_SERVER"] = "unix:/nonexistent/labsound-test-socket"
    env.pop("LABSOUND_BACKEND", None)
    env.pop("LABSOUND_AUDIO_API", None)
    env.pop("JACK_NO_START_SERVER", None)
    env["PYTHONWARNINGS"] = "default"
    return env


@pytest.mark.parametrize("example", ["playback_events.py"])
def test_realtime_example_without_device_prints_one_warning(example, tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "examples" / example)], cwd=tmp_path,
                       env=_no_device_env(), capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    if "null sink" not in r.stderr:
        pytest.skip("an audio output device is reachable here: nothing falls back to the null sink")
    # The warnings module prints the message on one line, then echoes the
    # source line of the call (indented); nothing else may be there.
    lines = r.stderr.splitlines()
    own = [ln for ln in lines if not ln.startswith(" ")]
    assert len(own) == 1, r.stderr
    assert "RuntimeWarning: labsound: no audio output" in own[0]
    assert "null sink" in own[0]
    assert len(lines) <= 2, r.stderr
    assert "jack" not in r.stderr.lower().replace("jack)", ""), r.stderr


def test_jack_is_not_started_on_our_behalf():
    # PortAudio's JACK host API must not spawn a JACK server while probing.
    # (os.environ is a copy taken at start-up: read the C environment)
    code = ("import ctypes, labsound as ls\n"
            "libc = ctypes.CDLL(None); libc.getenv.restype = ctypes.c_char_p\n"
            "ok = ls.devices_available()[0]\n"
            "ok and ls.devices()\n"
            "print((libc.getenv(b'JACK_NO_START_SERVER') or b'').decode() if ok else 'na')\n")
    env = _no_device_env()
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    out = r.stdout.strip()
    if out == "na":
        pytest.skip("no device backend library here")
    # set by the PortAudio loader, since the caller did not choose
    assert out == "1", out


def test_module_exposes_only_its_api():
    public = [n for n in dir(ls) if not n.startswith("_")]
    stray = [n for n in public
             if n not in ls.__all__ and not isinstance(getattr(ls, n), types.ModuleType)]
    assert stray == []
    missing = [n for n in ls.__all__ if not hasattr(ls, n)]
    assert missing == []


def test_version_is_one_version():
    import re
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        tomllib = None
    text = (ROOT / "pyproject.toml").read_text()
    if tomllib is not None:
        pyproject = tomllib.loads(text)["project"]["version"]
    else:
        pyproject = re.search(r'^version = "([^"]+)"', text, re.M).group(1)
    header = (ROOT / "include" / "labsound" / "labsound.h").read_text()
    parts = [re.search(rf"#define LS_VERSION_{p} (\d+)", header).group(1)
             for p in ("MAJOR", "MINOR", "PATCH")]
    assert ls.ENGINE_VERSION == ".".join(parts)
    assert ls.__version__ == ls.ENGINE_VERSION == pyproject
    from importlib.metadata import version
    assert version("labsound") == pyproject
