"""Notebook controls bound to a node: ``labsound.widgets.controls(node)``.

Needs the ``notebook`` extra (``pip install labsound[notebook]``, ipywidgets).
"""

from __future__ import annotations

import math
import weakref
from typing import Any

from . import _core

try:
    import ipywidgets as _w
except ImportError as e:  # pragma: no cover - exercised without the extra
    raise ImportError("labsound.widgets needs ipywidgets: pip install labsound[notebook]") from e

__all__ = ["controls", "param_range"]

_PARAMS = ("frequency", "detune", "gain", "offset", "q", "delay_time", "pan", "playback_rate",
           "threshold", "knee", "ratio", "attack", "release", "position_x", "position_y", "position_z",
           "orientation_x", "orientation_y", "orientation_z")

_OSC_TYPES = ["sine", "square", "sawtooth", "triangle"]
_BIQUAD_TYPES = ["lowpass", "highpass", "bandpass", "lowshelf", "highshelf", "peaking", "notch", "allpass"]
_ENUMS: dict[str, Any] = {
    "type": {_core.OscillatorNode: _OSC_TYPES, _core.BiquadFilterNode: _BIQUAD_TYPES},
    "oversample": ["none", "2x", "4x"],
    "panning_model": ["equalpower", "HRTF"],
    "distance_model": ["linear", "inverse", "exponential"],
    "channel_count_mode": ["max", "clamped-max", "explicit"],
    "channel_interpretation": ["speakers", "discrete"],
}

# Slider ranges for params whose nominal range is too wide to slide (+-FLT_MAX).
_DEFAULT_RANGES = {"detune": (-1200.0, 1200.0), "gain": (0.0, 2.0), "offset": (-1.0, 1.0),
                   "q": (0.0001, 30.0), "playback_rate": (0.0, 4.0), "delay_time": (0.0, 1.0)}


def param_range(name: str, param: Any, sample_rate: float, node: Any = None) -> tuple[float, float]:
    """The slider's (min, max): the param's nominal range where it is narrow enough, else a usual one."""
    lo, hi = float(param.min_value), float(param.max_value)
    if name == "gain" and isinstance(node, _core.BiquadFilterNode):  # dB
        return max(lo, -40.0), min(hi, 40.0)
    if name == "frequency":
        return max(lo, 0.0), min(hi, sample_rate / 2)
    if math.isfinite(hi - lo) and hi - lo <= 1e5:
        return lo, hi
    if name in _DEFAULT_RANGES:
        a, b = _DEFAULT_RANGES[name]
        return max(lo, a), min(hi, b)
    v = float(param.value)
    span = max(abs(v), 1.0) * 2
    return max(lo, v - span), min(hi, v + span)


def _choices(node: Any, name: str) -> list:
    spec = _ENUMS[name]
    if isinstance(spec, dict):
        for cls, values in spec.items():
            if isinstance(node, cls):
                return values
        return []
    return spec


def controls(node: Any, *, continuous_update: bool = True) -> Any:
    """A VBox of widgets bound to ``node``.

    One FloatSlider per AudioParam (moving it sets ``param.value``), one
    Dropdown per enum attribute (``type``, ``oversample``, ``panning_model``,
    ``distance_model``, ``channel_count_mode``, ``channel_interpretation``;
    choosing sets the attribute). The widgets are in ``box.children`` and by
    name in ``box.controls``.
    """
    if not isinstance(node, _core.AudioNode):
        raise TypeError(f"controls(node): node must be an AudioNode, not {type(node).__name__}")
    rate = node.context.sample_rate
    items: dict[str, Any] = {}
    for name in _PARAMS:
        try:
            p = getattr(node, name)
        except Exception:  # noqa: BLE001 - not a param of this node
            continue
        if not isinstance(p, _core.AudioParam):
            continue
        lo, hi = param_range(name, p, rate, node)
        value = min(max(float(p.value), lo), hi)
        step = (hi - lo) / 1000 if hi > lo else 0.01
        s = _w.FloatSlider(value=value, min=lo, max=hi, step=step, description=name,
                           continuous_update=continuous_update, readout_format=".4g",
                           style={"description_width": "initial"})

        def on_change(change: dict, p: Any = p) -> None:
            p.value = change["new"]

        s.observe(on_change, names="value")
        items[name] = s
    for name in _ENUMS:
        if not hasattr(node, name):
            continue
        values = _choices(node, name)
        if not values:
            continue
        try:
            current = getattr(node, name)
        except Exception:  # noqa: BLE001
            continue
        options = list(values) + ([current] if current not in values else [])
        d = _w.Dropdown(options=options, value=current, description=name,
                        style={"description_width": "initial"})

        def on_pick(change: dict, name: str = name, ref: Any = weakref.ref(node)) -> None:
            target = ref()
            if target is not None:
                setattr(target, name, change["new"])

        d.observe(on_pick, names="value")
        items[name] = d
    box = _w.VBox(list(items.values()))
    box.controls = items
    return box
