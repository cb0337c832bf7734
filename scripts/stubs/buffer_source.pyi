"""Typed by hand: what python/src/nodes/audio_buffer_source.c adds to AudioBufferSourceNode."""
class AudioBufferSourceNode:
    def __init__(self, *, buffer: Union[AudioBuffer, _Path, None] = ...) -> None: ...
    def start(self, when: float = 0.0, offset: float = 0.0, duration: Optional[float] = None) -> None: ...  # type: ignore[override]
