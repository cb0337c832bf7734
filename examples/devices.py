"""List the audio devices, then play a short chord on the default output.

    python examples/devices.py            # the default output
    python examples/devices.py --device 3 # a device by index (or a name)

With no sound server or device, AudioContext() falls back to the silent null
sink with one warning, and this example still runs.
"""

import argparse

import labsound as ls

ap = argparse.ArgumentParser()
ap.add_argument("--device", default=None, help="output device index or name (default: the system's)")
ap.add_argument("--latency", default=None, help="'interactive', 'balanced', 'playback' or seconds")
args = ap.parse_args()

ok, why = ls.devices_available()
if ok:
    try:
        from labsound._devices import format_devices

        print(format_devices(ls.devices()))
    except ls.LabSoundError as e:
        print("no device list:", e)
else:
    print("no device backend:", why)

device = int(args.device) if args.device and args.device.isdigit() else args.device
latency = args.latency
if latency and latency[0].isdigit():
    latency = float(latency)

with ls.AudioContext(device=device, latency_hint=latency) as ctx:
    print(f"\nplaying on {ctx.backend}: {ctx.sample_rate:g} Hz, base latency "
          f"{1000 * ctx.base_latency:.1f} ms, output latency {1000 * ctx.output_latency:.1f} ms")
    master = ctx.create_gain(gain=0.15)
    master >> ctx.destination
    t = ctx.current_time + 0.05
    for i, f in enumerate((261.63, 329.63, 392.0, 523.25)):   # C major, arpeggiated
        osc = ctx.create_oscillator(type="triangle", frequency=f)
        env = ctx.create_gain(gain=0.0)
        env.gain.set_value_at_time(0.0, t + 0.25 * i)
        env.gain.linear_ramp_to_value_at_time(1.0, t + 0.25 * i + 0.02)
        env.gain.set_target_at_time(0.0, t + 1.5, 0.2)
        osc >> env >> master
        osc.start(t + 0.25 * i)
        osc.stop(t + 3.0)
    ctx.wait(3.2)
    s = ctx.stats
    print(f"callbacks {s['callbacks']}, underruns {s['underruns']}, "
          f"render load {100 * s['render_load']:.2f}% (worst {100 * s['max_render_load']:.1f}%)")
