"""Type names in error messages, the same in the full-API and the abi3 build.

The limited API has no tp_name; the abi3 build (docs/building.md, "Stable
ABI") rebuilds it from __module__ and __name__. These pin what tp_name reads:
"module.Name" for a static type outside builtins and for this extension's
types, the bare name for builtins and for a class defined in Python.
"""

import numpy as np
import pytest

import labsound as ls


class Plain:
    pass


def _expected(obj):
    t = type(obj)
    if t.__module__ == "builtins" or t is Plain:
        return t.__name__
    return f"{t.__module__}.{t.__name__}"


@pytest.mark.parametrize("bad", [np.float32(1.0), Plain(), "x", None, 1.5j],
                         ids=["numpy-static", "python-class", "str", "none", "complex"])
def test_connect_names_the_type(bad):
    ctx = ls.OfflineAudioContext(1, 128, 48000)
    g = ctx.create_gain()
    with pytest.raises(TypeError) as e:
        g.connect(bad)
    assert str(e.value).endswith(f"got {_expected(bad)}")


def test_extension_types_are_qualified():
    ctx = ls.OfflineAudioContext(1, 128, 48000)
    g = ctx.create_gain()
    for bad, name in ((g, "labsound.GainNode"), (ctx, "labsound.OfflineAudioContext")):
        assert _expected(bad) == name
        with pytest.raises(TypeError, match=f"must be numeric, got {name}$"):
            ls.AudioBuffer.from_numpy(bad, 48000)

