/* PannerNode geometry; see panning.h. Follows the Web Audio spec's
 * "Spatialization/Panning" algorithms step by step. */
#include "panning.h"
#include "simd.h"

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

void ls_panning_basis_make(const float forward[3], const float up_in[3], ls_panning_basis *b)
{
    v3 right = crossf(mk(forward), mk(up_in));
    normalize(&right);
    v3 fwd = mk(forward);
    normalize(&fwd);
    v3 up = crossf(right, fwd);
    b->right[0] = right.x, b->right[1] = right.y, b->right[2] = right.z;
    b->forward[0] = fwd.x, b->forward[1] = fwd.y, b->forward[2] = fwd.z;
    b->up[0] = up.x, b->up[1] = up.y, b->up[2] = up.z;
}

float ls_panning_lateral(const float source[3], const float pos[3], const ls_panning_basis *b,
                         double *distance)
{
    v3 sl = sub(mk(source), mk(pos));
    double l2 = len2(sl);
    *distance = (double)(float)sqrt(l2);
    if (l2 < 1e-12)
        return 0.0f;
    float s = (float)sqrt(l2);
    sl.x /= s;
    sl.y /= s;
    sl.z /= s;
    v3 up = mk(b->up), right = mk(b->right);
    float up_proj = dotf(sl, up);
    v3 scaled = {up.x * up_proj, up.y * up_proj, up.z * up_proj};
    v3 proj = sub(sl, scaled);
    normalize(&proj);
    float d = dotf(proj, right);
    return d > 1.0f ? 1.0f : (d < -1.0f ? -1.0f : (d == d ? d : 0.0f));
}

/* The block form works entirely in float (its lengths too, unlike the scalar
 * form above): measured against Chromium it loses nothing (139.5 dB for a
 * moving source, 130.9 dB passing beside the listener) and single-precision
 * square roots are several times cheaper than double ones.
 *
 * One frame of it, in one of two orders of operations:
 *   - exact: Chromium's. Normalize s, project it on the listener's
 *     horizontal plane (q = s - up (s . up)), normalize q, take its cosine
 *     with the right vector: five divisions and two square roots;
 *   - fast: the same without normalizing s first (q is normalized after,
 *     so the scale of s cancels): one division and two square roots.
 * Both are straight-line code with selects for conditionals, so that the
 * loops over frames vectorize (see LS_VEC_FN). */
static inline __attribute__((always_inline)) float
lateral_frame(float x, float y, float z, const ls_panning_basis *b, double *distance, bool exact)
{
    const float ux = b->up[0], uy = b->up[1], uz = b->up[2];
    float l2 = x * x + y * y + z * z;
    float s = sqrtf(l2);
    *distance = (double)s;
    bool ok = l2 >= 1e-12f;
    if (exact) {
        float sd = ok ? s : 1.0f;
        x /= sd;
        y /= sd;
        z /= sd;
    }
    float su = x * ux;
    su += y * uy;
    su += z * uz;
    float qx = x - ux * su, qy = y - uy * su, qz = z - uz * su;
    float q2 = qx * qx + qy * qy + qz * qz;
    float dd;
    if (exact) {
        float qs = q2 >= 1e-12f ? sqrtf(q2) : 1.0f;
        qx /= qs;
        qy /= qs;
        qz /= qs;
        dd = qx * b->right[0];
        dd += qy * b->right[1];
        dd += qz * b->right[2];
    } else {
        float qr = qx * b->right[0];
        qr += qy * b->right[1];
        qr += qz * b->right[2];
        ok = ok && q2 >= 1e-12f * l2;
        dd = qr / sqrtf(ok ? q2 : 1.0f);
    }
    dd = dd > 1.0f ? 1.0f : dd;
    dd = dd < -1.0f ? -1.0f : dd;
    return ok ? dd : 0.0f;
}

/* n frames in one order of operations; returns whether some |d| is above
 * 0.99 (the loop is unswitched on `exact`). */
