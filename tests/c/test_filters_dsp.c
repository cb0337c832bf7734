/*
 * DSP kernels of the filter nodes, without a context: biquad coefficients
 * against closed-form properties of the spec's filters, the biquad and IIR
 * filters against a direct double-precision recurrence, the delay line, the
 * wave-shaper curve and the 2x resamplers.
 *
 * Tolerances: filters run in double and round once to float, so outputs
 * agree with the double recurrence to float rounding (1e-6 relative to the
 * signal's peak of 1). Closed-form response values are checked to 1e-9
 * (double arithmetic). The resamplers' round trip is checked against the
 * input delayed by their latency, to 1e-4 peak error for a tone at a tenth
 * of the band (measured 1e-6 to 1e-5: the windowed sinc's pass-band ripple).
 */
#include "check.h"
#include "dsp/biquad.h"
#include "dsp/delay.h"
#include "dsp/iir.h"
#include "dsp/waveshaper.h"

#include <math.h>
#include <string.h>

static const double PI = 3.14159265358979323846;

static uint32_t rng = 777u;
static float rnd(void)
{
    rng = rng * 1664525u + 1013904223u;
    return (float)((double)(rng >> 8) / (double)(1u << 23) - 1.0);
}

static double response_db(int type, double f0, double q, double g, double f, double sr)
{
    ls_biquad_coefs c = ls_biquad_coefs_compute(type, f0, q, g, sr);
    double m, ph;
    ls_biquad_response(&c, f / (sr / 2), &m, &ph);
    return 20.0 * log10(m);
}

static void test_biquad_responses(void)
{
    const double sr = 48000.0;
    /* lowpass: unity at DC; Q in dB is the gain at f0 (resonance) */
    CHECK_NEAR(response_db(LS_BQ_LOWPASS, 1000, 6, 0, 0, sr), 0.0, 1e-9);
    CHECK_NEAR(response_db(LS_BQ_LOWPASS, 1000, 6, 0, 1000, sr), 6.0, 1e-6);
    CHECK_NEAR(response_db(LS_BQ_HIGHPASS, 1000, 3, 0, 1000, sr), 3.0, 1e-6);
    CHECK_NEAR(response_db(LS_BQ_HIGHPASS, 1000, 3, 0, 24000, sr), 0.0, 1e-9);
    /* bandpass: 0 dB at f0 */
    CHECK_NEAR(response_db(LS_BQ_BANDPASS, 2000, 5, 0, 2000, sr), 0.0, 1e-9);
    /* peaking: gain dB at f0; shelves: gain at DC / Nyquist, gain/2 at f0 */
    CHECK_NEAR(response_db(LS_BQ_PEAKING, 3000, 2, 9, 3000, sr), 9.0, 1e-9);
    CHECK_NEAR(response_db(LS_BQ_LOWSHELF, 500, 1, -12, 0, sr), -12.0, 1e-9);
    CHECK_NEAR(response_db(LS_BQ_LOWSHELF, 500, 1, -12, 500, sr), -6.0, 1e-9);
    CHECK_NEAR(response_db(LS_BQ_HIGHSHELF, 500, 1, 8, 24000, sr), 8.0, 1e-9);
    CHECK_NEAR(response_db(LS_BQ_HIGHSHELF, 500, 1, 8, 500, sr), 4.0, 1e-9);
    /* allpass: unity everywhere, phase -pi at f0 */
    for (double f = 10; f < 24000; f *= 1.7)
        CHECK_NEAR(response_db(LS_BQ_ALLPASS, 700, 0.7, 0, f, sr), 0.0, 1e-9);
    /* notch: a zero at f0 */
    ls_biquad_coefs c = ls_biquad_coefs_compute(LS_BQ_NOTCH, 1234, 1, 0, sr);
    double m, ph;
    ls_biquad_response(&c, 1234 / 24000.0, &m, &ph);
    CHECK(m < 1e-9);
    /* limits: lowpass at Nyquist passes, at 0 blocks */
    c = ls_biquad_coefs_compute(LS_BQ_LOWPASS, 30000, 1, 0, sr);
    CHECK(c.b0 == 1.0 && c.b1 == 0.0 && c.a1 == 0.0);
    c = ls_biquad_coefs_compute(LS_BQ_LOWPASS, 0, 1, 0, sr);
    CHECK(c.b0 == 0.0);
}

