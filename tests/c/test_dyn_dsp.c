/*
 * Kernels of the monitors, the peak compressor and PWM (src/dsp/monitor.c,
 * src/dsp/peakcomp.c) without a context. References are computed here in
 * double precision from the formulas: the RMS of the window summed directly,
 * a direct DFT of the Blackman-windowed frames, the knee's quadratic written
 * out, the envelope's recursion.
 */
#include "check.h"
#include "dsp/fft.h"
#include "dsp/monitor.h"
#include "dsp/peakcomp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const double pi = 3.14159265358979323846;

static uint64_t rng = 0x1234567u;
static float frand(void)
{
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    return (float)((double)(rng >> 11) / 9007199254740992.0 * 2.0 - 1.0);
}

/* The level of the latest n frames, summed directly, after pushes of odd sizes
 * that wrap the ring many times (so the running sum is resummed). */
static void test_level_window(void)
{
    enum { N = 300, TOTAL = 5000, C = 2 };
    static float x[C][TOTAL];
    for (int i = 0; i < TOTAL; i++)
        for (int c = 0; c < C; c++)
            x[c][i] = frand() * (i < 2500 ? 1.0f : 0.01f);    /* loud, then 40 dB down */
    float ring[N];
    ls_level s;
    ls_level_init(&s, ring, N);
    int pos = 0;
    const int steps[] = {128, 1, 77, 300, 299, 513};
    for (int k = 0; pos < TOTAL; k++) {
        int m = steps[k % 6];
        if (pos + m > TOTAL)
            m = TOTAL - pos;
        const float *ch[C] = {x[0] + pos, x[1] + pos};
        ls_level_push(&s, ch, C, (uint32_t)m);
        pos += m;
        double sum = 0.0;
        for (int i = pos - N; i < pos; i++)
            for (int c = 0; c < C; c++)
                if (i >= 0)
                    sum += (double)x[c][i] * x[c][i];
        double want = 10.0 * log10(sum / (N * C));
        CHECK_NEAR(ls_level_db(&s, -120.0f), want, 1e-3);
    }
    /* silence reaches the floor, non-finite samples count as 0 */
    ls_level_push(&s, NULL, 0, N);
    CHECK_NEAR(ls_level_db(&s, -120.0f), -120.0, 0.0);
    float bad[N];
    for (int i = 0; i < N; i++)
        bad[i] = i % 2 ? NAN : 0.5f;
    const float *b[1] = {bad};
    ls_level_push(&s, b, 1, N);
    CHECK_NEAR(ls_level_db(&s, -120.0f), 10.0 * log10(0.125), 1e-4);
}

static void test_spectrum_vs_dft(void)
{
    enum { N = 256 };
    float x[N], w[N], scratch[N], re[N / 2 + 1], im[N / 2 + 1], out[N / 2 + 1];
    for (int i = 0; i < N; i++)
        x[i] = 0.7f * (float)sin(2 * pi * 10.0 * i / N) + 0.2f * frand();
    ls_blackman(w, N);
    double wsum = 0.0;
    for (int i = 0; i < N; i++) {
        double want = 0.42 - 0.5 * cos(2 * pi * i / N) + 0.08 * cos(4 * pi * i / N);
        CHECK_NEAR(w[i], want, 1e-7);
        wsum += want;
    }
    ls_fft *fft = ls_fft_create(N);
    CHECK(fft != NULL);
    ls_spectrum_magnitude(fft, x, w, scratch, re, im, out);
    double worst = 0.0;
    for (int k = 0; k <= N / 2; k++) {
        double sr = 0, si = 0;
        for (int i = 0; i < N; i++) {
            double v = (double)x[i] * w[i];
            sr += v * cos(2 * pi * k * i / N);
            si -= v * sin(2 * pi * k * i / N);
        }
        double want = 2.0 / wsum * sqrt(sr * sr + si * si);
        if (fabs(out[k] - want) > worst)
            worst = fabs(out[k] - want);
    }
    CHECK(worst < 1e-5);
    CHECK_NEAR(out[10], 0.7, 0.06);    /* the sine on bin 10 plus noise (about 0.035 per bin) */
    ls_fft_destroy(fft);
}

static double curve(double L, double T, double R, double W)
{
    if (L <= T - W / 2)
        return L;
    if (L >= T + W / 2)
        return T + (L - T) / R;
    double u = L - T + W / 2;
    return L + (1 / R - 1) * u * u / (2 * W);
}

static void test_peak_comp_curve(void)
{
    for (double L = -60; L <= 6; L += 0.25) {
        CHECK_NEAR(ls_peak_comp_curve_db(L, -20, 4, 0), L < -20 ? L : -20 + (L + 20) / 4, 1e-12);
        CHECK_NEAR(ls_peak_comp_curve_db(L, -20, 4, 10), curve(L, -20, 4, 10), 1e-12);
    }
    /* continuous at the knee's edges, and ratio 1 is the identity */
    CHECK_NEAR(ls_peak_comp_curve_db(-25, -20, 4, 10), -25, 1e-12);
    CHECK_NEAR(ls_peak_comp_curve_db(-15, -20, 4, 10), -20 + 5.0 / 4, 1e-12);
    CHECK_NEAR(ls_peak_comp_curve_db(-3, -20, 1, 10), -3, 1e-12);
}

static void test_peak_comp_envelope(void)
{
    enum { N = 4000 };
    const double sr = 8000.0, ta = 0.005, tr = 0.02, T = -20, R = 4;
    static float x[N], y[N];
    for (int i = 0; i < N; i++)
        x[i] = (i >= 1000 && i < 2500) ? 0.9f : 0.05f;
    float th = (float)T, ra = (float)R, at = (float)ta, re = (float)tr, mk = 3.0f, kn = 0.0f;
    ls_peak_comp_params p = {&th, &ra, &at, &re, &mk, &kn, 0, 0, 0, 0, 0, 0};
    ls_peak_comp s;
    ls_peak_comp_reset(&s);
    const float *in[1] = {x};
    float *out[1] = {y};
    for (int i = 0; i < N; i += 128)
        ls_peak_comp_process(&s, in, out, 1, (uint32_t)(N - i < 128 ? N - i : 128), sr, &p),
            in[0] += 128, out[0] += 128;
    double aa = exp(-1 / (ta * sr)), ar = exp(-1 / (tr * sr)), e = 0, worst = 0;
    for (int i = 0; i < N; i++) {
        double pk = fabs(x[i]);
        e += (1 - (pk > e ? aa : ar)) * (pk - e);
        double L = 20 * log10(e);
        double g = pow(10, (curve(L, T, R, 0) - L + 3) / 20);
        if (fabs(y[i] - x[i] * g) > worst)
            worst = fabs(y[i] - x[i] * g);
    }
    CHECK(worst < 1e-5);
}

static void test_pwm(void)
{
    float c[64], m[64], y[64];
    for (int i = 0; i < 64; i++) {
        c[i] = (float)sin(2 * pi * i / 16);
        m[i] = (float)(i - 32) / 32.0f;
    }
    ls_pwm(c, m, 1, y, 64);
    for (int i = 0; i < 64; i++)
        CHECK(y[i] == (c[i] > m[i] ? 1.0f : -1.0f));
    float zero = 0.0f;
    ls_pwm(c, &zero, 0, y, 64);
    for (int i = 0; i < 64; i++)
        CHECK(y[i] == (c[i] > 0 ? 1.0f : -1.0f));
}

TEST_MAIN(TEST(test_level_window), TEST(test_spectrum_vs_dft), TEST(test_peak_comp_curve),
          TEST(test_peak_comp_envelope), TEST(test_pwm))
