"""An exception from the last progress report of an offline render does not
lose the render: it propagates with the finished AudioBuffer attached. The
buffer is checked against a plain render of the same graph, and the
constant's value (0.25) computed by hand."""

import numpy as np
import pytest

import labsound as ls

SR = 8000.0


def _ctx():
    ctx = ls.OfflineAudioContext(1, 4096, SR)
    c = ctx.create_constant_source(offset=0.25)
    c >> ctx.destination
    c.start()
    return ctx


class Stop(Exception):
    pass


def test_last_progress_report_raising_keeps_the_buffer():
    seen = []

    def progress(done, total):
        seen.append(done)
        if done == total:
            raise Stop("enough")

    ctx = _ctx()
    with pytest.raises(Stop) as info:
        ctx.start_rendering(progress=progress, progress_interval=1024)
    assert seen[-1] == 4096 and len(seen) >= 3
    buf = info.value.rendered_buffer
    assert isinstance(buf, ls.AudioBuffer) and buf.length == 4096
    np.testing.assert_array_equal(np.asarray(buf)[0], np.full(4096, 0.25, np.float32))
    np.testing.assert_array_equal(np.asarray(buf), np.asarray(_ctx().start_rendering()))


def test_earlier_progress_report_raising_leaves_the_render_resumable():
    def progress(done, total):
        if done == 2048:
            raise Stop("pause")

    ctx = _ctx()
    with pytest.raises(Stop):
        ctx.start_rendering(progress=progress, progress_interval=1024)
    buf = ctx.resume()
    np.testing.assert_array_equal(np.asarray(buf)[0], np.full(4096, 0.25, np.float32))