static void test_biquad_run_matches_recurrence(void)
{
    enum { N = 1000 };
    static float x[N], y[N], y2[N];
    for (int i = 0; i < N; i++)
        x[i] = rnd();
    for (int type = 0; type < 8; type++) {
        ls_biquad_coefs c = ls_biquad_coefs_compute(type, 1500, 2, 6, 44100);
        ls_biquad_state s = {0}, s2 = {0};
        ls_biquad_run(&c, &s, x, y, 300);
        ls_biquad_run(&c, &s, x + 300, y + 300, N - 300);  /* state carries over */
        for (int i = 0; i < N; i++)
            y2[i] = ls_biquad_tick(&c, &s2, x[i]);
        double xm1 = 0, xm2 = 0, ym1 = 0, ym2 = 0, err = 0;
        for (int i = 0; i < N; i++) {
            double v = c.b0 * x[i] + c.b1 * xm1 + c.b2 * xm2 - c.a1 * ym1 - c.a2 * ym2;
            xm2 = xm1; xm1 = x[i]; ym2 = ym1; ym1 = v;
            err = fmax(err, fabs(v - y[i]));
            CHECK(fabs((double)y[i] - y2[i]) <= 1e-6); /* block (two frames a step) vs per frame */
        }
        CHECK(err < 1e-6 * 8);
    }
}

/* Two channels side by side give each channel exactly what ls_biquad_run
 * gives it alone (bit for bit), block after block with the state carried,
 * an odd block length included, in place too. */
static void test_biquad_run2_equals_run(void)
{
    enum { N = 1001 };
    static float xa[N], xb[N], ya[N], yb[N], ra[N], rb[N], ia[N], ib[N];
    for (int i = 0; i < N; i++) {
        xa[i] = rnd();
        xb[i] = 0.5f * rnd();
    }
    for (int type = 0; type < 8; type++) {
        ls_biquad_coefs c = ls_biquad_coefs_compute(type, 700 + 300 * type, 3, -4, 48000);
        ls_biquad_state sa = {0}, sb = {0}, s1 = {0}, s2 = {0}, ta = {0}, tb = {0};
        memcpy(ia, xa, sizeof ia);
        memcpy(ib, xb, sizeof ib);
        const int cut[] = {0, 128, 256, 373, N};
        for (int k = 0; k + 1 < 5; k++) {
            const int lo = cut[k], n = cut[k + 1] - cut[k];
            ls_biquad_run2(&c, &sa, &sb, xa + lo, xb + lo, ya + lo, yb + lo, (size_t)n);
            ls_biquad_run2(&c, &ta, &tb, ia + lo, ib + lo, ia + lo, ib + lo, (size_t)n);
            ls_biquad_run(&c, &s1, xa + lo, ra + lo, (size_t)n);
            ls_biquad_run(&c, &s2, xb + lo, rb + lo, (size_t)n);
        }
        CHECK(memcmp(ya, ra, sizeof ya) == 0);
        CHECK(memcmp(yb, rb, sizeof yb) == 0);
        CHECK(memcmp(ia, ra, sizeof ia) == 0);
        CHECK(memcmp(ib, rb, sizeof ib) == 0);
        CHECK(memcmp(&sa, &s1, sizeof sa) == 0 && memcmp(&sb, &s2, sizeof sb) == 0);
    }
}

static void test_iir_matches_biquad(void)
{
    enum { N = 777 };
    static float x[N], y[N], y2[N];
    for (int i = 0; i < N; i++)
        x[i] = rnd();
    ls_biquad_coefs c = ls_biquad_coefs_compute(LS_BQ_PEAKING, 900, 3, -7, 48000);
    /* the same filter as IIR coefficients, scaled by a0 = 2.5 */
    double b[3] = {c.b0 * 2.5, c.b1 * 2.5, c.b2 * 2.5}, a[3] = {2.5, c.a1 * 2.5, c.a2 * 2.5};
    ls_iir_coefs ic;
    CHECK(ls_iir_coefs_set(&ic, b, 3, a, 3) == 0);
    ls_iir_state s;
    ls_iir_reset(&s);
    ls_iir_run(&ic, &s, x, y, 100);
    ls_iir_run(&ic, &s, x + 100, y + 100, N - 100);
    ls_biquad_state bs = {0};
    ls_biquad_run(&c, &bs, x, y2, N);
    double err = 0;
    for (int i = 0; i < N; i++)
        err = fmax(err, fabs((double)y[i] - y2[i]));
    CHECK(err < 1e-5);
    double m1, p1, m2, p2;
    ls_iir_response(&ic, 0.1, &m1, &p1);
    ls_biquad_response(&c, 0.1, &m2, &p2);
    CHECK_NEAR(m1, m2, 1e-9);
    CHECK_NEAR(p1, p2, 1e-9);
    /* invalid coefficients */
    CHECK(ls_iir_coefs_set(&ic, b, 0, a, 3) == -1);
    double a0[2] = {0, 1};
    CHECK(ls_iir_coefs_set(&ic, b, 3, a0, 2) == -1);
}

