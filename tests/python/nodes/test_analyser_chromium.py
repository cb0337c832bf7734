"""AnalyserNode against Chromium's (tests/fixtures/buffers/analyser.wav, made
by scripts/make_fixtures_buffers.py): the same input, fft_size 1024,
smoothing 0.5, the getters read after 4096 frames. Chromium's values were
played back into its render from frame 4096 on: 512 dB values, 1024
time-domain samples, 512 bytes.

Tolerances: the time-domain data is the input itself (exact); the dB values
come from two different single-precision FFTs, 0.01 dB above -100 dB
(measured: in the comment below); bytes may differ by one where a value sits
on a step boundary.
"""

import os

import numpy as np

import labsound as ls

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "buffers", "analyser.wav")


def test_analyser_matches_chromium():
    ref = np.asarray(ls.load(FIXTURE))[0][4096:4096 + 2048]
    ref_db, ref_td, ref_bytes = ref[:512], ref[512:1536], ref[1536:2048]

    i = np.arange(4096)
    x = (0.5 * np.sin(2 * np.pi * 1000 * i / 44100) + 0.1 * np.sin(2 * np.pi * 5000 * i / 44100 + 1))
    ctx = ls.OfflineAudioContext(1, 4096, 44100)
    src = ctx.create_buffer_source(buffer=ls.AudioBuffer.from_numpy(x.astype(np.float32), 44100))
    an = ctx.create_analyser(fft_size=1024, smoothing_time_constant=0.5)
    src >> an
    src.start(0)
    ctx.start_rendering()

    np.testing.assert_array_equal(an.get_float_time_domain_data(), ref_td)
    db = an.get_float_frequency_data()
    keep = ref_db > -100
    worst = np.abs(db[keep] - ref_db[keep]).max()
    print(f"largest dB difference above -100 dB: {worst:.2e}")   # measured 7.6e-5
    assert worst < 0.01
    assert np.abs(an.get_byte_frequency_data().astype(int) - ref_bytes.astype(int)).max() <= 1
