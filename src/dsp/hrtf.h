/*
 * HRTF panning from a structural model of the head and the outer ear after
 * Brown & Duda, "A structural model for binaural sound synthesis" (IEEE
 * Trans. Speech and Audio Processing 6(5), 1998): the project's own data,
 * made from formulas (nothing is measured or downloaded).
 *
 * Angles are the Web Audio ones (ls_panning_azimuth_elevation): azimuth
 * -180..180 degrees, 0 in front, +90 to the right; elevation -90..90.
 *
 * Head (a sphere): for a source at (azimuth, elevation), each ear sees it at
 * an angle beta from the ear's axis (cos beta = +-sin(azimuth) cos(elevation)).
 * Each ear gets
 *   - a delay (after Woodworth): (a/c)(1 - cos beta) for beta < 90 degrees,
 *     (a/c)(1 + beta - pi/2) beyond, so the interaural time difference is
 *     Woodworth's (a/c)(theta + sin theta) for a lateral angle theta;
 *   - a head-shadow filter H(s) = (1 + alpha s / (2 w0)) / (1 + s / (2 w0)),
 *     w0 = c / a, alpha(beta) = 1.05 + 0.95 cos(1.2 beta): +6 dB at high
 *     frequencies facing the ear, -20 dB at 150 degrees; made digital by
 *     the bilinear transform.
 * a = 0.0875 m, c = 343 m/s. The head alone is symmetric front/back and up/down.
 *
 * Pinna (the elevation and front/back cues): each ear's signal is the sum of
 * the direct sound and five echoes,
 *   P(z) = 1 + sum_k rho_k z^-tau_k,
 *   tau_k = (A_k cos(theta/2) sin(D_k (90 - phi)) + B_k) fs / 44100 frames,
 *   rho = 0.5, -1, 0.5, -0.25, 0.25;   A = 1, 5, 5, 5, 5;
 *   B = 2, 4, 7, 11, 13;               D = 1, 0.5, 0.5, 0.5, 0.5
 * (Brown & Duda's table; D is the parameter the paper fits to a listener,
 * taken here as 1, 0.5, 0.5, 0.5, 0.5, the values usually quoted with the
 * table). With D = 0.5 the four strong echoes' delays fall monotonically as
 * the source rises from -90 to +90 degrees, so the first notch moves up with
 * elevation: about 9.7 kHz at -45 degrees, 11.3 kHz at 0, 13.5 kHz at +45
 * straight ahead. Angles:
 *   - phi is the elevation;
 *   - theta is the azimuth as each ear sees it (the source's azimuth for the
 *     right ear, mirrored, -azimuth, for the left: cos(theta/2) is even, so
 *     both ears get the same echo delays, and the pinna cancels out of the
 *     interaural differences), over the whole circle: cos(theta/2) is 1 in
 *     front, 0.71 at the side and 0 straight behind, where every delay falls
 *     to B_k. That is the front/back cue: a source behind has shorter echoes
 *     (notches higher up, about 18 kHz at 150 degrees against 11.4 kHz at 30);
 *   - towards straight above or below, where the azimuth is undefined, the
 *     azimuth's part fades: sin^2(theta/2) = cos(elevation) sin^2(azimuth/2).
 *     On the horizontal plane this is the azimuth itself, and straight ahead
 *     (azimuth 0) theta is 0 at every elevation, so the paper's frontal
 *     median-plane delays are kept; above and below theta is 0 whatever the
 *     azimuth, so every delay is a continuous function of the direction
 *     (the paper's interaural-polar reading would make them jump on the
 *     interaural axis, beside the listener at ear height, where sources pass).
 * Every tau_k lies in [B_k, A_k + B_k], never negative. The coefficients sum
 * to 1: the pinna leaves DC and low frequencies at unit gain (it is small
 * against their wavelengths) and is not scaled. Its broadband gain (with
 * ideal delays) is +3.7 to +4.7 dB for white noise and +1.9 to +2.6 dB for
 * pink noise (20 Hz - 20 kHz) over every direction: a moving source keeps
 * its level, and the head model's low end is unchanged. The echoes are taken
 * from the same delay line as the direct sound (at the head delay plus
 * tau_k, linear interpolation) ahead of the head-shadow filter: for a fixed
 * direction that is the paper's order (both are linear and time-invariant).
 * Brown & Duda's optional shoulder echo is not modelled.
 *
 * Direction changes are interpolated sample by sample (every delay and
 * alpha ramp linearly across a call), so moving sources do not click.
 *
 * ls_hrtf_process never allocates and calls no libm function: render thread.
 * ls_hrtf_model uses libm and is cheap: call it per quantum (ls_hrtf_process
 * ramps to its result across the quantum), or per frame with one frame per
 * ls_hrtf_process call.
 */