/* ls_iir_run2 gives each of two channels exactly what ls_iir_run gives it
 * alone (bit for bit), for every order up to 7 (the paired kernel up to 5
 * coefficients a side, the single one past that), block after block with
 * the state carried, an odd length included, in place too. */
static void test_iir_run2_equals_run(void)
{
    enum { N = 901 };
    static float xa[N], xb[N], ya[N], yb[N], ra[N], rb[N], ia[N], ib[N];
    for (int i = 0; i < N; i++) {
        xa[i] = rnd();
        xb[i] = 0.25f * rnd();
    }
    const double b[7] = {0.02, 0.05, -0.01, 0.03, 0.01, -0.02, 0.005};
    const double a[7] = {1.1, -0.9, 0.3, -0.05, 0.02, 0.01, -0.004};
    for (size_t nb = 1; nb <= 7; nb++) {
        size_t na = nb == 1 ? 3 : 8 - nb;
        ls_iir_coefs c;
        CHECK(ls_iir_coefs_set(&c, b, nb, a, na) == 0);
        ls_iir_state sa, sb, s1, s2, ta, tb;
        ls_iir_reset(&sa); ls_iir_reset(&sb); ls_iir_reset(&s1);
        ls_iir_reset(&s2); ls_iir_reset(&ta); ls_iir_reset(&tb);
        memcpy(ia, xa, sizeof ia);
        memcpy(ib, xb, sizeof ib);
        const int cut[] = {0, 128, 256, 379, N};
        for (int k = 0; k + 1 < 5; k++) {
            const int lo = cut[k], n = cut[k + 1] - cut[k];
            ls_iir_run2(&c, &sa, &sb, xa + lo, xb + lo, ya + lo, yb + lo, (size_t)n);
            ls_iir_run2(&c, &ta, &tb, ia + lo, ib + lo, ia + lo, ib + lo, (size_t)n);
            ls_iir_run(&c, &s1, xa + lo, ra + lo, (size_t)n);
            ls_iir_run(&c, &s2, xb + lo, rb + lo, (size_t)n);
        }
        CHECK(memcmp(ya, ra, sizeof ya) == 0);
        CHECK(memcmp(yb, rb, sizeof yb) == 0);
        CHECK(memcmp(ia, ra, sizeof ia) == 0);
        CHECK(memcmp(ib, rb, sizeof ib) == 0);
        CHECK(memcmp(&sa, &s1, sizeof sa) == 0 && memcmp(&sb, &s2, sizeof sb) == 0);
        /* and the recurrence itself, in double, for the first channel */
        double yd[N], err = 0;
        for (int i = 0; i < N; i++) {
            double v = 0;
            for (size_t k = 0; k < nb; k++)
                if (i - (int)k >= 0)
                    v += c.b[k] * xa[i - (int)k];
            for (size_t k = 1; k < na; k++)
                if (i - (int)k >= 0)
                    v -= c.a[k] * yd[i - (int)k];
            yd[i] = v;
            err = fmax(err, fabs(v - ya[i]));
        }
        CHECK(err < 1e-6);
    }
}

static void test_delay_line(void)
{
    enum { LEN = 1000, B = 128 };
    static float ring[LEN], x[B * 20], y[B];
    memset(ring, 0, sizeof ring);
    for (int i = 0; i < B * 20; i++)
        x[i] = rnd();
    uint32_t pos = 0;
    int bad_int = 0, bad_frac = 0;
    for (int blk = 0; blk < 20; blk++) {
        ls_delay_write(ring, LEN, pos, x + blk * B, B);
        /* integer delay of 300 frames */
        ls_delay_read(ring, LEN, pos, 300.0f, y, B);
        for (int i = 0; i < B; i++) {
            int n = blk * B + i - 300;
            float want = n >= 0 ? x[n] : 0.0f;
            if (y[i] != want)
                bad_int++;
        }
        /* fractional delay 10.25: linear interpolation */
        float d[B];
        for (int i = 0; i < B; i++)
            d[i] = 10.25f;
        ls_delay_read_var(ring, LEN, pos, d, y, B);
        for (int i = 0; i < B; i++) {
            int n = blk * B + i - 11;
            double a = n >= 0 ? x[n] : 0.0, b = n + 1 >= 0 ? x[n + 1] : 0.0;
            if (fabs(y[i] - (0.25 * a + 0.75 * b)) > 1e-6)
                bad_frac++;
        }
        pos = (pos + B) % LEN;
    }
    CHECK(bad_int == 0);
    CHECK(bad_frac == 0);
}

