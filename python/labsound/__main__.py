"""Command line for labsound.

    python -m labsound render script.py -o out.wav   run a script as __main__, render its OfflineAudioContext
    python -m labsound play file.wav                 play a file on the default output
    python -m labsound info file.wav                 format, channels, rate, length, peak, loudness
    python -m labsound devices                       list the audio devices and PulseAudio sinks
    python -m labsound demo [-o demo.wav]            render (and play) the six-second demo piece
"""

from __future__ import annotations

import argparse
import gc
import os
import runpy
import sys
from typing import Any, Optional

from . import _devices
from ._core import LabSoundError


def _cmd_devices(args: argparse.Namespace) -> int:
    try:
        items: Optional[list] = _devices.devices()
        why = ""
    except LabSoundError as e:
        items, why = None, str(e)
    sinks, why_pulse = _devices.pulse_sinks()
    if items:
        print("PortAudio devices (AudioContext(device=index or name)):")
        print(_devices.format_devices(items))
    if sinks:
        if items:
            print()
        print(_devices.format_pulse_sinks(sinks))
    if not items:
        print(f"PortAudio: {why or 'no devices'}", file=sys.stderr)
    if not sinks:
        print(f"PulseAudio: {why_pulse}", file=sys.stderr)
    if not sinks and not any(d.max_output_channels for d in items or []):
        print("no output device: AudioContext() will use the silent null sink", file=sys.stderr)
    return 0 if items or sinks else 1


# ---------------------------------------------------------------------------
# render
# ---------------------------------------------------------------------------


def find_context(namespace: dict) -> tuple[Optional[Any], Optional[Any]]:
    """(context to render, buffer already rendered) from a script's globals.

    An unrendered OfflineAudioContext among the globals (``ctx`` or ``context``
    first), else the last unrendered one still alive; failing both, an
    AudioBuffer global (``buffer``, ``buf``, ``out``, ``result`` first) that the
    script rendered itself.
    """
    import labsound as ls

    def fresh(c: Any) -> bool:
        return isinstance(c, ls.OfflineAudioContext) and c.state != "closed"

    for name in ("ctx", "context"):
        if fresh(namespace.get(name)):
            return namespace[name], None
    for value in reversed(list(namespace.values())):
        if fresh(value):
            return value, None
    alive = [o for o in gc.get_objects() if fresh(o)]
    if alive:
        return alive[-1], None
    for name in ("buffer", "buf", "out", "result"):
        if isinstance(namespace.get(name), ls.AudioBuffer):
            return None, namespace[name]
    buffers = [v for v in namespace.values() if isinstance(v, ls.AudioBuffer)]
    return None, (buffers[-1] if buffers else None)


def _progress_bar(total: int, rate: float, enabled: bool) -> Any:
    if not enabled:
        return None
    try:
        from tqdm import tqdm  # type: ignore[import-untyped]
    except ImportError:
        return None
    return tqdm(total=total, unit="s", unit_scale=1.0 / rate, desc="rendering", file=sys.stderr,
                bar_format="{desc}: {percentage:3.0f}%|{bar}| {n:.2f}/{total:.2f} s of audio [{elapsed}<{remaining}]")


class _RenderedBuffers:
    """While a script runs, ``labsound.OfflineAudioContext`` is a subclass that
    keeps the last buffer its ``start_rendering``/``render``/``resume``
    returned (only the last: a script rendering many keeps no more memory
    alive), so a script that renders inside ``main()`` still hands its result
    to ``render``."""

    def __init__(self) -> None:
        self.buffers: list = []

    def __enter__(self) -> "_RenderedBuffers":
        import labsound as ls

        base = self.base = ls.OfflineAudioContext
        def keep(buf: Any) -> None:
            self.buffers[:] = [buf]

        class OfflineAudioContext(base):  # type: ignore[misc, valid-type]
            __doc__ = base.__doc__

            def start_rendering(self, *args: Any, **kwargs: Any) -> Any:
                out = super().start_rendering(*args, **kwargs)
                if out is not None:
                    keep(out)
                return out

            render = start_rendering

            def resume(self, *args: Any, **kwargs: Any) -> Any:
                out = super().resume(*args, **kwargs)
                if out is not None:
                    keep(out)
                return out

        OfflineAudioContext.__module__ = base.__module__
        OfflineAudioContext.__qualname__ = base.__qualname__
        ls.OfflineAudioContext = OfflineAudioContext
        return self

    def __exit__(self, *exc: Any) -> None:
        import labsound as ls

        ls.OfflineAudioContext = self.base


