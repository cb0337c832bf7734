/* PannerNode geometry; see panning.h. Follows the Web Audio spec's
 * "Spatialization/Panning" algorithms step by step. */
#include "panning.h"

#include <math.h>
#include <stdbool.h>

static const double rad2deg = 57.295779513082320876798154814105;

/*
 * Vectors are float, as the reference implementation (Chromium) keeps them,
 * with the same precision at each step, so that the angles agree with it
 * to the last bit where rounding matters most (acos near +-1): dot products
 * in float, lengths in double rounded to float, cross products in double
 * rounded to float.
 */
typedef struct v3 {
    float x, y, z;
} v3;

static v3 mk(const float a[3])
{
    v3 v = {a[0], a[1], a[2]};
    return v;
}

static v3 sub(v3 a, v3 b)
{
    v3 v = {a.x - b.x, a.y - b.y, a.z - b.z};
    return v;
}

static float dotf(v3 a, v3 b)
{
    float r = a.x * b.x;
    r += a.y * b.y;
    r += a.z * b.z;
    return r;
}

static double len2(v3 v)
{
    return (double)v.x * v.x + (double)v.y * v.y + (double)v.z * v.z;
}

static float lenf(v3 v)
{
    return (float)sqrt(len2(v));
}

static v3 crossf(v3 a, v3 b)
{
    double ax = a.x, ay = a.y, az = a.z;
    v3 v = {(float)(ay * b.z - az * b.y), (float)(az * b.x - ax * b.z),
            (float)(ax * b.y - ay * b.x)};
    return v;
}

/* Normalize in place; false (and v unchanged) for a (nearly) zero vector. */
static bool normalize(v3 *v)
{
    double l2 = len2(*v);
    if (l2 < 1e-12)
        return false;
    float s = (float)sqrt(l2);
    v->x /= s;
    v->y /= s;
    v->z /= s;
    return true;
}

/* Angle between two vectors in degrees, rounded to float. */
static float angle_deg(v3 a, v3 b)
{
    float c = dotf(a, b) / lenf(a) / lenf(b);
    return (float)(rad2deg * acos(fmax(fmin(c, 1.0f), -1.0f)));
}

void ls_panning_azimuth_elevation(const float source[3], const float pos[3],
                                  const float forward[3], const float up_in[3], double *azimuth,
                                  double *elevation)
{
    v3 sl = sub(mk(source), mk(pos));
    if (!normalize(&sl)) {
        *azimuth = 0.0;
        *elevation = 0.0;
        return;
    }
    v3 right = crossf(mk(forward), mk(up_in));
    normalize(&right);
    v3 fwd = mk(forward);
    normalize(&fwd);
    v3 up = crossf(right, fwd);
    float up_proj = dotf(sl, up);
    v3 scaled = {up.x * up_proj, up.y * up_proj, up.z * up_proj};
    v3 proj = sub(sl, scaled);
    normalize(&proj);
    double az = rad2deg * acos(fmax(fmin(dotf(proj, right), 1.0f), -1.0f));
    if (!isfinite(az))
        az = 0.0;
    if ((double)dotf(proj, fwd) < 0.0)
        az = 360.0 - az;
    if (az >= 0.0 && az <= 270.0)
        az = 90.0 - az;
    else
        az = 450.0 - az;
    double el = 90.0 - (double)angle_deg(sl, up);
    if (!isfinite(el))
        el = 0.0;
    if (el > 90.0)
        el = 180.0 - el;
    else if (el < -90.0)
        el = -180.0 - el;
    *azimuth = az;
    *elevation = el;
}

double ls_panning_distance(const float source[3], const float listener[3])
{
    return (double)lenf(sub(mk(source), mk(listener)));
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

double ls_panning_cone_gain(const float source[3], const float orientation[3],
                            const float listener[3], double inner, double outer, double outer_gain)
{
    if ((orientation[0] == 0.0f && orientation[1] == 0.0f && orientation[2] == 0.0f) ||
        (inner == 360.0 && outer == 360.0))
        return 1.0;
    double angle = fabs((double)angle_deg(sub(mk(listener), mk(source)), mk(orientation)));
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