#ifndef LS_DSP_HRTF_H
#define LS_DSP_HRTF_H

#include <stdint.h>

#define LS_HRTF_HEAD_RADIUS 0.0875
#define LS_HRTF_SPEED_OF_SOUND 343.0
#define LS_HRTF_ECHOES 5                       /* pinna echoes per ear */
#define LS_HRTF_TAPS (LS_HRTF_ECHOES + 1)      /* the direct sound and the echoes */
#define LS_HRTF_BLOCK 128u                     /* frames per pass of ls_hrtf_process */
#define LS_HRTF_HISTORY 1024u                  /* input frames kept behind a block */
#define LS_HRTF_LINE (LS_HRTF_HISTORY + 8u * LS_HRTF_BLOCK)
/* The longest delay a tap may read (the history, less the linear
 * interpolation's second frame and a margin); longer ones are clamped. The
 * model's longest at the engine's highest rate, 768 kHz, is under
 * (a/c)(1 + pi/2) fs + 18 fs / 44100 = 818 frames. */
#define LS_HRTF_MAX_DELAY ((float)(LS_HRTF_HISTORY - 4))

/* A direction, as the model renders it. Index 0 is the left ear, 1 the right. */
typedef struct ls_hrtf_direction {
    float delay[2];                    /* the head's delay, frames */
    float alpha[2];                    /* the head-shadow filter's alpha */
    float echo[2][LS_HRTF_ECHOES];     /* pinna echo k: tau_k frames after the direct sound */
} ls_hrtf_direction;

typedef struct ls_hrtf {
    /* set once */
    double tau_k;                 /* K / (2 w0), K = 2 fs */
    double sample_rate;
    /* render thread */
    /* per-ear delay lines: the frames before line[e][w] are the history,
     * a block is written from w on; when the line is full its last
     * LS_HRTF_HISTORY frames move to the front */
    float line[2][LS_HRTF_LINE];
    uint32_t w;
    float x1[2], y1[2];           /* filter state */
    float tap[2][LS_HRTF_TAPS];   /* the tap delays reached at the end of the last call */
    float alpha[2];               /* and the alphas */
    int primed;                   /* tap / alpha hold real values */
    float acc[2][LS_HRTF_BLOCK + 4];  /* scratch: the pinna's output for a block, from [4] */
} ls_hrtf;

/* The pinna's reflection coefficients (rho_1..rho_5; the direct sound's is 1). */
extern const float ls_hrtf_echo_gain[LS_HRTF_ECHOES];

/* The model for a direction (degrees) at a sample rate. */
void ls_hrtf_model(double azimuth, double elevation, double sample_rate, ls_hrtf_direction *out);

/* Initialize for a sample rate (any thread). */
void ls_hrtf_init(ls_hrtf *h, double sample_rate);
/* Forget past input and the last direction: the next call starts at its target. */
void ls_hrtf_reset(ls_hrtf *h);
/* Frames of output after the last non-zero input that may be non-zero. */
uint32_t ls_hrtf_tail_frames(const ls_hrtf *h);

/*
 * Render n frames: left ear from in_l, right ear from in_r (the same array
 * for a mono source; NULL for silence). The model moves linearly, frame by
 * frame, from the previous call's direction to `to`, reaching it at the last
 * frame (the first call after init / reset starts at `to`).
 */
void ls_hrtf_process(ls_hrtf *h, const float *in_l, const float *in_r, float *out_l,
                     float *out_r, uint32_t n, const ls_hrtf_direction *to);

#endif
