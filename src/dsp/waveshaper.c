/* WaveShaper curve and 2x resamplers: see waveshaper.h. */
#include "waveshaper.h"

#include <math.h>
#include <string.h>

#define UP_TAPS 128
#define DOWN_TAPS 256

static const double LS_PI = 3.14159265358979323846;

static float up_kernel[UP_TAPS];
static float down_kernel[DOWN_TAPS / 2];   /* the odd taps of the half-band filter */
static int kernels_ready;

static double blackman(double x)      /* x in [0, 1] */
{
    const double alpha = 0.16;
    return 0.5 * (1.0 - alpha) - 0.5 * cos(2.0 * LS_PI * x) + 0.5 * alpha * cos(4.0 * LS_PI * x);
}

void ls_resample_init_kernels(void)
{
    if (kernels_ready)
        return;
    /* interpolation half-way between input frames: sinc centred at 63.5 */
    for (int i = 0; i < UP_TAPS; i++) {
        double t = (double)i - UP_TAPS / 2 + 0.5;
        double s = LS_PI * t;
        double sinc = s == 0.0 ? 1.0 : sin(s) / s;
        up_kernel[i] = (float)(sinc * blackman(((double)i + 0.5) / UP_TAPS));
    }
    /* half-band low-pass (cut-off at a quarter of the input rate) */
    for (int i = 1; i < DOWN_TAPS; i += 2) {
        double s = 0.5 * LS_PI * (double)(i - DOWN_TAPS / 2);
        double sinc = s == 0.0 ? 1.0 : sin(s) / s;
        down_kernel[(i - 1) / 2] = (float)(0.5 * sinc * blackman((double)i / DOWN_TAPS));
    }
    kernels_ready = 1;
}

void ls_waveshaper_apply(const float *curve, size_t n, const float *x, float *y, size_t count)
{
    const double last = (double)(n - 1);
    for (size_t i = 0; i < count; i++) {
        double v = 0.5 * last * ((double)x[i] + 1.0);
        float out;
        if (!(v > 0.0)) {
            out = curve[0];          /* also NaN input */
        } else if (v >= last) {
            out = curve[n - 1];
        } else {
            size_t k = (size_t)v;
            double f = v - (double)k;
            out = (float)((1.0 - f) * curve[k] + f * curve[k + 1]);
        }
        y[i] = out;
    }
}

void ls_upsample2(ls_upsampler2 *s, const float *x, float *y, size_t n)
{
    float *b = s->buf;            /* b[H + i] = x[i]; b[H - k] = k frames ago */
    const size_t H = LS_RESAMPLE_HISTORY;
    memcpy(b + H, x, sizeof(float) * n);
    for (size_t i = 0; i < n; i++) {
        const float *p = b + H + i;
        double acc = 0.0;
        for (int m = 0; m < UP_TAPS; m++)
            acc += (double)up_kernel[m] * p[-m];
        y[2 * i] = p[-UP_TAPS / 2];
        y[2 * i + 1] = (float)acc;
    }
    memmove(b, b + n, sizeof(float) * H);
}

void ls_downsample2(ls_downsampler2 *s, const float *x, float *y, size_t n)
{
    float *b = s->buf;
    const size_t H = LS_RESAMPLE_HISTORY;
    const size_t m2 = 2 * n;
    memcpy(b + H, x, sizeof(float) * m2);
    for (size_t i = 0; i < n; i++) {
        /* odd input frames, one frame late: o[j] = b[H + 2j - 1] */
        const float *p = b + H + 2 * i - 1;
        double acc = 0.0;
        for (int m = 0; m < DOWN_TAPS / 2; m++)
            acc += (double)down_kernel[m] * p[-2 * m];
        acc += 0.5 * (double)b[H + 2 * i - DOWN_TAPS / 2];
        y[i] = (float)acc;
    }
    memmove(b, b + m2, sizeof(float) * H);
}
