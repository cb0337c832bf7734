"""The design document's examples, run exactly as written."""

import os
import subprocess
import sys
import textwrap
import time

import labsound as ls

# "Basic Audio Generation", verbatim from the design document.
BASIC_AUDIO_GENERATION = textwrap.dedent(
    '''
    import labsound as ls

    # Context creation with context manager
    with ls.AudioContext() as ctx:
        # Node creation - factory methods on the context
        osc = ctx.create_oscillator()
        gain = ctx.create_gain()
        
        # Pythonic parameter setting
        osc.type = "sine"  # Instead of enum, use strings
        osc.frequency.value = 440
        gain.gain.value = 0.5
        
        # Simplified connections (source -> destination)
        osc >> gain >> ctx.destination
        
        # Scheduling with timeline in seconds
        osc.start(0)
        osc.stop(2)
        
        # Wait for completion (blocking in this example)
        ctx.wait(2.5)
    '''
)


def _run(code, timeout):
    env = dict(os.environ)
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(ls.__file__)))
    env["PYTHONPATH"] = os.pathsep.join(p for p in [package_root, env.get("PYTHONPATH")] if p)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_basic_audio_generation_runs_as_written():
    t0 = time.monotonic()
    proc = _run(BASIC_AUDIO_GENERATION, timeout=60)
    elapsed = time.monotonic() - t0
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    # ctx.wait(2.5) waits 2.5 s of context time on the clock-paced null backend
    assert 2.4 <= elapsed <= 30, elapsed


def test_basic_audio_generation_state_after_run():
    code = BASIC_AUDIO_GENERATION + textwrap.dedent(
        '''
        assert ctx.state == "closed", ctx.state
        assert ctx.current_time >= 2.5, ctx.current_time
        assert not osc.is_playing
        print("ok")
        '''
    )
    proc = _run(code, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