static void test_waveshaper_curve(void)
{
    const float curve[3] = {-1.0f, 0.0f, 1.0f};  /* identity on [-1, 1] */
    float x[6] = {-2.0f, -1.0f, -0.5f, 0.25f, 1.0f, 3.0f}, y[6];
    ls_waveshaper_apply(curve, 3, x, y, 6);
    CHECK(y[0] == -1.0f && y[1] == -1.0f && y[2] == -0.5f && y[3] == 0.25f && y[4] == 1.0f &&
          y[5] == 1.0f);
    const float c2[2] = {2.0f, 4.0f};
    float z = 0.0f, out;
    ls_waveshaper_apply(c2, 2, &z, &out, 1);
    CHECK(out == 3.0f);
}

static void test_resamplers(void)
{
    ls_resample_init_kernels();
    static ls_upsampler2 up;
    static ls_downsampler2 down;
    memset(&up, 0, sizeof up);
    memset(&down, 0, sizeof down);
    enum { B = 128, NB = 16 };
    static float x[B * NB], y[B * NB], tmp[2 * B];
    const double f = 0.05;      /* cycles per frame: a tenth of the band */
    for (int i = 0; i < B * NB; i++)
        x[i] = (float)sin(2 * PI * f * i);
    for (int b = 0; b < NB; b++) {
        ls_upsample2(&up, x + b * B, tmp, B);
        /* the odd (interpolated) frames of the up-sampled tone: half a frame later */
        if (b == 4) {
            double err = 0;
            for (int i = 0; i < B; i++) {
                double t = b * B + i - 64 + 0.5;
                err = fmax(err, fabs(tmp[2 * i + 1] - sin(2 * PI * f * t)));
                CHECK(tmp[2 * i] == x[b * B + i - 64]);
            }
            CHECK(err < 1e-4);
        }
        ls_downsample2(&down, tmp, y + b * B, B);
    }
    /* round trip: 64 frames (up) + 64 frames (down, 128 at the doubled rate) */
    double err = 0;
    for (int i = 4 * B; i < B * NB; i++)
        err = fmax(err, fabs(y[i] - x[i - 128]));
    printf("resampler round trip peak error %.3g\n", err);
    CHECK(err < 1e-4);
}

/* The batch of per-frame coefficients (a polynomial sin and cos) against
 * one call per frame (libm's): every type, frequencies from below 0 to past
 * Nyquist (NaN included), a few Q and gains. */
static void test_biquad_batch_matches_single(void)
{
    enum { N = 300 };
    const double sr = 44100.0;
    double f0[N];
    for (int i = 0; i < N; i++)
        f0[i] = -100.0 + (double)i * i * 0.27;      /* up to about 24 kHz */
    f0[7] = NAN;
    f0[8] = 0.0;
    f0[9] = sr / 2;
    const double qs[] = {-3.0, 0.0, 1.0, 20.0}, gains[] = {-12.0, 0.0, 6.0};
    ls_biquad_coefs batch[N];
    double worst = 0.0;
    for (int type = 0; type <= LS_BQ_ALLPASS; type++)
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 3; b++) {
                ls_biquad_qg qg = ls_biquad_qg_compute(qs[a], gains[b]);
                ls_biquad_coefs_batch(type, f0, N, &qg, sr, batch);
                for (int i = 0; i < N; i++) {
                    ls_biquad_coefs one = ls_biquad_coefs_from(type, f0[i], &qg, sr);
                    const double *x = &one.b0, *y = &batch[i].b0;
                    for (int k = 0; k < 5; k++) {
                        double e = fabs(x[k] - y[k]) / (1.0 + fabs(x[k]));
                        if (e > worst)
                            worst = e;
                    }
                }
            }
    CHECK(worst < 1e-13);
}

int main(void)
{
    static const ls_test_case cases[] = {
        {"biquad_batch_matches_single", test_biquad_batch_matches_single},
        {"biquad_responses", test_biquad_responses},
        {"biquad_run_matches_recurrence", test_biquad_run_matches_recurrence},
        {"biquad_run2_equals_run", test_biquad_run2_equals_run},
        {"iir_matches_biquad", test_iir_matches_biquad},
        {"iir_run2_equals_run", test_iir_run2_equals_run},
        {"delay_line", test_delay_line},
        {"waveshaper_curve", test_waveshaper_curve},
        {"resamplers", test_resamplers},
    };
    return ls_test_run(cases, sizeof cases / sizeof cases[0]);
}
