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
_Interpolation = Literal["linear", "cubic", "sinc"]
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
    def __init__(self, type: str, target: Any = None, time: float = 0.0,
                 rendered_buffer: Optional[AudioBuffer] = None) -> None: ...
    @property
    def type(self) -> str: ...
    @property
    def target(self) -> Any: ...
    @property
    def current_target(self) -> Any: ...
    @property
    def time(self) -> float: ...
    @property
    def rendered_buffer(self) -> Optional[AudioBuffer]: ...

class _ContextStats(TypedDict, total=False):
    quanta_rendered: int
    live_nodes: int
    pool_exhausted: int
    messages_sent: int
    stream_underruns: int
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
    # real-time contexts on every backend: falling behind (RealtimeWarning)
    periods: int
    late_periods: int
    time_lost: float

class BaseAudioContext:
    # --- node factories generated from the engine's descriptors (scripts/gen_nodes.py) ---
    def create_adsr(
            self, *,
            attack_time: float = ...,
            attack_level: float = ...,
            decay_time: float = ...,
            sustain_time: float = ...,
            sustain_level: float = ...,
            release_time: float = ...,
            one_shot: bool = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> ADSRNode: ...
    def create_analyser(
            self, *,
            fft_size: int = ...,
            min_decibels: float = ...,
            max_decibels: float = ...,
            smoothing_time_constant: float = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> AnalyserNode: ...
    def create_buffer_source(
            self, buffer: Union[AudioBuffer, _Path, None] = ...,
            *,
            loop: bool = ...,
            loop_start: float = ...,
            loop_end: float = ...,
            playback_rate: float = ...,
            detune: float = ...,
            interpolation: Optional[_Interpolation] = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> AudioBufferSourceNode: ...
    def create_biquad_filter(
            self, *,
            type: _BiquadFilterType = ...,
            frequency: float = ...,
            detune: float = ...,
            Q: float = ...,
            gain: float = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> BiquadFilterNode: ...
    def create_bpm_delay(
            self, *,
            tempo: float = ...,
            note: Literal['whole', 'half', 'quarter', 'eighth', 'sixteenth', 'thirty-second', 'dotted-whole', 'dotted-half', 'dotted-quarter', 'dotted-eighth', 'dotted-sixteenth', 'dotted-thirty-second', 'whole-triplet', 'half-triplet', 'quarter-triplet', 'eighth-triplet', 'sixteenth-triplet', 'thirty-second-triplet'] = ...,
            max_delay_time: float = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> BPMDelayNode: ...
    def create_channel_merger(
            self, number_of_inputs: int = ...,
            *,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> ChannelMergerNode: ...
    def create_channel_splitter(
            self, number_of_outputs: int = ...,
            *,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> ChannelSplitterNode: ...
    def create_clip(
            self, *,
            mode: _ClipMode = ...,
            a: float = ...,
            b: float = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> ClipNode: ...
    def create_constant_source(
            self, *,
            offset: float = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> ConstantSourceNode: ...
    def create_convolver(
            self, *,
            buffer: Optional[AudioBuffer] = ...,
            disable_normalization: bool = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> ConvolverNode: ...
    def create_delay(
            self, max_delay_time: float = ...,
            *,
            delay_time: float = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> DelayNode: ...
    def create_diode(
            self, *,
            distortion: float = ...,
            vb: float = ...,
            vl: float = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> DiodeNode: ...
    def create_dynamics_compressor(
            self, *,
            attack: float = ...,
            knee: float = ...,
            ratio: float = ...,
            release: float = ...,
            threshold: float = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> DynamicsCompressorNode: ...
    def create_gain(
            self, *,
            gain: float = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> GainNode: ...
    def create_granulation(
            self, *,
            buffer: AudioBuffer,
            grain_duration: float = ...,
            grain_rate: float = ...,
            position_start: float = ...,
            position_end: Optional[float] = ...,
            playback_rate: float = ...,
            window: _GrainWindow = ...,
            seed: int = ...,
            max_voices: int = ...,
            interpolation: Optional[_Interpolation] = ...) -> GranulationNode: ...
    def create_iir_filter(
            self, feedforward: Sequence[SupportsFloat],
            feedback: Sequence[SupportsFloat],
            *,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> IIRFilterNode: ...
    def create_noise(
            self, *,
            type: _NoiseType = ...,
            seed: Optional[int] = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> NoiseNode: ...
    def create_oscillator(
            self, *,
            type: _OscillatorType = ...,
            frequency: float = ...,
            detune: float = ...,
            periodic_wave: Optional[PeriodicWave] = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> OscillatorNode: ...
    def create_panner(
            self, *,
            panning_model: _PanningModel = ...,
            distance_model: _DistanceModel = ...,
            position_x: float = ...,
            position_y: float = ...,
            position_z: float = ...,
            orientation_x: float = ...,
            orientation_y: float = ...,
            orientation_z: float = ...,
            ref_distance: float = ...,
            max_distance: float = ...,
            rolloff_factor: float = ...,
            cone_inner_angle: float = ...,
            cone_outer_angle: float = ...,
            cone_outer_gain: float = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> PannerNode: ...
    def create_peak_comp(
            self, *,
            threshold: float = ...,
            ratio: float = ...,
            attack: float = ...,
            release: float = ...,
            makeup: float = ...,
            knee: float = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> PeakCompNode: ...
    def create_ping_pong_delay(
            self, *,
            tempo: float = ...,
            note: Literal['whole', 'half', 'quarter', 'eighth', 'sixteenth', 'thirty-second', 'dotted-whole', 'dotted-half', 'dotted-quarter', 'dotted-eighth', 'dotted-sixteenth', 'dotted-thirty-second', 'whole-triplet', 'half-triplet', 'quarter-triplet', 'eighth-triplet', 'sixteenth-triplet', 'thirty-second-triplet'] = ...,
            max_delay_time: float = ...,
            feedback: float = ...,
            wet: float = ...,
            dry: float = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> PingPongDelayNode: ...
    def create_polyblep(
            self, *,
            type: _PolyBLEPType = ...,
            frequency: float = ...,
            detune: float = ...,
            amplitude: float = ...,
            pulse_width: float = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> PolyBLEPNode: ...
    def create_power_monitor(
            self, *,
            window_size: int = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> PowerMonitorNode: ...
    def create_pwm(
            self, *,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> PWMNode: ...
    def create_recorder(
            self, *,
            channels: int = ...) -> RecorderNode: ...
    def create_sampled_audio(
            self, *,
            buffer: Union[AudioBuffer, _Path, None] = ...,
            playback_rate: float = ...,
            detune: float = ...,
            interpolation: Optional[_Interpolation] = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> SampledAudioNode: ...
    def create_sfxr(
            self, *,
            wave_type: _SfxrWave = ...,
            attack: float = ...,
            sustain: float = ...,
            sustain_punch: float = ...,
            decay: float = ...,
            start_frequency: float = ...,
            min_frequency: float = ...,
            slide: float = ...,
            delta_slide: float = ...,
            vibrato_depth: float = ...,
            vibrato_speed: float = ...,
            change_amount: float = ...,
            change_speed: float = ...,
            square_duty: float = ...,
            duty_sweep: float = ...,
            repeat_speed: float = ...,
            phaser_offset: float = ...,
            phaser_sweep: float = ...,
            lpf_cutoff: float = ...,
            lpf_cutoff_sweep: float = ...,
            lpf_resonance: float = ...,
            hpf_cutoff: float = ...,
            hpf_cutoff_sweep: float = ...,
            volume: float = ...,
            seed: Optional[int] = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> SfxrNode: ...
    def create_spectral_monitor(
            self, *,
            window_size: int = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> SpectralMonitorNode: ...
    def create_stereo_panner(
            self, *,
            pan: float = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> StereoPannerNode: ...
    def create_supersaw(
            self, *,
            voices: int = ...,
            frequency: float = ...,
            detune: float = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> SupersawNode: ...
    def create_wave_shaper(
            self, *,
            curve: Optional[_FloatSequence] = ...,
            oversample: _OverSampleType = ...,
            channel_count: int = ...,
            channel_count_mode: _ChannelCountMode = ...,
            channel_interpretation: _ChannelInterpretation = ...) -> WaveShaperNode: ...
    # --- end of the generated factories ---
    @property
    def current_time(self) -> float: ...
    @property
    def sample_rate(self) -> float: ...
    interpolation: _Interpolation
    @property
    def render_quantum_size(self) -> int: ...
    @property
    def state(self) -> _ContextState: ...
    @property
    def destination(self) -> AudioDestinationNode: ...
    @property
    def stats(self) -> _ContextStats: ...
    def graph(self) -> Graph: ...
    def profile(self, nodes: Optional[Sequence[AudioNode]] = None) -> Profile: ...
    onstatechange: Optional[Callable[[Event], Any]]
    def create_buffer(self, number_of_channels: int, length: int, sample_rate: float) -> AudioBuffer: ...
    def decode_audio_data(self, audio_data: Union[bytes, bytearray, memoryview, str, os.PathLike[str]], success_callback: Optional[Callable[[AudioBuffer], Any]] = None, error_callback: Optional[Callable[[Exception], Any]] = None) -> AudioBuffer: ...
    def create_analyzer(self, **options: Any) -> AnalyserNode: ...
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
    # filters, delay, routing and shaping
    # spatial and dynamics nodes
    @property
    def listener(self) -> AudioListener: ...
    # Python processing nodes (_processing.py)
    def create_function(
        self, channels: int = 1, *, mode: Optional[_ProcessingMode] = None,
        lookahead: Optional[int] = None,
    ) -> FunctionNode: ...
    def create_processor(
        self,
        processor: type[AudioProcessor],
        *,
        number_of_inputs: int = 1,
        number_of_outputs: int = 1,
        output_channel_count: Optional[Sequence[int]] = None,
        parameter_data: Optional[Mapping[str, float]] = None,
        channel_count: Optional[int] = None,
        channel_count_mode: Optional[_ChannelCountMode] = None,
        channel_interpretation: Optional[_ChannelInterpretation] = None,
        mode: Optional[_ProcessingMode] = None,
        lookahead: Optional[int] = None,
        **processor_options: Any,
    ) -> AudioProcessorNode: ...
    # nodes by name (_registry.py)
    def create(self, name: str, /, **options: Any) -> AudioNode: ...
    # graphs as data (labsound/_graph.py)
    def to_dict(self, *, inline_buffers: bool = False, encoding: Literal["base64", "list", "none"] = "base64") -> dict[str, Any]: ...
    # the extended node set, first part (extended_a.c)
    # the extended node set: monitors, peak compressor, PWM (extended_dyn.c)
    # stream sources (labsound/_streams.py)
    def create_stream_source(self, source: Union[str, os.PathLike[str], AudioBuffer, npt.ArrayLike, _Iterable[npt.ArrayLike], Any], /, *, channels: Optional[int] = None, sample_rate: Optional[float] = None, buffer_frames: Optional[int] = None, block_frames: int = 4096, onerror: Optional[Callable[[BaseException], Any]] = None) -> StreamSourceNode: ...
    def _create_stream_source(self, channels: int, buffer_frames: int, /) -> StreamSourceNode: ...

class AudioContext(BaseAudioContext):
    def __init__(
        self,
        sample_rate: float = 44100,
        channels: int = 2,
        buffer_size: int = 256,
        *,
        latency_hint: Union[None, float, Literal["interactive", "balanced", "playback"]] = None,
        device: Union[None, int, str] = None,
        start: bool = True,
        interpolation: Optional[_Interpolation] = None,
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
    def get_output_timestamp(self) -> dict[str, float]: ...
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
    def __init__(self, number_of_channels: int, length: int, sample_rate: float, *,
                 interpolation: Optional[_Interpolation] = None) -> None: ...
    @overload
    def __init__(self, *, channels: int, length: int, sample_rate: float,
                 interpolation: Optional[_Interpolation] = None) -> None: ...
    @overload
    def __init__(self, *, number_of_channels: int = 1, length: int, sample_rate: float,
                 interpolation: Optional[_Interpolation] = None) -> None: ...
    @overload
    def __init__(self, options: Mapping[str, Any], /) -> None: ...
    @overload
    def __init__(self, number_of_channels: int = 1, length: None = None, sample_rate: float = ..., *, tail: float = 1.0, max_length: Optional[int] = None, tail_threshold: float = 1e-4) -> None: ...
    @overload
    def __init__(self, *, channels: int, length: None, sample_rate: float, tail: float = 1.0, max_length: Optional[int] = None, tail_threshold: float = 1e-4) -> None: ...
    # None for an open-ended context (length=None)
    @property
    def length(self) -> Optional[int]: ...
    @property
    def max_length(self) -> int: ...
    @property
    def open_ended(self) -> bool: ...
    oncomplete: Optional[Callable[[Event], Any]]
    # audio as streams (labsound/_streams.py)
    def stream(self, block_frames: int = 8192) -> _Iterator[npt.NDArray[np.float32]]: ...
    def render_to(self, path: Union[str, os.PathLike[str]], *, subtype: Optional[str] = None, progress: Union[bool, None, Callable[[int, Optional[int]], Any]] = None, block_frames: int = 8192) -> int: ...
    def _render_into(self, out: npt.NDArray[np.float32], /) -> int: ...
    # None when rendering stops at a suspension without a callback
    def start_rendering(self, progress: Optional[Callable[[int, int], Any]] = None, *, progress_interval: Optional[int] = None) -> Optional[AudioBuffer]: ...
    # graphs as data (labsound/_graph.py)
    @classmethod
    def from_dict(cls, d: Mapping[str, Any], *, length: Optional[int] = None, number_of_channels: Optional[int] = None, sample_rate: Optional[float] = None) -> OfflineAudioContext: ...
    def render(self, progress: Optional[Callable[[int, int], Any]] = None, *, progress_interval: Optional[int] = None) -> Optional[AudioBuffer]: ...
    def suspend(self, suspend_time: float, callback: Optional[Callable[[], Any]] = None) -> None: ...
    def resume(self) -> Optional[AudioBuffer]: ...

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
    name: Optional[str]
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
    def from_numpy(cls, array: npt.ArrayLike, sample_rate: float, copy: Optional[bool] = None) -> AudioBuffer: ...
    # DLPack
    @classmethod
    def from_dlpack(cls, tensor: Any, sample_rate: float, copy: Optional[bool] = None) -> AudioBuffer: ...
    def __dlpack__(self, *, stream: Optional[int] = None, max_version: Optional[tuple[int, int]] = None, dl_device: Optional[tuple[int, int]] = None, copy: Optional[bool] = None) -> Any: ...
    def __dlpack_device__(self) -> tuple[int, int]: ...
    def save(self, path: Union[str, bytes, os.PathLike[str], os.PathLike[bytes]], bits: Union[int, Literal["pcm8", "pcm16", "pcm24", "pcm32", "float32", "float64"]] = 16) -> None: ...
    def __len__(self) -> int: ...
    if sys.version_info >= (3, 12):
        def __buffer__(self, flags: int, /) -> memoryview: ...
    def _repr_html_(self) -> str: ...

class MediaStreamAudioSourceNode(AudioNode):
    def __init__(self, context: AudioContext, device: Optional[int] = None, channels: int = 1) -> None: ...

class DeviceInfo(NamedTuple):
    index: int  # type: ignore[assignment]  # a field named like tuple.index
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

class PulseSink(NamedTuple):
    index: int  # type: ignore[assignment]  # a field named like tuple.index
    name: str
    description: str
    channels: int
    sample_rate: int
    is_default: bool

def pulse_sinks(timeout: float = 2.0) -> tuple[list[PulseSink], str]: ...

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

# ---- files, buffer sources, analyser, recorder --------------------------------

_Path = Union[str, os.PathLike[str]]

class DecodeError(LabSoundError, ValueError): ...
class ClippingWarning(UserWarning): ...

def load(path: Union[_Path, bytes, bytearray, memoryview], sample_rate: Optional[float] = None, mono: bool = False) -> AudioBuffer: ...
def resample(buffer: AudioBuffer, sample_rate: float) -> AudioBuffer: ...

__all__: list[str]
# ---- filters, delay, routing and shaping ----------------------------------

_BiquadFilterType = Literal[
    "lowpass", "highpass", "bandpass", "lowshelf", "highshelf", "peaking", "notch", "allpass"
]
_OverSampleType = Literal["none", "2x", "4x"]
_Response = tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]

_PanningModel = Literal["equalpower", "HRTF"]
_DistanceModel = Literal["linear", "inverse", "exponential"]

@final
class AudioListener:
    @property
    def position_x(self) -> AudioParam: ...
    @property
    def position_y(self) -> AudioParam: ...
    @property
    def position_z(self) -> AudioParam: ...
    @property
    def forward_x(self) -> AudioParam: ...
    @property
    def forward_y(self) -> AudioParam: ...
    @property
    def forward_z(self) -> AudioParam: ...
    @property
    def up_x(self) -> AudioParam: ...
    @property
    def up_y(self) -> AudioParam: ...
    @property
    def up_z(self) -> AudioParam: ...
    def set_position(self, x: float, y: float, z: float) -> None: ...
    def set_orientation(self, x: float, y: float, z: float, x_up: float, y_up: float, z_up: float) -> None: ...

def rfft(x: npt.ArrayLike, /) -> npt.NDArray[np.complex64]: ...
def irfft(x: npt.ArrayLike, /) -> npt.NDArray[np.float32]: ...

# ---- Python processing nodes ----------------------------------------------

_ProcessingMode = Literal["auto", "sync", "worker"]
_F32 = npt.NDArray[np.float32]

class ProcessingWarning(RuntimeWarning): ...
class RealtimeWarning(RuntimeWarning): ...

class ProcessingStats:
    calls: int
    misses: int
    dropped: int
    errored: bool
    def __init__(self, calls: int, misses: int, dropped: int, errored: bool) -> None: ...

class AudioParamDescriptor:
    name: str
    default_value: float
    min_value: float
    max_value: float
    automation_rate: _AutomationRate
    def __init__(self, name: str, default_value: float = ..., min_value: float = ...,
                 max_value: float = ..., automation_rate: _AutomationRate = ...) -> None: ...

class MessageEvent:
    data: Any
    def __init__(self, data: Any) -> None: ...

class MessagePort:
    onmessage: Optional[Callable[[MessageEvent], Any]]
    def post_message(self, message: Any) -> None: ...
    def close(self) -> None: ...

class AudioProcessor:
    parameters: Sequence[Any]
    port: MessagePort
    def process(self, inputs: list[_F32], outputs: list[_F32], parameters: dict[str, _F32]) -> bool: ...

class _ScriptNode:
    @property
    def error(self) -> Optional[BaseException]: ...
    @property
    def stats(self) -> ProcessingStats: ...
    @property
    def lookahead(self) -> int: ...
    @property
    def latency(self) -> float: ...
    @property
    def block_time(self) -> float: ...

class FunctionNode(_ScriptNode, AudioScheduledSourceNode):
    def __new__(cls, context: BaseAudioContext, channels: int = 1, *,
                mode: Optional[_ProcessingMode] = None,
                lookahead: Optional[int] = None) -> FunctionNode: ...
    @property
    def channels(self) -> int: ...
    def set_process_function(self, fn: Optional[Callable[[int, _F32], Any]]) -> None: ...
    @property
    def process_function(self) -> Optional[Callable[[int, _F32], Any]]: ...

class AudioProcessorNode(_ScriptNode, AudioNode):
    parameters: dict[str, AudioParam]
    port: MessagePort
    def __new__(cls, context: BaseAudioContext, processor: type[AudioProcessor], *,
                number_of_inputs: int = 1, number_of_outputs: int = 1,
                output_channel_count: Optional[Sequence[int]] = None,
                parameter_data: Optional[Mapping[str, float]] = None,
                channel_count: Optional[int] = None,
                channel_count_mode: Optional[_ChannelCountMode] = None,
                channel_interpretation: Optional[_ChannelInterpretation] = None,
                mode: Optional[_ProcessingMode] = None, lookahead: Optional[int] = None,
                **processor_options: Any) -> AudioProcessorNode: ...
    @property
    def processor(self) -> Optional[AudioProcessor]: ...


# Notebook views: ctx.graph()
class Graph:
    context: BaseAudioContext
    destination: AudioDestinationNode
    nodes: list[AudioNode]
    edges: list[tuple[AudioNode, int, Union[AudioNode, AudioParam], Optional[int]]]
    def __init__(self, context: BaseAudioContext) -> None: ...
    def label(self, node: AudioNode) -> str: ...
    def description(self) -> dict[str, Any]: ...
    def layout(self, max_width: float = 1500.0) -> Any: ...
    def to_svg(self, engine: Literal["auto", "builtin", "graphviz"] = "auto",
               max_width: float = 1500.0) -> str: ...
    def to_dot(self) -> str: ...
    def _repr_svg_(self) -> str: ...
    def save(self, path: Union[str, os.PathLike[str]],
             engine: Literal["auto", "builtin", "graphviz"] = "auto") -> None: ...

# The render profiler: with ctx.profile() as p
class NodeProfile:
    node: AudioNode
    label: str
    quanta: int
    mean: float
    worst: float
    total: float
    share: float
    calls: Optional[int]
    misses: Optional[int]
    callback_time: Optional[float]

class Profile:
    context: BaseAudioContext
    budget: float
    nodes: list[NodeProfile]
    quanta: int
    mean: float
    worst: float
    wall: float
    def __init__(self, context: BaseAudioContext, nodes: Optional[list[AudioNode]] = None) -> None: ...
    def __enter__(self) -> Profile: ...
    def __exit__(self, *exc: Any) -> None: ...
    @property
    def share(self) -> float: ...
    def table(self, file: Any = None) -> str: ...
    def plot(self, ax: Any = None) -> Any: ...

# ---- nodes by name (_registry.py) ------------------------------------------

@final
class ParamInfo:
    name: str
    default: float
    min_value: float
    max_value: float
    automation_rate: _AutomationRate
    def __init__(self, name: str, default: float, min_value: float, max_value: float,
                 automation_rate: _AutomationRate) -> None: ...

@final
class NodeType:
    name: str
    cls: type[AudioNode]
    factory: str
    number_of_inputs: int
    number_of_outputs: int
    is_source: bool
    options: Mapping[str, Any]
    params: tuple[ParamInfo, ...]
    settings: tuple[str, ...]
    def __init__(self, name: str, cls: type[AudioNode], factory: str, number_of_inputs: int,
                 number_of_outputs: int, is_source: bool, options: Mapping[str, Any],
                 params: tuple[ParamInfo, ...], settings: tuple[str, ...]) -> None: ...

def node_types() -> Mapping[str, NodeType]: ...

# ---- the extended node set, first part (extended_a.c) ---------------------

_NoiseType = Literal["white", "pink", "brown"]
_PolyBLEPType = Literal[
    "triangle", "square", "rectangle", "sawtooth", "ramp", "modified_triangle", "modified_square",
    "half_wave_rectified_sine", "full_wave_rectified_sine", "triangular_pulse", "trapezoid_fixed",
    "trapezoid_variable",
]
_ClipMode = Literal["clip", "tanh"]

_SfxrWave = Literal["square", "sawtooth", "sine", "noise"]

_GrainWindow = Literal["hann", "triangle", "gaussian", "tukey", "blackman", "rectangle", "hamming"]

# ---- render_batch: many offline renders in parallel (_batch.py) ------------------

from collections.abc import Iterable as _Iterable, Iterator as _Iterator

class BatchError(LabSoundError):
    index: Optional[int]
    item: Any
    traceback: Optional[str]
    def __init__(self, message: str, index: Optional[int] = None, item: Any = None,
                 traceback: Optional[str] = None) -> None: ...

class BatchResult:
    index: int
    item: Any
    buffer: Union[AudioBuffer, npt.NDArray[np.float32], None]
    error: Optional[BaseException]
    traceback: Optional[str]
    sample_rate: Optional[float]
    seconds: float
    def __init__(self, index: int, item: Any, buffer: Any = None, error: Optional[BaseException] = None,
                 traceback: Optional[str] = None, sample_rate: Optional[float] = None,
                 seconds: float = 0.0) -> None: ...
    @property
    def ok(self) -> bool: ...

def render_batch(
    build: Callable[[Any], Union[OfflineAudioContext, AudioBuffer, Mapping[str, Any]]],
    items: _Iterable[Any],
    *,
    workers: Optional[int] = None,
    progress: Union[bool, Callable[[int, Optional[int]], Any]] = False,
    ordered: bool = True,
    client: Any = None,
    chunksize: int = 1,
    errors: Literal["raise", "return"] = "raise",
    output: Literal["buffer", "numpy"] = "buffer",
    mp_context: Any = None,
) -> _Iterator[BatchResult]: ...
# graphs as data: labsound.graph.dump(ctx) / labsound.graph.load(d)
from . import graph as graph


# audio as streams (labsound/_streams.py, python/src/nodes/stream_source.c)
class StreamSourceNode(AudioNode):
    def __init__(self, context: BaseAudioContext, source: Any, *, channels: Optional[int] = None, sample_rate: Optional[float] = None, buffer_frames: Optional[int] = None, block_frames: int = 4096, onerror: Optional[Callable[[BaseException], Any]] = None) -> None: ...
    @property
    def writable_frames(self) -> int: ...
    @property
    def queued_frames(self) -> int: ...
    @property
    def underruns(self) -> int: ...
    @property
    def frames_played(self) -> int: ...
    @property
    def finished(self) -> bool: ...
    @property
    def capacity_frames(self) -> int: ...
    @property
    def channels(self) -> int: ...
    def _write(self, block: npt.NDArray[np.float32], /) -> int: ...
    def _write_frames(self, block: npt.NDArray[Any], /) -> int: ...
    def _end(self, discard: bool = False, /) -> None: ...

class StreamSourceError(LabSoundError, ValueError): ...
class StreamSourceWarning(RuntimeWarning): ...

# everyday tasks in one call (labsound/_tasks.py)
def play(data: Union[npt.ArrayLike, AudioBuffer, _Path, Any], sample_rate: Optional[float] = None, blocking: bool = True, *, device: Any = None, channels: int = 2) -> Optional[AudioContext]: ...
def record(seconds: float, sample_rate: float = 48000, channels: int = 1, *, device: Any = None) -> npt.NDArray[np.float32]: ...
def process(input: Union[_Path, AudioBuffer, npt.ArrayLike, _Iterable[npt.ArrayLike], Any], chain: Callable[[OfflineAudioContext, StreamSourceNode], AudioNode], output: Optional[_Path] = None, *, sample_rate: Optional[float] = None, channels: Optional[int] = None, tail: float = 1.0, tail_threshold: float = 1e-4, max_length: Optional[int] = None, subtype: Optional[str] = None, block_frames: int = 65536, progress: Union[bool, None, Callable[[int, Optional[int]], Any]] = None) -> Optional[npt.NDArray[np.float32]]: ...

# --- node classes generated from the engine's descriptors (scripts/gen_nodes.py) ---
class ADSRNode(AudioNode):
    """An attack-decay-sustain-release envelope driven by its gate, applied to its input."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 attack_time: float = 0.125,
                 attack_level: float = 1.0,
                 decay_time: float = 0.125,
                 sustain_time: float = 0.125,
                 sustain_level: float = 0.5,
                 release_time: float = 0.125,
                 one_shot: bool = False,
                 channel_count: int = 2,
                 channel_count_mode: _ChannelCountMode = 'max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    @property
    def gate(self) -> AudioParam: ...
    @property
    def attack_time(self) -> AudioParam: ...
    @property
    def attack_level(self) -> AudioParam: ...
    @property
    def decay_time(self) -> AudioParam: ...
    @property
    def sustain_time(self) -> AudioParam: ...
    @property
    def sustain_level(self) -> AudioParam: ...
    @property
    def release_time(self) -> AudioParam: ...
    one_shot: bool
    def gate_on(self, when: float = 0.0) -> None: ...
    def gate_off(self, when: float = 0.0) -> None: ...

class AnalyserNode(AudioNode):
    """Passes its input through and gives its waveform and spectrum."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 fft_size: int = 2048,
                 min_decibels: float = -100.0,
                 max_decibels: float = -30.0,
                 smoothing_time_constant: float = 0.8,
                 channel_count: int = 2,
                 channel_count_mode: _ChannelCountMode = 'max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    fft_size: int
    min_decibels: float
    max_decibels: float
    smoothing_time_constant: float
    @property
    def frequency_bin_count(self) -> int: ...
    def get_float_frequency_data(self, array: Optional[npt.NDArray[np.float32]] = None) -> npt.NDArray[np.float32]: ...
    def get_byte_frequency_data(self, array: Optional[npt.NDArray[np.uint8]] = None) -> npt.NDArray[np.uint8]: ...
    def get_float_time_domain_data(self, array: Optional[npt.NDArray[np.float32]] = None) -> npt.NDArray[np.float32]: ...
    def get_byte_time_domain_data(self, array: Optional[npt.NDArray[np.uint8]] = None) -> npt.NDArray[np.uint8]: ...
    def get_frequency_data(self, array: Optional[npt.NDArray[np.float32]] = None) -> npt.NDArray[np.float32]: ...

class AudioBufferSourceNode(AudioScheduledSourceNode):
    """Plays an AudioBuffer, once or looping."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 buffer: Union[AudioBuffer, _Path, None] = None,
                 loop: bool = False,
                 loop_start: float = 0.0,
                 loop_end: float = 0.0,
                 playback_rate: float = 1.0,
                 detune: float = 0.0,
                 interpolation: Optional[_Interpolation] = None,
                 channel_count: int = 2,
                 channel_count_mode: _ChannelCountMode = 'max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    @property
    def playback_rate(self) -> AudioParam: ...
    @property
    def detune(self) -> AudioParam: ...
    buffer: Optional[AudioBuffer]
    loop: bool
    loop_start: float
    loop_end: float
    interpolation: _Interpolation
    def start(self, when: float = 0.0, offset: float = 0.0, duration: Optional[float] = None) -> None: ...  # type: ignore[override]

class BiquadFilterNode(AudioNode):
    """A second-order filter of the Audio EQ Cookbook's kinds."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 type: _BiquadFilterType = 'lowpass',
                 frequency: float = 350.0,
                 detune: float = 0.0,
                 Q: float = 1.0,
                 gain: float = 0.0,
                 channel_count: int = 2,
                 channel_count_mode: _ChannelCountMode = 'max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    @property
    def frequency(self) -> AudioParam: ...
    @property
    def detune(self) -> AudioParam: ...
    @property
    def Q(self) -> AudioParam: ...
    @property
    def gain(self) -> AudioParam: ...
    type: _BiquadFilterType
    @property
    def q(self) -> AudioParam: ...
    def get_frequency_response(
        self,
        frequencies: _FloatSequence,
        mag_out: Optional[npt.NDArray[np.float32]] = None,
        phase_out: Optional[npt.NDArray[np.float32]] = None,
    ) -> _Response: ...

class BPMDelayNode(AudioNode):
    """A delay whose time is a note value at a tempo."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 tempo: float = 120.0,
                 note: Literal['whole', 'half', 'quarter', 'eighth', 'sixteenth', 'thirty-second', 'dotted-whole', 'dotted-half', 'dotted-quarter', 'dotted-eighth', 'dotted-sixteenth', 'dotted-thirty-second', 'whole-triplet', 'half-triplet', 'quarter-triplet', 'eighth-triplet', 'sixteenth-triplet', 'thirty-second-triplet'] = 'quarter',
                 max_delay_time: float = 2.0,
                 channel_count: int = 2,
                 channel_count_mode: _ChannelCountMode = 'max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    tempo: float
    note: Literal['whole', 'half', 'quarter', 'eighth', 'sixteenth', 'thirty-second', 'dotted-whole', 'dotted-half', 'dotted-quarter', 'dotted-eighth', 'dotted-sixteenth', 'dotted-thirty-second', 'whole-triplet', 'half-triplet', 'quarter-triplet', 'eighth-triplet', 'sixteenth-triplet', 'thirty-second-triplet']
    @property
    def delay_time(self) -> float: ...
    @property
    def max_delay_time(self) -> float: ...

class ChannelMergerNode(AudioNode):
    """Merges mono inputs into the channels of one output."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 number_of_inputs: int = 6,
                 channel_count: int = 1,
                 channel_count_mode: _ChannelCountMode = 'explicit',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...

class ChannelSplitterNode(AudioNode):
    """Splits its input's channels to separate mono outputs."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 number_of_outputs: int = 6,
                 channel_count: int = 6,
                 channel_count_mode: _ChannelCountMode = 'explicit',
                 channel_interpretation: _ChannelInterpretation = 'discrete') -> None: ...

class ClipNode(AudioNode):
    """A hard clipper or a tanh saturator."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 mode: _ClipMode = 'clip',
                 a: float = -1.0,
                 b: float = 1.0,
                 channel_count: int = 2,
                 channel_count_mode: _ChannelCountMode = 'max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    @property
    def a(self) -> AudioParam: ...
    @property
    def b(self) -> AudioParam: ...
    mode: _ClipMode

class ConstantSourceNode(AudioScheduledSourceNode):
    """Outputs its offset param: a constant, or whatever automates it."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 offset: float = 1.0,
                 channel_count: int = 2,
                 channel_count_mode: _ChannelCountMode = 'max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    @property
    def offset(self) -> AudioParam: ...

class ConvolverNode(AudioNode):
    """Convolves its input with an impulse response (reverb)."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 buffer: Optional[AudioBuffer] = None,
                 disable_normalization: bool = False,
                 channel_count: int = 2,
                 channel_count_mode: _ChannelCountMode = 'clamped-max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    buffer: Optional[AudioBuffer]
    normalize: bool

class DelayNode(AudioNode):
    """A delay line with linear interpolation; breaks cycles of the graph."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 max_delay_time: float = 1.0,
                 delay_time: float = 0.0,
                 channel_count: int = 2,
                 channel_count_mode: _ChannelCountMode = 'max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    @property
    def delay_time(self) -> AudioParam: ...

class DiodeNode(AudioNode):
    """Parker's diode model, the ring modulator's diode."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 distortion: float = 1.0,
                 vb: float = 0.2,
                 vl: float = 0.4,
                 channel_count: int = 2,
                 channel_count_mode: _ChannelCountMode = 'max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    @property
    def distortion(self) -> AudioParam: ...
    @property
    def vb(self) -> AudioParam: ...
    @property
    def vl(self) -> AudioParam: ...

class DynamicsCompressorNode(AudioNode):
    """Lowers the volume of the loudest parts (the Web Audio compressor)."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 attack: float = 0.003,
                 knee: float = 30.0,
                 ratio: float = 12.0,
                 release: float = 0.25,
                 threshold: float = -24.0,
                 channel_count: int = 2,
                 channel_count_mode: _ChannelCountMode = 'clamped-max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    @property
    def threshold(self) -> AudioParam: ...
    @property
    def knee(self) -> AudioParam: ...
    @property
    def ratio(self) -> AudioParam: ...
    @property
    def attack(self) -> AudioParam: ...
    @property
    def release(self) -> AudioParam: ...
    @property
    def reduction(self) -> float: ...

class GainNode(AudioNode):
    """Multiplies its input by the gain param."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 gain: float = 1.0,
                 channel_count: int = 2,
                 channel_count_mode: _ChannelCountMode = 'max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    @property
    def gain(self) -> AudioParam: ...

class GranulationNode(AudioScheduledSourceNode):
    """Granular synthesis: overlapping windowed grains read from a buffer."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 buffer: AudioBuffer,
                 grain_duration: float = 0.1,
                 grain_rate: float = 20.0,
                 position_start: float = 0.0,
                 position_end: Optional[float] = None,
                 playback_rate: float = 1.0,
                 window: _GrainWindow = 'hann',
                 seed: int = 0,
                 max_voices: int = 8,
                 interpolation: Optional[_Interpolation] = None) -> None: ...
    @property
    def grain_duration(self) -> AudioParam: ...
    @property
    def grain_rate(self) -> AudioParam: ...
    @property
    def position_start(self) -> AudioParam: ...
    @property
    def position_end(self) -> AudioParam: ...
    @property
    def playback_rate(self) -> AudioParam: ...
    window: _GrainWindow
    @property
    def seed(self) -> int: ...
    @property
    def max_voices(self) -> int: ...
    interpolation: _Interpolation
    @property
    def buffer(self) -> AudioBuffer: ...
    @property
    def grains_started(self) -> int: ...
    @property
    def grains_dropped(self) -> int: ...

class IIRFilterNode(AudioNode):
    """A general IIR filter from its transfer function's coefficients."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 feedforward: Sequence[SupportsFloat],
                 feedback: Sequence[SupportsFloat],
                 channel_count: int = 2,
                 channel_count_mode: _ChannelCountMode = 'max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    def get_frequency_response(
        self,
        frequencies: _FloatSequence,
        mag_out: Optional[npt.NDArray[np.float32]] = None,
        phase_out: Optional[npt.NDArray[np.float32]] = None,
    ) -> _Response: ...

class NoiseNode(AudioScheduledSourceNode):
    """White, pink or brown noise from a seeded generator."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 type: _NoiseType = 'white',
                 seed: Optional[int] = None,
                 channel_count: int = 1,
                 channel_count_mode: _ChannelCountMode = 'max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    type: _NoiseType
    @property
    def seed(self) -> int: ...

class OscillatorNode(AudioScheduledSourceNode):
    """A periodic waveform: a built-in shape or a PeriodicWave."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 type: _OscillatorType = 'sine',
                 frequency: float = 440.0,
                 detune: float = 0.0,
                 periodic_wave: Optional[PeriodicWave] = None,
                 channel_count: int = 2,
                 channel_count_mode: _ChannelCountMode = 'max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    @property
    def frequency(self) -> AudioParam: ...
    @property
    def detune(self) -> AudioParam: ...
    type: _OscillatorType
    def set_periodic_wave(self, wave: PeriodicWave, /) -> None: ...

class PannerNode(AudioNode):
    """Places its input in 3D space relative to the context's listener."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 panning_model: _PanningModel = 'equalpower',
                 distance_model: _DistanceModel = 'inverse',
                 position_x: float = 0.0,
                 position_y: float = 0.0,
                 position_z: float = 0.0,
                 orientation_x: float = 1.0,
                 orientation_y: float = 0.0,
                 orientation_z: float = 0.0,
                 ref_distance: float = 1.0,
                 max_distance: float = 10000.0,
                 rolloff_factor: float = 1.0,
                 cone_inner_angle: float = 360.0,
                 cone_outer_angle: float = 360.0,
                 cone_outer_gain: float = 0.0,
                 channel_count: int = 2,
                 channel_count_mode: _ChannelCountMode = 'clamped-max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    @property
    def position_x(self) -> AudioParam: ...
    @property
    def position_y(self) -> AudioParam: ...
    @property
    def position_z(self) -> AudioParam: ...
    @property
    def orientation_x(self) -> AudioParam: ...
    @property
    def orientation_y(self) -> AudioParam: ...
    @property
    def orientation_z(self) -> AudioParam: ...
    panning_model: _PanningModel
    distance_model: _DistanceModel
    ref_distance: float
    max_distance: float
    rolloff_factor: float
    cone_inner_angle: float
    cone_outer_angle: float
    cone_outer_gain: float
    def set_position(self, x: float, y: float, z: float) -> None: ...
    def set_orientation(self, x: float, y: float, z: float) -> None: ...

class PeakCompNode(AudioNode):
    """A peak compressor with a soft knee and makeup gain."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 threshold: float = -20.0,
                 ratio: float = 4.0,
                 attack: float = 0.001,
                 release: float = 0.1,
                 makeup: float = 0.0,
                 knee: float = 0.0,
                 channel_count: int = 2,
                 channel_count_mode: _ChannelCountMode = 'max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    @property
    def threshold(self) -> AudioParam: ...
    @property
    def ratio(self) -> AudioParam: ...
    @property
    def attack(self) -> AudioParam: ...
    @property
    def release(self) -> AudioParam: ...
    @property
    def makeup(self) -> AudioParam: ...
    @property
    def knee(self) -> AudioParam: ...

class PingPongDelayNode(AudioNode):
    """A stereo delay bouncing between the left and right channels."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 tempo: float = 120.0,
                 note: Literal['whole', 'half', 'quarter', 'eighth', 'sixteenth', 'thirty-second', 'dotted-whole', 'dotted-half', 'dotted-quarter', 'dotted-eighth', 'dotted-sixteenth', 'dotted-thirty-second', 'whole-triplet', 'half-triplet', 'quarter-triplet', 'eighth-triplet', 'sixteenth-triplet', 'thirty-second-triplet'] = 'eighth',
                 max_delay_time: float = 2.0,
                 feedback: float = 0.5,
                 wet: float = 1.0,
                 dry: float = 1.0,
                 channel_count: int = 2,
                 channel_count_mode: _ChannelCountMode = 'clamped-max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    @property
    def feedback(self) -> AudioParam: ...
    @property
    def wet(self) -> AudioParam: ...
    @property
    def dry(self) -> AudioParam: ...
    tempo: float
    note: Literal['whole', 'half', 'quarter', 'eighth', 'sixteenth', 'thirty-second', 'dotted-whole', 'dotted-half', 'dotted-quarter', 'dotted-eighth', 'dotted-sixteenth', 'dotted-thirty-second', 'whole-triplet', 'half-triplet', 'quarter-triplet', 'eighth-triplet', 'sixteenth-triplet', 'thirty-second-triplet']
    @property
    def delay_time(self) -> float: ...
    @property
    def max_delay_time(self) -> float: ...

class PolyBLEPNode(AudioScheduledSourceNode):
    """Quasi-band-limited classic waveforms (PolyBLEP corrections at each discontinuity)."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 type: _PolyBLEPType = 'sawtooth',
                 frequency: float = 440.0,
                 detune: float = 0.0,
                 amplitude: float = 1.0,
                 pulse_width: float = 0.5,
                 channel_count: int = 2,
                 channel_count_mode: _ChannelCountMode = 'max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    @property
    def frequency(self) -> AudioParam: ...
    @property
    def detune(self) -> AudioParam: ...
    @property
    def amplitude(self) -> AudioParam: ...
    @property
    def pulse_width(self) -> AudioParam: ...
    type: _PolyBLEPType

class PowerMonitorNode(AudioNode):
    """Passes its input through and measures its level in dB."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 window_size: int = 128,
                 channel_count: int = 2,
                 channel_count_mode: _ChannelCountMode = 'max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    @property
    def window_size(self) -> int: ...
    @property
    def db(self) -> float: ...

class PWMNode(AudioNode):
    """Pulse-width modulation: input 0 the carrier, input 1 the modulator."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 channel_count: int = 1,
                 channel_count_mode: _ChannelCountMode = 'max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...

class RecorderNode(AudioNode):
    """Records its input into memory, passing it through."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 channels: int = 2) -> None: ...
    @property
    def frames(self) -> int: ...
    @property
    def channels(self) -> int: ...
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def to_buffer(self) -> AudioBuffer: ...
    def save(self, path: _Path, bits: Union[int, str] = 16) -> None: ...
    @property
    def recorded_frames(self) -> int: ...
    @property
    def dropped_frames(self) -> int: ...

class SampledAudioNode(AudioNode):
    """A sampler: plays its buffer once per schedule, voices overlapping."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 buffer: Union[AudioBuffer, _Path, None] = None,
                 playback_rate: float = 1.0,
                 detune: float = 0.0,
                 interpolation: Optional[_Interpolation] = None,
                 channel_count: int = 2,
                 channel_count_mode: _ChannelCountMode = 'max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    @property
    def playback_rate(self) -> AudioParam: ...
    @property
    def detune(self) -> AudioParam: ...
    buffer: Optional[AudioBuffer]
    interpolation: _Interpolation
    onended: Optional[Callable[[Event], Any]]
    @property
    def schedule_count(self) -> int: ...
    def schedule(self, when: float = 0.0, loop_count: int = 0, offset: float = 0.0,
                 duration: Optional[float] = None) -> None: ...
    def stop(self, when: float = 0.0) -> None: ...
    def clear_schedules(self) -> None: ...

class SfxrNode(AudioScheduledSourceNode):
    """Sfxr's retro sound effects synthesizer, set by its sliders or a preset."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 wave_type: _SfxrWave = 'square',
                 attack: float = 0.0,
                 sustain: float = 0.3,
                 sustain_punch: float = 0.0,
                 decay: float = 0.4,
                 start_frequency: float = 0.3,
                 min_frequency: float = 0.0,
                 slide: float = 0.0,
                 delta_slide: float = 0.0,
                 vibrato_depth: float = 0.0,
                 vibrato_speed: float = 0.0,
                 change_amount: float = 0.0,
                 change_speed: float = 0.0,
                 square_duty: float = 0.0,
                 duty_sweep: float = 0.0,
                 repeat_speed: float = 0.0,
                 phaser_offset: float = 0.0,
                 phaser_sweep: float = 0.0,
                 lpf_cutoff: float = 1.0,
                 lpf_cutoff_sweep: float = 0.0,
                 lpf_resonance: float = 0.0,
                 hpf_cutoff: float = 0.0,
                 hpf_cutoff_sweep: float = 0.0,
                 volume: float = 0.5,
                 seed: Optional[int] = None,
                 channel_count: int = 1,
                 channel_count_mode: _ChannelCountMode = 'max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    wave_type: _SfxrWave
    attack: float
    sustain: float
    sustain_punch: float
    decay: float
    start_frequency: float
    min_frequency: float
    slide: float
    delta_slide: float
    vibrato_depth: float
    vibrato_speed: float
    change_amount: float
    change_speed: float
    square_duty: float
    duty_sweep: float
    repeat_speed: float
    phaser_offset: float
    phaser_sweep: float
    lpf_cutoff: float
    lpf_cutoff_sweep: float
    lpf_resonance: float
    hpf_cutoff: float
    hpf_cutoff_sweep: float
    volume: float
    @property
    def seed(self) -> int: ...
    @property
    def duration(self) -> float: ...
    def coin(self, seed: int = 0) -> SfxrNode: ...
    def laser(self, seed: int = 0) -> SfxrNode: ...
    def explosion(self, seed: int = 0) -> SfxrNode: ...
    def power_up(self, seed: int = 0) -> SfxrNode: ...
    def hit(self, seed: int = 0) -> SfxrNode: ...
    def jump(self, seed: int = 0) -> SfxrNode: ...
    def select(self, seed: int = 0) -> SfxrNode: ...
    def mutate(self, seed: int = 0) -> SfxrNode: ...
    def randomize(self, seed: int = 0) -> SfxrNode: ...

class SpectralMonitorNode(AudioNode):
    """Passes its input through and keeps its latest magnitude spectrum."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 window_size: int = 512,
                 channel_count: int = 2,
                 channel_count_mode: _ChannelCountMode = 'max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    @property
    def window_size(self) -> int: ...
    def spectral_magnitude(self) -> npt.NDArray[np.float32]: ...

class StereoPannerNode(AudioNode):
    """Equal-power panning of a mono or stereo input to stereo."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 pan: float = 0.0,
                 channel_count: int = 2,
                 channel_count_mode: _ChannelCountMode = 'clamped-max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    @property
    def pan(self) -> AudioParam: ...

class SupersawNode(AudioScheduledSourceNode):
    """The mean of several band-limited sawtooths spread around a frequency."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 voices: int = 7,
                 frequency: float = 440.0,
                 detune: float = 12.0,
                 channel_count: int = 2,
                 channel_count_mode: _ChannelCountMode = 'max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    @property
    def frequency(self) -> AudioParam: ...
    @property
    def detune(self) -> AudioParam: ...
    voices: int

class WaveShaperNode(AudioNode):
    """Maps each sample through a curve, optionally oversampled."""
    def __init__(self, context: BaseAudioContext, options: Optional[Mapping[str, Any]] = None, *,
                 curve: Optional[_FloatSequence] = None,
                 oversample: _OverSampleType = 'none',
                 channel_count: int = 2,
                 channel_count_mode: _ChannelCountMode = 'max',
                 channel_interpretation: _ChannelInterpretation = 'speakers') -> None: ...
    oversample: _OverSampleType
    @property
    def curve(self) -> Optional[npt.NDArray[np.float32]]: ...
    @curve.setter
    def curve(self, value: Optional[_FloatSequence]) -> None: ...
# --- end of the generated node classes ---