def run_script(script: str, argv: list) -> tuple[dict, Optional[Any], list]:
    """Run ``script`` as ``__main__`` with ``argv`` as its arguments.

    Returns (its globals, the code of the SystemExit it raised or None, a
    list holding the last AudioBuffer it rendered, if any). Its globals
    survive a ``sys.exit()``.
    """
    import builtins
    import types

    with open(script, "rb") as f:
        code = compile(f.read(), script, "exec")
    module = types.ModuleType("__main__")
    module.__file__ = script
    module.__builtins__ = builtins  # type: ignore[attr-defined]
    saved_main, saved_argv, saved_path = sys.modules.get("__main__"), sys.argv, list(sys.path)
    sys.modules["__main__"] = module
    sys.argv = [script] + list(argv)
    sys.path.insert(0, os.path.dirname(script))
    status = None
    try:
        with _RenderedBuffers() as rendered:
            try:
                exec(code, module.__dict__)
            except SystemExit as e:
                status = e.code if e.code is not None else 0
    finally:
        if saved_main is not None:
            sys.modules["__main__"] = saved_main
        sys.argv = saved_argv
        sys.path[:] = saved_path
    return module.__dict__, status, rendered.buffers


def _db(x: float) -> str:
    import math

    return f"{20 * math.log10(x):+.1f} dBFS" if x > 0 and math.isfinite(x) else "-inf dBFS"


def level_report(buf: Any) -> tuple[float, float]:
    """(peak, fraction of samples beyond full scale) of an AudioBuffer; the peak is inf with NaNs."""
    import numpy as np

    data = np.asarray(buf)
    if data.size == 0:
        return 0.0, 0.0
    mag = np.abs(data)
    over = ~(mag <= 1.0)                       # NaN counts as beyond full scale
    peak = float(np.inf if np.isnan(mag).any() else mag.max())
    return peak, float(np.count_nonzero(over)) / data.size


def _render_streaming(ls: Any, ctx: Any, args: argparse.Namespace, subtype: Optional[str]) -> tuple:
    """Render ``ctx`` into ``args.output`` block by block (as ``ctx.render_to``),
    measuring the level on the way: (frames, peak, fraction of samples beyond full scale)."""
    import numpy as np

    streams = ls._streams
    streams._check_can_start("render", ctx)
    length = ctx.length if ctx.length is not None else ctx.max_length
    bar = _progress_bar(length, ctx.sample_rate, length / ctx.sample_rate >= args.progress_min and not args.quiet)
    sink = streams.open_sink("render", args.output, streams._channels(ctx), ctx.sample_rate, subtype)
    peak, over, count = 0.0, 0, 0
    try:
        for block in streams._stream_blocks(ctx, streams.DEFAULT_BLOCK_FRAMES):
            sink.write(block)
            mag = np.abs(block)
            if mag.size:
                beyond = ~(mag <= 1.0)                     # NaN counts as beyond full scale
                over += int(np.count_nonzero(beyond))
                count += mag.size
                peak = max(peak, float(np.inf if np.isnan(mag).any() else mag.max()))
            if bar is not None:
                bar.update(sink.frames - bar.n)
    except BaseException:
        sink.abort()
        if bar is not None:
            bar.close()
        raise
    sink.commit()
    if bar is not None:
        bar.close()
    return sink.frames, peak, (over / count if count else 0.0)


def _render_in_memory(ctx: Any, args: argparse.Namespace) -> Any:
    length = ctx.length
    if length is None:
        raise ValueError("--normalize needs a context of a fixed length (the peak is known at its end)")
    bar = _progress_bar(length, ctx.sample_rate, length / ctx.sample_rate >= args.progress_min and not args.quiet)
    if bar is None:
        return ctx.start_rendering()

    def progress(frames: int, total: int) -> None:
        bar.update(frames - bar.n)

    buf = ctx.start_rendering(progress=progress)
    bar.close()
    return buf


