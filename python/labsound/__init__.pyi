"""Type stubs for labsound (the C extension labsound._core re-exported)."""

from __future__ import annotations

import os
import sys
from types import TracebackType
from typing import Any, Callable, Literal, final, Mapping, NamedTuple, Optional, Sequence, SupportsFloat, SupportsIndex, TypedDict, TypeVar, Union, overload

import numpy as np
import numpy.typing as npt

__version__: str
ENGINE_VERSION: str
RENDER_QUANTUM: int
MAX_CHANNELS: int

_ChannelCountMode = Literal["max", "clamped-max", "explicit"]
_ChannelInterpretation = Literal["speakers", "discrete"]
_AutomationRate = Literal["a-rate", "k-rate"]
_OscillatorType = Literal["sine", "square", "sawtooth", "triangle", "custom"]
_ContextState = Literal["suspended", "running", "closed"]
_FloatSequence = Union[Sequence[SupportsFloat], npt.ArrayLike]

_N = TypeVar("_N", bound="AudioNode")
_Dest = TypeVar("_Dest", "AudioNode", "AudioParam")

class LabSoundError(Exception): ...
class InvalidStateError(LabSoundError): ...
class InvalidAccessError(LabSoundError): ...
class NotSupportedError(LabSoundError): ...

@final
class Event:
    def __init__(self, type: str, target: Any = None, time: float = 0.0) -> None: ...
    @property
    def type(self) -> str: ...
    @property
    def target(self) -> Any: ...
    @property
    def current_target(self) -> Any: ...
    @property
    def time(self) -> float: ...

class _ContextStats(TypedDict, total=False):
    quanta_rendered: int
    live_nodes: int
    pool_exhausted: int
    messages_sent: int
    # real-time contexts only: the backend's counters
    backend: str
    callbacks: int
    underruns: int
    overloads: int
    input_dropouts: int
    input_channels: int
    render_load: float
    max_render_load: float
    frames_per_buffer: int
    device_lost: bool

class BaseAudioContext:
    @property
    def current_time(self) -> float: ...
    @property
    def sample_rate(self) -> float: ...
    @property
    def state(self) -> _ContextState: ...
    @property
    def destination(self) -> AudioDestinationNode: ...
    @property
    def stats(self) -> _ContextStats: ...
    def create_oscillator(
        self,
        *,
        type: _OscillatorType = ...,
        frequency: float = ...,
        detune: float = ...,
        periodic_wave: Optional[PeriodicWave] = ...,
        channel_count: int = ...,
        channel_count_mode: _ChannelCountMode = ...,
        channel_interpretation: _ChannelInterpretation = ...,
    ) -> OscillatorNode: ...
    def create_gain(
        self,
        *,
        gain: float = ...,
        channel_count: int = ...,
        channel_count_mode: _ChannelCountMode = ...,
        channel_interpretation: _ChannelInterpretation = ...,
    ) -> GainNode: ...
    def create_constant_source(
        self,
        *,
        offset: float = ...,
        channel_count: int = ...,
        channel_count_mode: _ChannelCountMode = ...,
        channel_interpretation: _ChannelInterpretation = ...,
    ) -> ConstantSourceNode: ...
    def create_buffer(self, number_of_channels: int, length: int, sample_rate: float) -> AudioBuffer: ...
    def create_periodic_wave(
        self,
        real: Optional[_FloatSequence],
        imag: Optional[_FloatSequence],
        disable_normalization: Union[bool, Mapping[str, bool]] = False,
        *,
        constraints: Optional[Mapping[str, bool]] = None,
    ) -> PeriodicWave: ...
    def connect(self, source: AudioNode, destination: _Dest, output: int = 0, input: int = 0) -> _Dest: ...
    def disconnect(self, node: AudioNode, /, *args: Any, **kwargs: Any) -> None: ...
    def _dispatch_events(self) -> bool: ...

