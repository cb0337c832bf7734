/* PannerNode geometry; see panning.h. Follows the Web Audio spec's
 * "Spatialization/Panning" algorithms step by step. */
#include "panning.h"

#include <math.h>

static const double rad2deg = 57.295779513082320876798154814105;

static double dot(const double a[3], const double b[3])
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static void cross(const double a[3], const double b[3], double out[3])
{
    out[0] = a[1] * b[2] - a[2] * b[1];
    out[1] = a[2] * b[0] - a[0] * b[2];
    out[2] = a[0] * b[1] - a[1] * b[0];
}

/* Normalize in place; a zero vector stays zero. */
static void normalize(double v[3])
{
    double n = sqrt(dot(v, v));
    if (n > 0.0) {
        v[0] /= n;
        v[1] /= n;
        v[2] /= n;
    }
}

/* acos with its argument clamped to [-1, 1] (rounding may leave it outside). */
static double clamped_acos(double x)
{
    return acos(x > 1.0 ? 1.0 : (x < -1.0 ? -1.0 : x));
}

void ls_panning_azimuth_elevation(const double source[3], const double pos[3],
                                  const double forward[3], const double up_in[3], double *azimuth,
                                  double *elevation)
{
    double sl[3] = {source[0] - pos[0], source[1] - pos[1], source[2] - pos[2]};
    if (sl[0] == 0.0 && sl[1] == 0.0 && sl[2] == 0.0) {
        *azimuth = 0.0;
        *elevation = 0.0;
        return;
    }
    normalize(sl);
    double right[3], fwd[3] = {forward[0], forward[1], forward[2]}, up[3];
    cross(forward, up_in, right);
    normalize(right);
    normalize(fwd);
    cross(right, fwd, up);
    double up_proj = dot(sl, up);
    double proj[3] = {sl[0] - up_proj * up[0], sl[1] - up_proj * up[1], sl[2] - up_proj * up[2]};
    normalize(proj);
    double az = rad2deg * clamped_acos(dot(proj, right));
    if (!isfinite(az))
        az = 0.0;
    if (dot(proj, fwd) < 0.0)
        az = 360.0 - az;
    if (az >= 0.0 && az <= 270.0)
        az = 90.0 - az;
    else
        az = 450.0 - az;
    double el = 90.0 - rad2deg * clamped_acos(dot(sl, up));
    if (!isfinite(el))
        el = 0.0;
    if (el > 90.0)
        el = 180.0 - el;
    else if (el < -90.0)
        el = -180.0 - el;
    *azimuth = az;
    *elevation = el;
}

double ls_panning_distance_gain(int model, double d, double ref, double max, double rolloff)
{
    switch (model) {
    case 0: { /* linear */
        double dref = fmin(ref, max), dmax = fmax(ref, max);
        double r = fmin(fmax(rolloff, 0.0), 1.0);
        if (dref == dmax)
            return 1.0 - r;
        d = fmax(fmin(d, dmax), dref);
        return 1.0 - r * (d - dref) / (dmax - dref);
    }
    case 1: /* inverse */
        if (ref == 0.0)
            return 0.0;
        d = fmax(d, ref);
        return ref / (ref + rolloff * (d - ref));
    default: /* exponential */
        if (ref == 0.0)
            return 0.0;
        d = fmax(d, ref);
        return pow(d / ref, -rolloff);
    }
}

double ls_panning_cone_gain(const double source[3], const double orientation[3],
                            const double listener[3], double inner, double outer, double outer_gain)
{
    if ((orientation[0] == 0.0 && orientation[1] == 0.0 && orientation[2] == 0.0) ||
        (inner == 360.0 && outer == 360.0))
        return 1.0;
    double sl[3] = {listener[0] - source[0], listener[1] - source[1], listener[2] - source[2]};
    double o[3] = {orientation[0], orientation[1], orientation[2]};
    normalize(sl);
    normalize(o);
    double angle = fabs(rad2deg * clamped_acos(dot(sl, o)));
    double abs_inner = fabs(inner) / 2.0, abs_outer = fabs(outer) / 2.0;
    if (angle <= abs_inner)
        return 1.0;
    if (angle >= abs_outer)
        return outer_gain;
    double x = (angle - abs_inner) / (abs_outer - abs_inner);
    return (1.0 - x) + outer_gain * x;
}

void ls_panning_equalpower_gains(double az, int stereo_input, double *gain_l, double *gain_r)
{
    az = fmin(fmax(az, -180.0), 180.0);
    if (az < -90.0)
        az = -180.0 - az;
    else if (az > 90.0)
        az = 180.0 - az;
    double x;
    if (!stereo_input)
        x = (az + 90.0) / 180.0;
    else if (az <= 0.0)
        x = (az + 90.0) / 90.0;
    else
        x = az / 90.0;
    *gain_l = cos(1.5707963267948966 * x);
    *gain_r = sin(1.5707963267948966 * x);
}