def _normalized(ls: Any, buf: Any, peak: float, args: argparse.Namespace) -> tuple:
    """``buf`` scaled so that its peak is at ``args.normalize`` dBFS: (buffer, peak, fraction beyond)."""
    import numpy as np

    if not (0 < peak < float("inf")):
        print(f"render: --normalize: the render's peak is {peak:g}; written as it is", file=sys.stderr)
        return (buf,) + level_report(buf)
    gain = 10.0 ** (args.normalize / 20.0) / peak
    data = (np.asarray(buf, dtype=np.float64) * gain).astype(np.float32)
    out = ls.AudioBuffer.from_numpy(data, buf.sample_rate)
    if not args.quiet:
        print(f"normalized: peak {peak:.3g} ({_db(peak)}) scaled by {gain:.4g} to {args.normalize:+.1f} dBFS")
    return (out,) + level_report(out)


def _cmd_render(args: argparse.Namespace) -> int:
    import numpy as np

    import labsound as ls

    script = os.path.abspath(args.script)
    if not os.path.isfile(script):
        print(f"render: no such script: {args.script}", file=sys.stderr)
        return 2
    namespace, status, rendered = run_script(script, args.script_args)
    if status not in (0, None):
        if not isinstance(status, int):
            print(status, file=sys.stderr)
            status = 1
        print(f"render: {args.script} exited with status {status}", file=sys.stderr)
        return status
    ctx, buf = find_context(namespace)
    if ctx is None and buf is None and rendered:
        buf = rendered[-1]                    # what the script rendered itself, e.g. in main()
    if ctx is None and buf is None:
        print(f"render: {args.script} made no OfflineAudioContext (and left no AudioBuffer). It runs as "
              "__main__ with the arguments after --; make it build an OfflineAudioContext, or render one, "
              "when run that way.", file=sys.stderr)
        return 1
    subtype = {"16": "PCM_16", "24": "PCM_24", "32": "PCM_32", "float32": "FLOAT"}[args.bits]
    if not args.output.lower().endswith(".wav"):
        # other formats: the bits when the format holds them, else its own default
        try:
            import soundfile

            fmt = ls._streams._SOUNDFILE_FORMATS.get(os.path.splitext(args.output)[1].lower())
            if fmt is None or not soundfile.check_format(fmt, subtype):
                subtype = None
        except ImportError:
            subtype = None
    integer = subtype is None or subtype.startswith("PCM")   # a format's own default may be PCM
    try:
        if ctx is not None and args.normalize is not None:
            # the peak is known once everything is rendered: the render is held in memory
            buf = _render_in_memory(ctx, args)
            ctx = None
        if ctx is not None:
            # written while it renders, under a temporary name until complete;
            # an extension nothing installed can write is refused before rendering
            frames, peak, over = _render_streaming(ls, ctx, args, subtype)
            channels, rate = ctx.destination.max_channel_count, ctx.sample_rate
        else:
            if buf is None:
                print("render: the render stopped at a suspension", file=sys.stderr)
                return 1
            peak, over = level_report(buf)
            if args.normalize is not None:
                buf, peak, over = _normalized(ls, buf, peak, args)
            sink = ls._streams.open_sink("render", args.output, buf.number_of_channels, buf.sample_rate, subtype)
            try:
                sink.write(np.asarray(buf))
            except BaseException:
                sink.abort()
                raise
            sink.commit()
            frames, channels, rate = buf.length, buf.number_of_channels, buf.sample_rate
    except ValueError as e:
        print(f"render: {e}", file=sys.stderr)
        return 2
    if over > 0:
        what = f"peak {peak:.3g} ({_db(peak)}), {100 * over:.1f}% of samples beyond full scale"
        if peak == float("inf"):
            what = f"samples that are not finite (NaN or inf), {100 * over:.1f}% of samples beyond full scale"
        kind = f"{args.bits}-bit" if subtype is not None else os.path.splitext(args.output)[1]
        if integer:
            print(f"render: warning: {what}: clipped in the {kind} file. --normalize scales the render "
                  "to a -1 dBFS peak; --bits float32 keeps the values.", file=sys.stderr)
        else:
            print(f"render: warning: {what}: kept in the float file, but players clip them. --normalize "
                  "scales the render to a -1 dBFS peak.", file=sys.stderr)
    if not args.quiet:
        print(f"wrote {args.output}: {channels} channel(s), {frames} frames, "
              f"{rate:g} Hz, {frames / rate:.3f} s")
    return 0


# ---------------------------------------------------------------------------
# info
# ---------------------------------------------------------------------------


