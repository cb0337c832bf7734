"""Node types by name: ``ls.node_types()`` and ``ctx.create(name, **options)``.

One table (``_TABLE``) lists every node type once: its name, its class, its
factory on the context, the keyword options its constructor takes (with their
defaults) and the non-param attributes a user sets. Everything else a
:class:`NodeType` reports (inputs, outputs, whether it is a scheduled source,
the AudioParams with their defaults, ranges and rates) is read from the engine:
one node of each type is made in a small OfflineAudioContext the first time
``node_types()`` is called.

Registering a new node type is one ``_Entry`` appended to ``_TABLE`` (or
passed to ``_register`` by the module that defines the class).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Callable, Mapping, Optional

from . import _core

#: Default of an option the constructor requires (it has no default).
REQUIRED = inspect.Parameter.empty


@dataclass(frozen=True)
class ParamInfo:
    """An AudioParam of a node type, as the engine reports it.

    ``default``, ``min_value`` and ``max_value`` are the param's default and
    nominal range (values outside it are clamped when rendered);
    ``automation_rate`` is 'a-rate' or 'k-rate'.
    """

    name: str
    default: float
    min_value: float
    max_value: float
    automation_rate: str


@dataclass(frozen=True)
class NodeType:
    """One node type: what ``ctx.create(name)`` makes and what it takes.

    A value of ``ls.node_types()``: ``cls`` the Python class, ``factory`` the
    ``ctx.create_*`` method, ``options`` the keyword options and their
    defaults, ``params`` its AudioParams (ParamInfo), ``settings`` its plain
    attributes, ``is_source`` whether it has ``start``/``stop``.
    """

    name: str
    cls: type
    factory: str
    number_of_inputs: int
    number_of_outputs: int
    is_source: bool
    options: Mapping[str, Any]
    params: tuple[ParamInfo, ...]
    settings: tuple[str, ...]


_CHANNEL_OPTIONS = ("channel_count", "channel_count_mode", "channel_interpretation")


@dataclass(frozen=True)
class _Entry:
    name: str
    cls: str                       # attribute of the labsound package
    factory: str                   # method of BaseAudioContext / AudioContext
    options: dict                  # the node's own keyword options -> default
    settings: tuple = ()
    channel_options: bool = True   # the constructor also takes the three channel options
    probe: Optional[Callable[[Any], dict]] = None   # kwargs for the probe node (required options)
    io: Optional[tuple] = None     # (inputs, outputs, is_source) for types no offline
                                   # context can make (device input)


def _processor_probe(ls: Any) -> dict:
    class _Probe(ls.AudioProcessor):
        def process(self, inputs, outputs, parameters):  # pragma: no cover - never rendered
            return False

    return {"processor": _Probe}


_TABLE: list[_Entry] = [
    _Entry("Oscillator", "OscillatorNode", "create_oscillator",
           {"type": "sine", "frequency": 440.0, "detune": 0.0, "periodic_wave": None},
           ("type",)),
    _Entry("Gain", "GainNode", "create_gain", {"gain": 1.0}),
    _Entry("ConstantSource", "ConstantSourceNode", "create_constant_source", {"offset": 1.0}),
    _Entry("BiquadFilter", "BiquadFilterNode", "create_biquad_filter",
           {"type": "lowpass", "frequency": 350.0, "detune": 0.0, "Q": 1.0, "gain": 0.0},
           ("type",)),
    _Entry("IIRFilter", "IIRFilterNode", "create_iir_filter",
           {"feedforward": REQUIRED, "feedback": REQUIRED},
           probe=lambda ls: {"feedforward": [1.0], "feedback": [1.0]}),
    _Entry("Delay", "DelayNode", "create_delay", {"max_delay_time": 1.0, "delay_time": 0.0}),
    _Entry("ChannelSplitter", "ChannelSplitterNode", "create_channel_splitter",
           {"number_of_outputs": 6}),
    _Entry("ChannelMerger", "ChannelMergerNode", "create_channel_merger",
           {"number_of_inputs": 6}),
    _Entry("StereoPanner", "StereoPannerNode", "create_stereo_panner", {"pan": 0.0}),
    _Entry("WaveShaper", "WaveShaperNode", "create_wave_shaper",
           {"curve": None, "oversample": "none"}, ("curve", "oversample")),
    _Entry("Panner", "PannerNode", "create_panner",
           {"panning_model": "equalpower", "distance_model": "inverse",
            "position_x": 0.0, "position_y": 0.0, "position_z": 0.0,
            "orientation_x": 1.0, "orientation_y": 0.0, "orientation_z": 0.0,
            "ref_distance": 1.0, "max_distance": 10000.0, "rolloff_factor": 1.0,
            "cone_inner_angle": 360.0, "cone_outer_angle": 360.0, "cone_outer_gain": 0.0},
           ("panning_model", "distance_model", "ref_distance", "max_distance",
            "rolloff_factor", "cone_inner_angle", "cone_outer_angle", "cone_outer_gain")),
    _Entry("DynamicsCompressor", "DynamicsCompressorNode", "create_dynamics_compressor",
           {"attack": 0.003, "knee": 30.0, "ratio": 12.0, "release": 0.25, "threshold": -24.0}),
    _Entry("Convolver", "ConvolverNode", "create_convolver",
           {"buffer": None, "disable_normalization": False}, ("buffer", "normalize")),
    _Entry("AudioBufferSource", "AudioBufferSourceNode", "create_buffer_source",
           {"buffer": None, "loop": False, "loop_start": 0.0, "loop_end": 0.0,
            "playback_rate": 1.0, "detune": 0.0, "interpolation": None},
           ("buffer", "loop", "loop_start", "loop_end", "interpolation")),
    _Entry("Analyser", "AnalyserNode", "create_analyser",
           {"fft_size": 2048, "min_decibels": -100.0, "max_decibels": -30.0,
            "smoothing_time_constant": 0.8},
           ("fft_size", "min_decibels", "max_decibels", "smoothing_time_constant")),
    _Entry("Recorder", "RecorderNode", "create_recorder", {"channels": 2},
           channel_options=False),
    _Entry("Function", "FunctionNode", "create_function",
           {"channels": 1, "mode": None, "lookahead": None}, channel_options=False),
    _Entry("AudioProcessor", "AudioProcessorNode", "create_processor",
           {"processor": REQUIRED, "number_of_inputs": 1, "number_of_outputs": 1,
            "output_channel_count": None, "parameter_data": None,
            "mode": None, "lookahead": None},
           probe=_processor_probe),
    _Entry("MediaStreamAudioSource", "MediaStreamAudioSourceNode", "create_media_stream_source",
           {"device": None, "channels": 1}, channel_options=False, io=(0, 1, False)),
    # the extended node set (include/labsound/extended.h), first part
    _Entry("Noise", "NoiseNode", "create_noise", {"type": "white", "seed": None}, ("type",)),
    _Entry("ADSR", "ADSRNode", "create_adsr",
           {"attack_time": 0.125, "attack_level": 1.0, "decay_time": 0.125, "sustain_time": 0.125,
            "sustain_level": 0.5, "release_time": 0.125, "one_shot": False}, ("one_shot",)),
    _Entry("PolyBLEP", "PolyBLEPNode", "create_polyblep",
           {"type": "sawtooth", "frequency": 440.0, "detune": 0.0, "amplitude": 1.0,
            "pulse_width": 0.5}, ("type",)),
    _Entry("Supersaw", "SupersawNode", "create_supersaw",
           {"voices": 7, "frequency": 440.0, "detune": 12.0}, ("voices",)),
    _Entry("Clip", "ClipNode", "create_clip", {"mode": "clip", "a": -1.0, "b": 1.0}, ("mode",)),
    _Entry("Diode", "DiodeNode", "create_diode", {"distortion": 1.0, "vb": 0.2, "vl": 0.4}),
    # audio fed from outside the graph (labsound/_streams.py)
    _Entry("StreamSource", "StreamSourceNode", "create_stream_source",
           {"source": REQUIRED, "channels": None, "sample_rate": None, "buffer_frames": None,
            "block_frames": 4096, "onerror": None}, channel_options=False,
           probe=lambda ls: {"source": [__import__("numpy").zeros((1, 128), "float32")]}),
    # the extended node set: monitors, peak compressor, PWM (extended_dyn.c)
    _Entry("PowerMonitor", "PowerMonitorNode", "create_power_monitor", {"window_size": 128}),
    _Entry("SpectralMonitor", "SpectralMonitorNode", "create_spectral_monitor",
           {"window_size": 512}),
    _Entry("PeakComp", "PeakCompNode", "create_peak_comp",
           {"threshold": -20.0, "ratio": 4.0, "attack": 0.001, "release": 0.1, "makeup": 0.0,
            "knee": 0.0}),
    _Entry("PWM", "PWMNode", "create_pwm", {}),
    # the extended node set: sfxr (settings read when the sound starts)
    _Entry("Sfxr", "SfxrNode", "create_sfxr",
           {"wave_type": "square", "attack": 0.0, "sustain": 0.3, "sustain_punch": 0.0, "decay": 0.4, "start_frequency": 0.3, "min_frequency": 0.0, "slide": 0.0, "delta_slide": 0.0, "vibrato_depth": 0.0, "vibrato_speed": 0.0, "change_amount": 0.0, "change_speed": 0.0, "square_duty": 0.0, "duty_sweep": 0.0, "repeat_speed": 0.0, "phaser_offset": 0.0, "phaser_sweep": 0.0, "lpf_cutoff": 1.0, "lpf_cutoff_sweep": 0.0, "lpf_resonance": 0.0, "hpf_cutoff": 0.0, "hpf_cutoff_sweep": 0.0, "volume": 0.5, "seed": None},
           ("wave_type", "attack", "sustain", "sustain_punch", "decay", "start_frequency", "min_frequency", "slide", "delta_slide", "vibrato_depth", "vibrato_speed", "change_amount", "change_speed", "square_duty", "duty_sweep", "repeat_speed", "phaser_offset", "phaser_sweep", "lpf_cutoff", "lpf_cutoff_sweep", "lpf_resonance", "hpf_cutoff", "hpf_cutoff_sweep", "volume")),
    # the extended node set: tempo-synced delays, the sampler (extended_time.c)
    _Entry("BPMDelay", "BPMDelayNode", "create_bpm_delay",
           {"tempo": 120.0, "note": "quarter", "max_delay_time": 2.0}, ("tempo", "note")),
    _Entry("PingPongDelay", "PingPongDelayNode", "create_ping_pong_delay",
           {"tempo": 120.0, "note": "eighth", "max_delay_time": 2.0, "feedback": 0.5, "wet": 1.0,
            "dry": 1.0}, ("tempo", "note")),
    _Entry("SampledAudio", "SampledAudioNode", "create_sampled_audio",
           {"buffer": None, "playback_rate": 1.0, "detune": 0.0, "interpolation": None},
           ("buffer", "interpolation")),
    # the extended node set: granulation
    _Entry("Granulation", "GranulationNode", "create_granulation",
           {"buffer": REQUIRED, "grain_duration": 0.1, "grain_rate": 20.0, "position_start": 0.0,
            "position_end": None, "playback_rate": 1.0, "window": "hann", "seed": 0,
            "max_voices": 8, "interpolation": None},
           ("window", "interpolation"), channel_options=False,
           probe=lambda ls: {"buffer": ls.AudioBuffer(1, length=44100, sample_rate=44100.0)}),
]

_cache: Optional[Mapping[str, NodeType]] = None


def _register(entry: _Entry) -> None:
    """Add a node type to the table (modules defining node classes call this)."""
    global _cache
    if any(e.name == entry.name for e in _TABLE):
        raise ValueError(f"node type {entry.name!r} is already registered")
    _TABLE.append(entry)
    _cache = None


def _read_params(node: Any) -> tuple[ParamInfo, ...]:
    seen: dict[int, ParamInfo] = {}
    for attr in dir(type(node)):
        if attr.startswith("_"):
            continue
        try:
            value = getattr(node, attr)
        except Exception:
            continue
        if isinstance(value, _core.AudioParam) and id(value) not in seen:
            seen[id(value)] = ParamInfo(attr, float(value.default_value), float(value.min_value),
                                        float(value.max_value), str(value.automation_rate))
    return tuple(seen.values())


def _describe(entry: _Entry, ctx: Any) -> NodeType:
    import labsound as ls

    cls = getattr(ls, entry.cls)
    options = dict(entry.options)
    if entry.io is not None:
        n_in, n_out, is_source = entry.io
        params: tuple[ParamInfo, ...] = ()
    else:
        kwargs = entry.probe(ls) if entry.probe else {}
        node = getattr(ctx, entry.factory)(**kwargs)
        n_in, n_out = node.number_of_inputs, node.number_of_outputs
        is_source = isinstance(node, _core.AudioScheduledSourceNode)
        params = _read_params(node)
        if entry.channel_options:
            for opt in _CHANNEL_OPTIONS:
                options[opt] = getattr(node, opt)
    return NodeType(entry.name, cls, entry.factory, int(n_in), int(n_out), bool(is_source),
                    MappingProxyType(options), params, tuple(entry.settings))


def node_types() -> Mapping[str, NodeType]:
    """Every node type ``BaseAudioContext.create`` knows, by name.

    A read-only mapping name -> :class:`NodeType`. The params are those of a
    node made by the engine (in a one-quantum OfflineAudioContext).
    """
    global _cache
    if _cache is None:
        ctx = _core.OfflineAudioContext(1, _core.RENDER_QUANTUM, 44100.0)
        _cache = MappingProxyType({e.name: _describe(e, ctx) for e in _TABLE})
    return _cache


def create(self: Any, name: str, /, **options: Any) -> Any:
    """A new node of the type called ``name`` (see ``labsound.node_types()``),
    made by its factory with these keyword options."""
    if not isinstance(name, str):
        raise TypeError(f"create(): name must be a str, not {type(name).__name__}")
    entry = next((e for e in _TABLE if e.name == name), None)
    if entry is None:
        valid = ", ".join(sorted(e.name for e in _TABLE))
        raise ValueError(f"create(): unknown node type {name!r}; valid names: {valid}")
    factory = getattr(self, entry.factory, None)
    if factory is None:
        raise TypeError(f"create(): a {type(self).__name__} cannot make a {name} node "
                        f"({entry.factory} is not one of its methods)")
    return factory(**options)


_core.BaseAudioContext.create = create  # type: ignore[attr-defined]