class AudioContext(BaseAudioContext):
    def __init__(
        self,
        sample_rate: float = 44100,
        channels: int = 2,
        buffer_size: int = 256,
        *,
        latency_hint: Union[None, float, Literal["interactive", "balanced", "playback"]] = None,
        device: Union[None, int, str] = None,
    ) -> None: ...
    @property
    def backend(self) -> Literal["pulseaudio", "portaudio", "null"]: ...
    onstatechange: Optional[Callable[[Event], Any]]
    def create_microphone(self, device: Optional[int] = None, channels: int = 1) -> MediaStreamAudioSourceNode: ...
    def create_media_stream_source(self, device: Optional[int] = None, channels: int = 1) -> MediaStreamAudioSourceNode: ...
    @property
    def base_latency(self) -> float: ...
    @property
    def output_latency(self) -> float: ...
    @property
    def buffer_size(self) -> int: ...
    def resume(self) -> None: ...
    def suspend(self) -> None: ...
    def close(self) -> None: ...
    def wait(self, seconds: float, /) -> None: ...
    def __enter__(self) -> AudioContext: ...
    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
        /,
    ) -> bool: ...

class OfflineAudioContext(BaseAudioContext):
    @overload
    def __init__(self, number_of_channels: int, length: int, sample_rate: float) -> None: ...
    @overload
    def __init__(self, *, channels: int, length: int, sample_rate: float) -> None: ...
    @overload
    def __init__(self, *, number_of_channels: int = 1, length: int, sample_rate: float) -> None: ...
    @overload
    def __init__(self, options: Mapping[str, Any], /) -> None: ...
    @property
    def length(self) -> int: ...
    def start_rendering(self) -> AudioBuffer: ...
    def render(self) -> AudioBuffer: ...

class AudioParam:
    value: float
    automation_rate: _AutomationRate
    @property
    def default_value(self) -> float: ...
    @property
    def min_value(self) -> float: ...
    @property
    def max_value(self) -> float: ...
    @property
    def name(self) -> str: ...
    def set_value_at_time(self, value: float, start_time: float) -> AudioParam: ...
    def linear_ramp_to_value_at_time(self, value: float, end_time: float) -> AudioParam: ...
    def exponential_ramp_to_value_at_time(self, value: float, end_time: float) -> AudioParam: ...
    def set_target_at_time(self, target: float, start_time: float, time_constant: float) -> AudioParam: ...
    def set_value_curve_at_time(self, values: _FloatSequence, start_time: float, duration: float) -> AudioParam: ...
    def cancel_scheduled_values(self, cancel_time: float) -> AudioParam: ...
    def cancel_and_hold_at_time(self, cancel_time: float) -> AudioParam: ...
    def __lshift__(self, source: _N, /) -> _N: ...

class AudioNode:
    channel_count: int
    channel_count_mode: _ChannelCountMode
    channel_interpretation: _ChannelInterpretation
    @property
    def context(self) -> BaseAudioContext: ...
    @property
    def number_of_inputs(self) -> int: ...
    @property
    def number_of_outputs(self) -> int: ...
    def connect(self, destination: _Dest, output: int = 0, input: int = 0) -> _Dest: ...
    @overload
    def disconnect(self, destination: Optional[int] = None, output: Optional[int] = None, input: None = None) -> None: ...
    @overload
    def disconnect(self, destination: AudioNode, output: Optional[int] = None, input: Optional[int] = None) -> None: ...
    @overload
    def disconnect(self, destination: AudioParam, output: Optional[int] = None, input: None = None) -> None: ...
    def __rshift__(self, destination: _Dest, /) -> _Dest: ...
    def __lshift__(self, source: _N, /) -> _N: ...

class AudioScheduledSourceNode(AudioNode):
    onended: Optional[Callable[[Event], Any]]
    @property
    def is_playing(self) -> bool: ...
    def start(self, when: float = 0) -> None: ...
    def stop(self, when: float = 0) -> None: ...