def describe(path: str) -> dict:
    """What ``info`` prints, as a dict (format, channels, rate, frames, peak, loudness)."""
    import numpy as np

    import labsound as ls

    with open(path, "rb") as f:
        head = f.read(12)
    fmt = "unknown"
    if head[:4] in (b"RIFF", b"RF64") and head[8:12] == b"WAVE":
        fmt = "WAV"
    elif head[:4] == b"fLaC":
        fmt = "FLAC"
    elif head[:4] == b"OggS":
        fmt = "Ogg"
    elif head[:4] == b"FORM":
        fmt = "AIFF"
    elif head[:3] == b"ID3" or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        fmt = "MP3"
    buf = ls.load(path)
    data = np.asarray(buf, dtype=np.float64)
    peak = float(np.max(np.abs(data))) if data.size else 0.0
    info = {
        "path": path, "format": fmt, "channels": buf.number_of_channels, "sample_rate": buf.sample_rate,
        "frames": buf.length, "duration": buf.duration,
        "peak_dbfs": 20 * np.log10(peak) if peak > 0 else float("-inf"),
    }
    try:
        import pyloudnorm  # type: ignore[import-untyped]
    except ImportError:
        pyloudnorm = None
    if pyloudnorm is not None and buf.duration >= 0.4:
        meter = pyloudnorm.Meter(buf.sample_rate)
        info["loudness"] = float(meter.integrated_loudness(data.T if data.shape[0] > 1 else data[0]))
        info["loudness_kind"] = "integrated LUFS (ITU-R BS.1770, pyloudnorm)"
    else:
        rms = float(np.sqrt(np.mean(data ** 2))) if data.size else 0.0
        info["loudness"] = 20 * np.log10(rms) if rms > 0 else float("-inf")
        why = "pyloudnorm not installed" if pyloudnorm is None else "shorter than 0.4 s"
        info["loudness_kind"] = f"RMS dBFS over all channels ({why}; pip install pyloudnorm for LUFS)"
    return info


def _cmd_info(args: argparse.Namespace) -> int:
    import labsound as ls

    for path in args.files:
        try:
            d = describe(path)
        except (OSError, ls.DecodeError, ValueError) as e:
            print(f"info: {path}: {e}", file=sys.stderr)
            return 1
        print(f"{d['path']}\n"
              f"  format:      {d['format']}\n"
              f"  channels:    {d['channels']}\n"
              f"  sample rate: {d['sample_rate']:g} Hz\n"
              f"  length:      {d['frames']} frames ({d['duration']:.3f} s)\n"
              f"  peak:        {d['peak_dbfs']:.2f} dBFS\n"
              f"  loudness:    {d['loudness']:.2f} {d['loudness_kind']}")
    return 0


# ---------------------------------------------------------------------------
# play, demo
# ---------------------------------------------------------------------------


def backend_line(ctx: Any) -> str:
    """Where a real-time context's sound goes, in words (what ``play`` prints)."""
    name = getattr(ctx, "backend", "null")
    if name == "pulseaudio":
        sink = os.environ.get("PULSE_SINK")
        return f"the PulseAudio server's {'sink ' + repr(sink) if sink else 'default sink'}"
    if name == "portaudio":
        return "the default output device (PortAudio)"
    return "the null sink: silent, no audio output is in use"


def play_buffer(buf: Any, *, gain: float = 1.0, announce: Optional[Any] = None) -> float:
    """Play ``buf`` on the default output (the null sink when there is none); returns the seconds waited.

    ``announce(ctx)``, when given, is called once the context is open (``play``
    prints where the sound goes from it).
    """
    import labsound as ls

    with ls.AudioContext() as ctx:
        if announce is not None:
            announce(ctx)
        src = ctx.create_buffer_source(buffer=buf)
        amp = ctx.create_gain(gain=gain)
        src >> amp >> ctx.destination
        src.start()
        ctx.resume()
        ctx.wait(buf.duration + 0.1)
        return buf.duration + 0.1


def _cmd_play(args: argparse.Namespace) -> int:
    import labsound as ls

    try:
        buf = ls.load(args.file)
    except (OSError, ls.DecodeError, ValueError) as e:
        print(f"play: {args.file}: {e}", file=sys.stderr)
        return 1

    def announce(ctx: Any) -> None:
        print(f"playing {args.file}: {buf.duration:.3f} s, {buf.number_of_channels} channel(s), "
              f"{buf.sample_rate:g} Hz on {backend_line(ctx)}", flush=True)

    play_buffer(buf, gain=args.gain, announce=announce)
    return 0


