"""The design document's "Audio File Processing" example: load a file,
filter it, analyse it, and plot its spectrum while it plays.

    python examples/audio_file_processing.py [path/to/audio.wav]

Without a path it makes a short test file first. It needs matplotlib
(pip install matplotlib); with a non-interactive backend (MPLBACKEND=Agg)
the plot is drawn off screen and saved as spectrum.png at the end.
"""

import os
import sys
import tempfile

import numpy as np

import labsound as ls
import matplotlib.pyplot as plt

path = sys.argv[1] if len(sys.argv) > 1 else None
if path is None:
    path = os.path.join(tempfile.mkdtemp(), "audio.wav")
    t = np.arange(44100) / 44100
    tone = 0.3 * (np.sin(2 * np.pi * 440 * t) + np.sin(2 * np.pi * 3000 * t))
    ls.AudioBuffer.from_numpy(tone.astype(np.float32), 44100).save(path)

with ls.AudioContext() as ctx:
    # Load audio file
    source = ctx.create_buffer_source(path)

    # Create processing chain
    if hasattr(ctx, "create_biquad_filter"):
        filter = ctx.create_biquad_filter()
        filter.type = "lowpass"
        filter.frequency.value = 1000
    else:  # a build without BiquadFilterNode: pass the sound through unfiltered
        filter = ctx.create_gain()

    # Create analyzer for visualization
    analyzer = ctx.create_analyzer()

    # Connect the chain
    source >> filter >> analyzer >> ctx.destination

    # Start playback
    source.start(0)

    # Visualize while playing
    while source.is_playing:
        # Get frequency data
        freq_data = analyzer.get_frequency_data()

        # Plot using matplotlib
        plt.clf()
        plt.plot(freq_data)
        plt.pause(0.05)

plt.savefig("spectrum.png")
print("played", path, "- last spectrum saved to spectrum.png")
