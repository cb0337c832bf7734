"""The design document's "Audio File Processing" example: load a file,
filter it, analyse it, and plot its spectrum while it plays.

    python examples/audio_file_processing.py [path/to/audio.wav]

Without a path it makes a short test file first (tones at 440 Hz and 3 kHz).
It needs matplotlib (pip install labsound[plot]); the spectrum is drawn with
labsound.plot, so its axes read frequency in Hz and magnitude in dBFS. With a
non-interactive backend (MPLBACKEND=Agg) the plot is drawn off screen; the
last spectrum is saved as spectrum.png at the end either way.
"""

import os
import sys
import tempfile

import numpy as np

import labsound as ls
import labsound.plot as lsplot
import matplotlib.pyplot as plt

path = sys.argv[1] if len(sys.argv) > 1 else None
if path is None:
    path = os.path.join(tempfile.mkdtemp(), "audio.wav")
    t = np.arange(44100) / 44100
    tone = 0.3 * (np.sin(2 * np.pi * 440 * t) + np.sin(2 * np.pi * 3000 * t))
    ls.AudioBuffer.from_numpy(tone.astype(np.float32), 44100).save(path)

fig, ax = plt.subplots(layout="constrained")
with ls.AudioContext() as ctx:
    # Load audio file
    source = ctx.create_buffer_source(path)

    # Create processing chain: a lowpass at 1 kHz
    filter = ctx.create_biquad_filter(type="lowpass", frequency=1000)

    # Create analyzer for visualization
    analyzer = ctx.create_analyzer(fft_size=4096)

    # Connect the chain
    source >> filter >> analyzer >> ctx.destination

    # Start playback
    source.start(0)

    # Visualize while playing: the analyser's current spectrum, in dBFS
    # against Hz, redrawn every 50 ms
    last = None
    while source.is_playing:
        ax.clear()
        lsplot.spectrum(analyzer, ax=ax)
        ax.set_title(f"{os.path.basename(path)} through a 1 kHz lowpass")
        last = ax.lines[0].get_ydata()   # dBFS of bins 1, 2, ... (bin 0 is off the log axis)
        plt.pause(0.05)
    bin_hz = ctx.sample_rate / analyzer.fft_size

fig.savefig("spectrum.png")
print(f"played {path}")
if last is not None:
    peak = int(np.argmax(last))
    print(f"last spectrum: strongest bin at {(peak + 1) * bin_hz:.0f} Hz ({last[peak]:.1f} dBFS)")
    if len(sys.argv) <= 1:  # the test file: how far the lowpass brought 3 kHz below 440 Hz
        def level(f):
            k = int(round(f / bin_hz)) - 1
            return float(np.max(last[k - 2:k + 3]))

        print(f"3000 Hz is {level(440) - level(3000):.1f} dB below 440 Hz")
print("saved spectrum.png")
