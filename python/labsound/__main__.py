"""Command line: ``python -m labsound devices`` lists the audio devices."""

from __future__ import annotations

import argparse
import sys

from . import _devices
from ._core import LabSoundError


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m labsound", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("devices", help="list the audio devices (output and input)")
    args = parser.parse_args(argv)
    if args.command == "devices":
        try:
            items = _devices.devices()
        except LabSoundError as e:
            print(f"no audio devices: {e}", file=sys.stderr)
            return 1
        print(_devices.format_devices(items))
        if not any(d.max_output_channels for d in items):
            print("no output device: AudioContext() will use the silent null sink", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
