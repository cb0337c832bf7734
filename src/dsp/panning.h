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

/* Azimuth (degrees, -180 .. 180, positive to the listener's right) and
 * elevation (degrees, -90 .. 90) of `source` seen by a listener at `pos`
 * facing `forward` with `up`. Both 0 when source == pos. */
void ls_panning_azimuth_elevation(const float source[3], const float pos[3],
                                  const float forward[3], const float up[3], double *azimuth,
                                  double *elevation);

/* Distance between two points (float precision, as the gain formulas use it). */
double ls_panning_distance(const float source[3], const float listener[3]);

/* Distance gain. model: 0 linear, 1 inverse, 2 exponential (ls_distance_model). */
double ls_panning_distance_gain(int model, double distance, double ref_distance,
                                double max_distance, double rolloff_factor);

/* Cone gain of a source at `source` with `orientation`, heard at `listener`. */
double ls_panning_cone_gain(const float source[3], const float orientation[3],
                            const float listener[3], double inner_angle, double outer_angle,
                            double outer_gain);

/* Equal-power gains for an azimuth; stereo_input selects the spec's stereo
 * rule (each side keeps its own channel and takes a share of the other). */
void ls_panning_equalpower_gains(double azimuth, int stereo_input, double *gain_l,
                                 double *gain_r);

#endif
