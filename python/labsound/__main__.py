"""Command line for labsound.

    python -m labsound render script.py -o out.wav   run a script, render its OfflineAudioContext
    python -m labsound play file.wav                 play a file on the default output
    python -m labsound info file.wav                 format, channels, rate, length, peak, loudness
    python -m labsound devices                       list the audio devices (output and input)
    python -m labsound demo [-o demo.wav]            render (and play) the demo
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
        items = _devices.devices()
    except LabSoundError as e:
        print(f"no audio devices: {e}", file=sys.stderr)
        return 1
    print(_devices.format_devices(items))
    if not any(d.max_output_channels for d in items):
        print("no output device: AudioContext() will use the silent null sink", file=sys.stderr)
    return 0


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


def _cmd_render(args: argparse.Namespace) -> int:
    import labsound as ls

    script = os.path.abspath(args.script)
    if not os.path.isfile(script):
        print(f"render: no such script: {args.script}", file=sys.stderr)
        return 2
    sys.argv = [script] + list(args.script_args)
    sys.path.insert(0, os.path.dirname(script))
    namespace = runpy.run_path(script, run_name="__labsound_render__")
    ctx, buf = find_context(namespace)
    if ctx is None and buf is None:
        print(f"render: {args.script} made no OfflineAudioContext (and left no AudioBuffer)", file=sys.stderr)
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
    try:
        if ctx is not None:
            # written while it renders, under a temporary name until complete;
            # an extension nothing installed can write is refused before rendering
            length = ctx.length if ctx.length is not None else ctx.max_length
            long_render = length / ctx.sample_rate >= args.progress_min
            bar = _progress_bar(length, ctx.sample_rate, long_render and not args.quiet)
            progress = None
            if bar is not None:
                def progress(frames: int, total: object) -> None:
                    bar.update(frames - bar.n)
            frames = ctx.render_to(args.output, subtype=subtype, progress=progress)
            if bar is not None:
                bar.close()
            channels, rate = ctx.destination.max_channel_count, ctx.sample_rate
        else:
            import numpy as np

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


def play_buffer(buf: Any, *, gain: float = 1.0) -> float:
    """Play ``buf`` on the default output (the null sink when there is none); returns the seconds waited."""
    import labsound as ls

    with ls.AudioContext() as ctx:
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
    print(f"playing {args.file}: {buf.duration:.3f} s, {buf.number_of_channels} channel(s), "
          f"{buf.sample_rate:g} Hz (backend: {os.environ.get('LABSOUND_BACKEND', 'default device')})")
    play_buffer(buf, gain=args.gain)
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = [os.path.join(here, "..", "..", "examples", "demo.py")]
    demo = next((c for c in candidates if os.path.isfile(c)), None)
    if demo is None:
        return _builtin_demo(args)
    argv = ["--output", args.output] + ([] if args.play else ["--no-play"])
    sys.argv = [demo] + argv
    try:
        runpy.run_path(demo, run_name="__main__")
    except SystemExit as e:
        return int(e.code or 0)
    return 0


def _builtin_demo(args: argparse.Namespace) -> int:
    import labsound as ls

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
    print(f"wrote {args.output}: {buf.duration:.2f} s")
    if args.play:
        play_buffer(buf)
    return 0


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m labsound", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("devices", help="list the audio devices (output and input)")
    r = sub.add_parser("render", help="run a script and render the OfflineAudioContext it made")
    r.add_argument("script")
    r.add_argument("script_args", nargs="*", help="arguments passed on to the script (after --)")
    r.add_argument("-o", "--output", default="out.wav")
    r.add_argument("--bits", default="16", choices=["16", "24", "32", "float32"])
    r.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary")
    r.add_argument("--progress-min", type=float, default=5.0, metavar="SECONDS",
                   help="show a progress bar for renders at least this long (default 5 s of audio)")
    p = sub.add_parser("play", help="play an audio file on the default output")
    p.add_argument("file")
    p.add_argument("--gain", type=float, default=1.0)
    i = sub.add_parser("info", help="format, channels, rate, length, peak and loudness of audio files")
    i.add_argument("files", nargs="+")
    d = sub.add_parser("demo", help="render the demo to a WAV file and play it")
    d.add_argument("-o", "--output", default="demo.wav")
    d.add_argument("--no-play", dest="play", action="store_false")
    args = parser.parse_args(argv)
    return {"devices": _cmd_devices, "render": _cmd_render, "info": _cmd_info, "play": _cmd_play,
            "demo": _cmd_demo}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
