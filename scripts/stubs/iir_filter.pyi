"""Typed by hand: what python/src/nodes/iir_filter.c adds to IIRFilterNode."""
class IIRFilterNode:
    def __init__(self, *, feedforward: Sequence[SupportsFloat], feedback: Sequence[SupportsFloat]) -> None: ...
    def get_frequency_response(
        self,
        frequencies: _FloatSequence,
        mag_out: Optional[npt.NDArray[np.float32]] = None,
        phase_out: Optional[npt.NDArray[np.float32]] = None,
    ) -> _Response: ...
