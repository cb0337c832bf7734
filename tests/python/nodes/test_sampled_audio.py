"""SampledAudioNode: a voice looping forever at a huge playback rate wraps
its playhead in constant time (it used to step back one loop length per
iteration, which never ends once the playhead is far past the loop)."""
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import labsound as ls

SR = 48000


@pytest.mark.parametrize("options", [{"playback_rate": 1e30}, {"playback_rate": 1e9},
                                     {"detune": 40000.0}, {"playback_rate": 3.4e38}])
def test_looping_forever_at_a_huge_rate_renders_in_time(options):
    # in a child process with a deadline: a hang fails the test instead of
    # holding the suite
    code = textwrap.dedent(f"""
        import numpy as np, labsound as ls
        ctx = ls.OfflineAudioContext(1, {SR // 4}, {SR})
        x = np.sin(np.arange(1000) * 0.05).astype(np.float32)
        s = ctx.create_sampled_audio(buffer=ls.AudioBuffer.from_numpy(x, 44100), **{options!r})
        s >> ctx.destination
        s.schedule(0, -1)
        y = np.asarray(ctx.start_rendering())
        assert np.isfinite(y).all()
        assert np.abs(y).max() <= np.abs(x).max() * 1.5
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_counted_loops_at_a_huge_rate_end_at_once():
    # three plays of the region: the second frame is already three loops on
    ctx = ls.OfflineAudioContext(1, 256, SR)
    x = np.ones(100, np.float32)
    s = ctx.create_sampled_audio(buffer=ls.AudioBuffer.from_numpy(x, SR), playback_rate=1e30)
    s >> ctx.destination
    s.schedule(0, 2)
    y = np.asarray(ctx.start_rendering())[0]
    assert y[0] == 1.0
    assert not y[1:].any()