static LS_VEC_FN bool lateral_frames(const float *restrict sx, const float *restrict sy,
                                     const float *restrict sz, const float pos[3],
                                     const ls_panning_basis *b, float *restrict d,
                                     double *restrict distance, uint32_t n, bool exact)
{
    const ls_panning_basis bb = *b;
    const float px0 = pos[0], py0 = pos[1], pz0 = pos[2];
    if (exact) {
        for (uint32_t i = 0; i < n; i++)
            d[i] = lateral_frame(sx[i] - px0, sy[i] - py0, sz[i] - pz0, &bb, &distance[i], true);
    } else {
        for (uint32_t i = 0; i < n; i++)
            d[i] = lateral_frame(sx[i] - px0, sy[i] - py0, sz[i] - pz0, &bb, &distance[i], false);
    }
    int near_axis = 0;
    for (uint32_t i = 0; i < n; i++)
        near_axis |= (d[i] > 0.99f) | (d[i] < -0.99f);
    return near_axis != 0;
}

/* The equal-power gains are ill-conditioned next to the interaural axis:
 * sqrt((1 - d) / 2) near d = 1 turns one rounding step of d into an error
 * of 2e-4. Where a block comes that close (|d| > 0.99), its frames are
 * redone in Chromium's order of operations, which then gives the same
 * roundings as Chromium's (130.9 dB for a source passing beside the
 * listener, against 116.8 dB from the fast form alone); elsewhere the fast
 * form's few-ulp differences stay far below the signal (139 dB). */
void ls_panning_lateral_block(const float *restrict sx, const float *restrict sy,
                              const float *restrict sz, const float pos[3],
                              const ls_panning_basis *b, float *restrict d,
                              double *restrict distance, uint32_t n)
{
    if (lateral_frames(sx, sy, sz, pos, b, d, distance, n, false))
        lateral_frames(sx, sy, sz, pos, b, d, distance, n, true);
}

LS_VEC_FN void
ls_panning_equalpower_block(const float *restrict d, int stereo_input, float *restrict gain_l,
                            float *restrict gain_r, uint32_t n)
{
    if (!stereo_input) {
        for (uint32_t i = 0; i < n; i++) {
            float x = d[i];
            gain_l[i] = sqrtf(0.5f - 0.5f * x);
            gain_r[i] = sqrtf(0.5f + 0.5f * x);
        }
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        float x = d[i];
        float s = sqrtf(1.0f - x * x);
        gain_l[i] = x <= 0.0f ? -x : s;
        gain_r[i] = x <= 0.0f ? s : x;
    }
}

void ls_panning_equalpower_lateral(float df, int stereo_input, double *gain_l, double *gain_r)
{
    double d = (double)df;
    if (!stereo_input) {
        *gain_l = sqrt(0.5 * (1.0 - d));
        *gain_r = sqrt(0.5 * (1.0 + d));
    } else if (d <= 0.0) {
        *gain_l = -d;
        *gain_r = sqrt(1.0 - d * d);
    } else {
        *gain_l = sqrt(1.0 - d * d);
        *gain_r = d;
    }
}

double ls_panning_distance_gain(int model, double d, double ref, double max, double rolloff)
{
    switch (model) {
    case 0: { /* linear */
        double dref = ref < max ? ref : max, dmax = ref < max ? max : ref;
        double r = rolloff < 0.0 ? 0.0 : (rolloff > 1.0 ? 1.0 : rolloff);
        if (dref == dmax)
            return 1.0 - r;
        d = d > dmax ? dmax : d;
        d = d < dref ? dref : d;
        return 1.0 - r * (d - dref) / (dmax - dref);
    }
    case 1: /* inverse */
        if (ref == 0.0)
            return 0.0;
        d = d < ref ? ref : d;
        return ref / (ref + rolloff * (d - ref));
    default: /* exponential */
        if (ref == 0.0)
            return 0.0;
        d = d < ref ? ref : d;
        return pow(d / ref, -rolloff);
    }
}

LS_VEC_FN void
ls_panning_distance_gain_block(int model, const double *restrict dist, float *restrict gain,
                               uint32_t n, double ref, double max, double rolloff)
{
    if (model == 1 && ref != 0.0) {   /* inverse, the default: vectorized */
        const float rf = (float)ref, ro = (float)rolloff;
        for (uint32_t i = 0; i < n; i++) {
            float d = (float)dist[i];
            d = d < rf ? rf : d;
            gain[i] = rf / (rf + ro * (d - rf));
        }
        return;
    }
    for (uint32_t i = 0; i < n; i++)
        gain[i] = (float)ls_panning_distance_gain(model, dist[i], ref, max, rolloff);
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
