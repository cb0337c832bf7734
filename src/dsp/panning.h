/*
 * The PannerNode's geometry, as the Web Audio spec defines it: azimuth and
 * elevation of a source relative to a listener, the three distance models,
 * the sound cone, and the equal-power panning gains. Pure functions; any
 * thread (no allocation, no state). Positions and directions are float (the
 * params' values); the geometry keeps the reference implementation's
 * precision at each step (see panning.c).
 */
#ifndef LS_DSP_PANNING_H
#define LS_DSP_PANNING_H

#include <stdint.h>

/* Azimuth (degrees, -180 .. 180, positive to the listener's right) and
 * elevation (degrees, -90 .. 90) of `source` seen by a listener at `pos`
 * facing `forward` with `up`. Both 0 when source == pos. */
void ls_panning_azimuth_elevation(const float source[3], const float pos[3],
                                  const float forward[3], const float up[3], double *azimuth,
                                  double *elevation);

/* Distance between two points (float precision, as the gain formulas use it). */
double ls_panning_distance(const float source[3], const float listener[3]);

/* The listener's axes (unit right and forward vectors, and up = right x forward). */
typedef struct ls_panning_basis {
    float right[3], forward[3], up[3];
} ls_panning_basis;
void ls_panning_basis_make(const float forward[3], const float up[3], ls_panning_basis *b);

/*
 * The equal-power panner only needs d, the cosine of the angle between the
 * listener's right axis and the source's direction projected on the
 * listener's horizontal plane: with theta = acos(d), the spec's azimuth,
 * once folded to the front, is 90 - theta degrees whether the source is in
 * front or behind, so the gains are closed forms of d (see
 * ls_panning_equalpower_lateral) and need no trigonometry. Returns d, and
 * the distance between source and listener in *distance. d = 0 when the
 * source is at the listener's position (azimuth 0).
 */
float ls_panning_lateral(const float source[3], const float pos[3], const ls_panning_basis *b,
                         double *distance);
/* ls_panning_lateral for n frames of a moving source (sx, sy, sz: n values
 * each) heard by a fixed listener at pos with axes b: d[n] and distance[n].
 * Computed several frames at a time, and in fewer operations than n calls
 * where the gains are not sensitive to the last bit of d (see panning.c):
 * the results then differ from the calls' by a few ulps. */
void ls_panning_lateral_block(const float *sx, const float *sy, const float *sz,
                              const float pos[3], const ls_panning_basis *b, float *d,
                              double *distance, uint32_t n);

/* ls_panning_equalpower_gains for the azimuth whose lateral cosine is d:
 * mono sin(theta / 2), cos(theta / 2); stereo: -d, sin(theta) when d <= 0
 * (azimuth <= 0), else sin(theta), d. */
void ls_panning_equalpower_lateral(float d, int stereo_input, double *gain_l, double *gain_r);
/* The same for n values of d. */
void ls_panning_equalpower_block(const float *d, int stereo_input, float *gain_l, float *gain_r,
                                 uint32_t n);

/* Distance gain. model: 0 linear, 1 inverse, 2 exponential (ls_distance_model). */
double ls_panning_distance_gain(int model, double distance, double ref_distance,
                                double max_distance, double rolloff_factor);

/* The distance gain for n distances, into gain[n] (float). */
void ls_panning_distance_gain_block(int model, const double *distance, float *gain, uint32_t n,
                                    double ref_distance, double max_distance,
                                    double rolloff_factor);

/* Cone gain of a source at `source` with `orientation`, heard at `listener`. */
double ls_panning_cone_gain(const float source[3], const float orientation[3],
                            const float listener[3], double inner_angle, double outer_angle,
                            double outer_gain);

/* Equal-power gains for an azimuth; stereo_input selects the spec's stereo
 * rule (each side keeps its own channel and takes a share of the other). */
void ls_panning_equalpower_gains(double azimuth, int stereo_input, double *gain_l,
                                 double *gain_r);

#endif