def demo_script() -> Optional[str]:
    """The demo piece: examples/demo.py of a source checkout, else the copy the wheel ships."""
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (os.path.join(here, "..", "..", "examples", "demo.py"), os.path.join(here, "_demo.py")):
        if os.path.isfile(candidate):
            return os.path.normpath(candidate)
    return None


def _cmd_demo(args: argparse.Namespace) -> int:
    demo = demo_script()
    if demo is None:
        return _builtin_demo(args)
    argv = ["--output", args.output] + ([] if args.play else ["--no-play"])
    saved = sys.argv
    sys.argv = [demo] + argv
    try:
        runpy.run_path(demo, run_name="__main__")
    except SystemExit as e:
        return int(e.code or 0)
    finally:
        sys.argv = saved
    return 0


def _builtin_demo(args: argparse.Namespace) -> int:
    import labsound as ls

    print("the demo piece (examples/demo.py) is not installed: rendering the short 2 s phrase instead",
          file=sys.stderr)
    ctx = ls.OfflineAudioContext(2, 48000 * 2, 48000)
    for i, f in enumerate((261.63, 329.63, 392.0)):
        osc = ctx.create_oscillator(type="triangle", frequency=f)
        env = ctx.create_gain(gain=0)
        env.gain.set_value_at_time(0, i * 0.3)
        env.gain.linear_ramp_to_value_at_time(0.25, i * 0.3 + 0.02)
        env.gain.set_target_at_time(0, i * 0.3 + 0.5, 0.3)
        osc >> env >> ctx.destination
        osc.start(i * 0.3)
    buf = ctx.start_rendering()
    buf.save(args.output)
    print(f"wrote {args.output}: {buf.duration:.2f} s (the short phrase)")
    if args.play:
        play_buffer(buf)
    return 0


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m labsound", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("devices", help="list the audio devices (output and input)")
    r = sub.add_parser(
        "render", help="run a script and render the OfflineAudioContext it made",
        description="Run SCRIPT as __main__ (as python SCRIPT would, with SCRIPT_ARGS as its arguments), "
                    "render the OfflineAudioContext it made (or take the AudioBuffer it rendered) and "
                    "write it to a WAV file.",
        epilog="example: python -m labsound render examples/demo.py -o demo.wav -- --no-play")
    r.add_argument("script", help="the Python script that builds the OfflineAudioContext")
    r.add_argument("script_args", nargs="*", default=[], metavar="SCRIPT_ARGS",
                   help="arguments passed on to the script (put them after --); optional")
    r.add_argument("-o", "--output", default="out.wav", metavar="FILE",
                   help="the WAV file to write (default out.wav)")
    r.add_argument("--bits", default="16", choices=["16", "24", "32", "float32"],
                   help="sample format: 16-, 24- or 32-bit PCM (clipped to full scale), or float32 "
                        "(keeps values beyond full scale); default 16")
    r.add_argument("--normalize", nargs="?", type=float, const=-1.0, default=None, metavar="DBFS",
                   help="scale the render so that its peak is at DBFS (default -1 dBFS) before writing it")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary")
    r.add_argument("--progress-min", type=float, default=5.0, metavar="SECONDS",
                   help="show a progress bar for renders at least this long (default 5 s of audio)")
    p = sub.add_parser("play", help="play an audio file on the default output")
    p.add_argument("file", help="the audio file (WAV; FLAC, Ogg, MP3 with soundfile)")
    p.add_argument("--gain", type=float, default=1.0, help="linear gain applied while playing (default 1)")
    i = sub.add_parser("info", help="format, channels, rate, length, peak and loudness of audio files")
    i.add_argument("files", nargs="+", metavar="FILE", help="audio files to describe")
    d = sub.add_parser("demo", help="render the six-second demo piece to a WAV file and play it")
    d.add_argument("-o", "--output", default="demo.wav", metavar="FILE", help="the WAV file to write (default demo.wav)")
    d.add_argument("--no-play", dest="play", action="store_false", help="render and write only")
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list = []
    if "--" in argv:  # everything after -- goes to render's script, options included
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    args = parser.parse_args(argv)
    if extra:
        if args.command != "render":
            parser.error(f"arguments after -- are for render's script; {args.command} takes none: {extra!r}")
        args.script_args = list(args.script_args) + extra
    return {"devices": _cmd_devices, "render": _cmd_render, "info": _cmd_info, "play": _cmd_play,
            "demo": _cmd_demo}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
