"""Typed by hand: what python/src/nodes/biquad_filter.c adds to BiquadFilterNode."""
class BiquadFilterNode:
    @property
    def q(self) -> AudioParam: ...
    def get_frequency_response(
        self,
        frequencies: _FloatSequence,
        mag_out: Optional[npt.NDArray[np.float32]] = None,
        phase_out: Optional[npt.NDArray[np.float32]] = None,
    ) -> _Response: ...
