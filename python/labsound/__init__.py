"""labsound: a Web Audio engine with a Pythonic interface.

Every Web Audio interface, attribute and method is here under its
snake_case name::

    import labsound as ls

    with ls.AudioContext() as ctx:
        osc = ctx.create_oscillator()
        gain = ctx.create_gain()
        osc.frequency.value = 440
        gain.gain.value = 0.5
        osc >> gain >> ctx.destination
        osc.start(0)
        osc.stop(2)
        ctx.wait(2.5)

Offline rendering returns an :class:`AudioBuffer` whose samples NumPy sees
without a copy (``np.asarray(buf)`` is a ``(channels, frames)`` float32 view).
"""

from . import _events  # noqa: F401  (imported here so contexts can start their thread)
from ._events import Event
from ._core import (
    ENGINE_VERSION,
    MAX_CHANNELS,
    RENDER_QUANTUM,
    AudioBuffer,
    AudioContext,
    AudioDestinationNode,
    AudioNode,
    AudioParam,
    AudioScheduledSourceNode,
    BaseAudioContext,
    ConstantSourceNode,
    GainNode,
    InvalidAccessError,
    InvalidStateError,
    LabSoundError,
    NotSupportedError,
    OfflineAudioContext,
    OscillatorNode,
    PeriodicWave,
)
from ._core import (  # filters, delay, routing and shaping
    BiquadFilterNode,
    ChannelMergerNode,
    ChannelSplitterNode,
    DelayNode,
    IIRFilterNode,
    StereoPannerNode,
    WaveShaperNode,
)
from ._core import AudioListener, ConvolverNode, DynamicsCompressorNode, PannerNode, irfft, rfft

from ._processing import (  # noqa: E402  (adds create_function / create_processor)
    AudioParamDescriptor,
    AudioProcessor,
    AudioProcessorNode,
    FunctionNode,
    MessageEvent,
    MessagePort,
    ProcessingStats,
    ProcessingWarning,
)
from ._events import RealtimeWarning
from ._core import AnalyserNode, AudioBufferSourceNode, ClippingWarning, DecodeError, RecorderNode, resample
from ._files import load
from ._core import MediaStreamAudioSourceNode
from ._devices import DeviceInfo, PulseSink, devices, devices_available, pulse_sinks

from . import _core, _registry  # noqa: E402
from ._registry import NodeType, ParamInfo, node_types  # nodes by name (ctx.create)
from ._core import ADSRNode, ClipNode, DiodeNode, NoiseNode, PolyBLEPNode, SupersawNode  # extended nodes
from ._core import SfxrNode  # extended nodes: sfxr
from ._core import GranulationNode  # extended nodes: granulation
from ._core import StreamSourceNode  # audio fed from outside the graph (context.create_stream_source)
from ._streams import StreamSourceError, StreamSourceWarning  # streams, files (labsound/_streams.py)
from ._tasks import play, process, record  # everyday tasks in one call (labsound/_tasks.py)

__version__ = ENGINE_VERSION  # the C engine's ls_version(); pyproject.toml agrees

__all__ = [
    "AudioBuffer",
    "AudioContext",
    "AudioDestinationNode",
    "AudioNode",
    "AudioParam",
    "AudioScheduledSourceNode",
    "BaseAudioContext",
    "ConstantSourceNode",
    "ENGINE_VERSION",
    "Event",
    "GainNode",
    "InvalidAccessError",
    "InvalidStateError",
    "LabSoundError",
    "MAX_CHANNELS",
    "NotSupportedError",
    "OfflineAudioContext",
    "OscillatorNode",
    "PeriodicWave",
    "RENDER_QUANTUM",
    "__version__",
    "BiquadFilterNode",
    "ChannelMergerNode",
    "ChannelSplitterNode",
    "DelayNode",
    "IIRFilterNode",
    "StereoPannerNode",
    "WaveShaperNode",
    "AudioListener",
    "ConvolverNode",
    "DynamicsCompressorNode",
    "PannerNode",
    "irfft",
    "rfft",
    "AudioParamDescriptor",
    "AudioProcessor",
    "AudioProcessorNode",
    "FunctionNode",
    "MessageEvent",
    "MessagePort",
    "ProcessingStats",
    "ProcessingWarning",
    "RealtimeWarning",
    "AnalyserNode",
    "AudioBufferSourceNode",
    "DecodeError",
    "ClippingWarning",
    "RecorderNode",
    "load",
    "resample",
    "DeviceInfo",
    "MediaStreamAudioSourceNode",
    "devices",
    "devices_available",
    "PulseSink",
    "pulse_sinks",
    "NodeType",
    "ParamInfo",
    "node_types",
    "ADSRNode",
    "ClipNode",
    "DiodeNode",
    "NoiseNode",
    "PolyBLEPNode",
    "SupersawNode",
    "SfxrNode",
    "GranulationNode",
    "StreamSourceError",
    "StreamSourceNode",
    "StreamSourceWarning",
    "play",
    "process",
    "record",
]
# every other node class the engine describes (src/nodes/<node>.c), by its name
for _entry in _registry._TABLE:
    if _entry.cls not in globals() and hasattr(_core, _entry.cls):
        globals()[_entry.cls] = getattr(_core, _entry.cls)
        __all__.append(_entry.cls)
del _entry

# Notebook views (AudioBuffer._repr_html_, BaseAudioContext.graph) and connection tracking.
from . import _notebook  # noqa: E402,F401
from ._notebook import Graph  # noqa: E402

__all__ += ["Graph"]

# OfflineAudioContext.start_rendering(progress=...)
from . import _progress  # noqa: E402,F401

# with ctx.profile() as p: per-node render time
from . import _profile  # noqa: E402,F401
from ._profile import NodeProfile, Profile  # noqa: E402

__all__ += ["NodeProfile", "Profile"]


# many offline renders on a pool of processes or a Dask cluster (docs/batch-rendering.md)
from ._batch import BatchError, BatchResult, render_batch  # noqa: E402

__all__ += ["BatchError", "BatchResult", "render_batch"]
# graphs as data: ctx.to_dict(), OfflineAudioContext.from_dict(d), labsound.graph.dump/load
from . import _graph  # noqa: E402,F401
from . import graph  # noqa: E402,F401
