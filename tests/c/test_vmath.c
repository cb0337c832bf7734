/*
 * The vectorized elementary functions (src/dsp/vmath.h) against libm's
 * double-precision ones, over the ranges their header states, with the
 * errors it promises: exp2 relative 1e-7, log2 3e-7 + 1 ulp, sin 1.6e-7.
 */
#include "check.h"

#include "dsp/vmath.h"

#include <math.h>
#include <stdint.h>

static void test_exp2(void)
{
    double worst = 0.0;
    for (int k = 0; k < 1 << 20; k += 8) {
        float x[8];
        for (int j = 0; j < 8; j++)
            x[j] = -125.0f + 250.0f * (float)(k + j) / (float)(1 << 20);
        v8f y = ls_vm_exp2(load8(x));
        for (int j = 0; j < 8; j++) {
            double r = exp2((double)x[j]);
            double e = fabs((double)y[j] - r) / r;
            worst = e > worst ? e : worst;
        }
    }
    CHECK(worst < 1e-7);
    /* exact at the integers, clamped beyond +-126 */
    v8f y = ls_vm_exp2((v8f){0.0f, 1.0f, -3.0f, 10.0f, 0.0f, 0.0f, 0.0f, 0.0f});
    CHECK(y[0] == 1.0f && y[1] == 2.0f && y[2] == 0.125f && y[3] == 1024.0f);
    y = ls_vm_exp2((v8f){-1000.0f, 1000.0f, -126.0f, 126.0f, 0.0f, 0.0f, 0.0f, 0.0f});
    CHECK(y[0] == y[2] && y[1] == y[3] && isfinite(y[1]) && y[0] > 0.0f);
}

static void test_log2(void)
{
    double worst = 0.0;
    for (int k = 0; k < 1 << 20; k += 8) {
        float x[8];
        for (int j = 0; j < 8; j++)   /* 1e-30 .. 1e30, log-spaced */
            x[j] = (float)pow(10.0, -30.0 + 60.0 * (double)(k + j) / (double)(1 << 20));
        v8f y = ls_vm_log2(load8(x));
        for (int j = 0; j < 8; j++) {
            double r = log2((double)x[j]);
            double e = fabs((double)y[j] - r) - 0.5 * (nextafterf((float)fabs(r), INFINITY) - (float)fabs(r));
            worst = e > worst ? e : worst;
        }
    }
    CHECK(worst < 3e-7);
    v8f y = ls_vm_log2((v8f){1.0f, 2.0f, 0.5f, 1024.0f, 1.0f, 1.0f, 1.0f, 1.0f});
    CHECK(y[0] == 0.0f && y[1] == 1.0f && y[2] == -1.0f && y[3] == 10.0f);
}

static void test_sin_quarter(void)
{
    double worst = 0.0;
    for (int k = 0; k <= 1 << 20; k += 8) {
        float x[8];
        for (int j = 0; j < 8; j++)
            x[j] = 1.5707963267948966f * (float)(k + j) / (float)(1 << 20);
        v8f y = ls_vm_sin_quarter(load8(x));
        for (int j = 0; j < 8; j++) {
            double e = fabs((double)y[j] - sin((double)x[j]));
            worst = e > worst ? e : worst;
        }
    }
    CHECK(worst < 1.6e-7);
}

/* tanh against libm's double tanh over [-12, 12]: relative error (absolute
 * near 0 is tinier still), and the sign, NaN and the saturation */
static void test_tanh(void)
{
    double worst = 0.0;
    for (int k = -(1 << 20); k <= 1 << 20; k += 8) {
        float x[8];
        for (int j = 0; j < 8; j++)
            x[j] = 12.0f * (float)(k + j) / (float)(1 << 20);
        v8f y = ls_vm_tanh(load8(x));
        for (int j = 0; j < 8; j++) {
            double t = tanh((double)x[j]);
            double e = fabs((double)y[j] - t) / (fabs(t) > 1e-30 ? fabs(t) : 1.0);
            worst = e > worst ? e : worst;
        }
    }
    CHECK(worst < 4e-7);
    float s[8] = {0.0f, -0.0f, 1e-20f, -1e-20f, 50.0f, -50.0f, 1e30f, NAN};
    v8f y = ls_vm_tanh(load8(s));
    CHECK(y[0] == 0.0f && y[1] == 0.0f && signbit(y[1]));
    CHECK(y[2] == 1e-20f && y[3] == -1e-20f);
    CHECK(y[4] == 1.0f && y[5] == -1.0f && y[6] == 1.0f);
    CHECK(isnan(y[7]));
}

TEST_MAIN(TEST(test_exp2), TEST(test_log2), TEST(test_sin_quarter), TEST(test_tanh))