class OscillatorNode(AudioScheduledSourceNode):
    type: _OscillatorType
    def __init__(
        self,
        context: BaseAudioContext,
        options: Optional[Mapping[str, Any]] = None,
        *,
        type: _OscillatorType = "sine",
        frequency: float = 440.0,
        detune: float = 0.0,
        periodic_wave: Optional[PeriodicWave] = None,
        channel_count: int = 2,
        channel_count_mode: _ChannelCountMode = "max",
        channel_interpretation: _ChannelInterpretation = "speakers",
    ) -> None: ...
    @property
    def frequency(self) -> AudioParam: ...
    @property
    def detune(self) -> AudioParam: ...
    def set_periodic_wave(self, wave: PeriodicWave, /) -> None: ...

class GainNode(AudioNode):
    def __init__(
        self,
        context: BaseAudioContext,
        options: Optional[Mapping[str, Any]] = None,
        *,
        gain: float = 1.0,
        channel_count: int = 2,
        channel_count_mode: _ChannelCountMode = "max",
        channel_interpretation: _ChannelInterpretation = "speakers",
    ) -> None: ...
    @property
    def gain(self) -> AudioParam: ...

class ConstantSourceNode(AudioScheduledSourceNode):
    def __init__(
        self,
        context: BaseAudioContext,
        options: Optional[Mapping[str, Any]] = None,
        *,
        offset: float = 1.0,
        channel_count: int = 2,
        channel_count_mode: _ChannelCountMode = "max",
        channel_interpretation: _ChannelInterpretation = "speakers",
    ) -> None: ...
    @property
    def offset(self) -> AudioParam: ...

class AudioDestinationNode(AudioNode):
    @property
    def max_channel_count(self) -> int: ...

class AudioBuffer:
    @overload
    def __init__(self, number_of_channels: int = 1, *, length: int, sample_rate: float) -> None: ...
    @overload
    def __init__(self, number_of_channels: int, length: int, sample_rate: float) -> None: ...
    @overload
    def __init__(self, options: Mapping[str, Any], /) -> None: ...
    @property
    def sample_rate(self) -> float: ...
    @property
    def length(self) -> int: ...
    @property
    def duration(self) -> float: ...
    @property
    def number_of_channels(self) -> int: ...
    def get_channel_data(self, channel: SupportsIndex, /) -> npt.NDArray[np.float32]: ...
    def copy_from_channel(self, destination: npt.NDArray[np.float32], channel_number: int, buffer_offset: int = 0) -> None: ...
    def copy_to_channel(self, source: _FloatSequence, channel_number: int, buffer_offset: int = 0) -> None: ...
    @classmethod
    def from_numpy(cls, array: npt.ArrayLike, sample_rate: float) -> AudioBuffer: ...
    def save(self, path: Union[str, bytes, os.PathLike[str], os.PathLike[bytes]], bits: Union[int, Literal["float32"]] = 16) -> None: ...
    def __len__(self) -> int: ...
    if sys.version_info >= (3, 12):
        def __buffer__(self, flags: int, /) -> memoryview: ...

class MediaStreamAudioSourceNode(AudioNode):
    def __init__(self, context: AudioContext, device: Optional[int] = None, channels: int = 1) -> None: ...

class DeviceInfo(NamedTuple):
    index: int
    name: str
    host_api: str
    max_input_channels: int
    max_output_channels: int
    default_sample_rate: float
    default_low_output_latency: float
    default_high_output_latency: float
    default_low_input_latency: float
    default_high_input_latency: float
    is_default_output: bool
    is_default_input: bool

def devices() -> list[DeviceInfo]: ...
def devices_available() -> tuple[bool, str]: ...

class PeriodicWave:
    def __init__(
        self,
        context: BaseAudioContext,
        real: Optional[_FloatSequence] = None,
        imag: Optional[_FloatSequence] = None,
        disable_normalization: bool = False,
    ) -> None: ...
    @property
    def context(self) -> BaseAudioContext: ...

__all__: list[str]
