#include "noise.h"

#include <math.h>

uint64_t ls_noise_mix_seed(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return z ? z : 0x2545F4914F6CDD1Dull;   /* xorshift needs a non-zero state */
}

/* uniform in [-1, 1): the top 24 bits of xorshift64* */
static inline float next_white(uint64_t *st)
{
    uint64_t x = *st;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *st = x;
    uint64_t r = x * 0x2545F4914F6CDD1Dull;
    return (float)(int32_t)(uint32_t)(r >> 32) * (1.0f / 2147483648.0f);
}

void ls_noise_init(ls_noise_state *s, double sr, uint64_t seed, int type)
{
    s->rng = ls_noise_mix_seed(seed);
    s->type = type;
    /* pink: poles at 3 Hz * 4^k, a zero an octave above each, up to Nyquist */
    const double tau = 6.283185307179586;
    int k = 0;
    double fp = 3.0;
    while (k < LS_PINK_SECTIONS && fp < sr / 2) {
        double fz = fp * 2.0;
        if (fz > 0.45 * sr)
            fz = 0.45 * sr;
        s->pole[k] = (float)exp(-tau * fp / sr);
        s->zero[k] = (float)exp(-tau * fz / sr);
        s->x1[k] = s->y1[k] = 0.0f;
        fp *= 4.0;
        k++;
    }
    s->sections = k;
    /* power gain of the cascade from its impulse response (the slowest pole
     * decays by e every 53 ms: two seconds cover it) */
    double x1[LS_PINK_SECTIONS] = {0}, y1[LS_PINK_SECTIONS] = {0}, energy = 0.0;
    long len = (long)(2.0 * sr);
    for (long i = 0; i < len; i++) {
        double x = i == 0 ? 1.0 : 0.0;
        for (int j = 0; j < k; j++) {
            double y = x - s->zero[j] * x1[j] + s->pole[j] * y1[j];
            x1[j] = x;
            y1[j] = y;
            x = y;
        }
        energy += x * x;
    }
    const double white_rms = 1.0 / sqrt(3.0);
    s->pink_gain = (float)(0.2 / (white_rms * sqrt(energy)));
    s->leak = (float)exp(-tau * 3.0 / sr);
    s->brown = 0.0f;
    double a = s->leak;
    s->brown_gain = (float)(0.2 * sqrt(1.0 - a * a) / white_rms);
}

void ls_noise_render(ls_noise_state *s, float *out, size_t n)
{
    uint64_t st = s->rng;
    if (s->type == 1) {
        const int k = s->sections;
        const float g = s->pink_gain;
        for (size_t i = 0; i < n; i++) {
            float x = next_white(&st);
            for (int j = 0; j < k; j++) {
                float y = x - s->zero[j] * s->x1[j] + s->pole[j] * s->y1[j];
                s->x1[j] = x;
                s->y1[j] = y;
                x = y;
            }
            out[i] = x * g;
        }
    } else if (s->type == 2) {
        float y = s->brown;
        const float a = s->leak, g = s->brown_gain;
        for (size_t i = 0; i < n; i++) {
            y = a * y + next_white(&st);
            out[i] = y * g;
        }
        s->brown = y;
    } else {
        for (size_t i = 0; i < n; i++)
            out[i] = next_white(&st);
    }
    s->rng = st;
}
