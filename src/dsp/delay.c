/* Delay line kernel: see delay.h. */
#include "delay.h"

#include <math.h>
#include <string.h>

void ls_delay_write(float *ring, uint32_t len, uint32_t pos, const float *x, uint32_t n)
{
    uint32_t first = len - pos < n ? len - pos : n;
    memcpy(ring + pos, x, sizeof(float) * first);
    if (first < n)
        memcpy(ring, x + first, sizeof(float) * (n - first));
}

void ls_delay_write_zeros(float *ring, uint32_t len, uint32_t pos, uint32_t n)
{
    uint32_t first = len - pos < n ? len - pos : n;
    memset(ring + pos, 0, sizeof(float) * first);
    if (first < n)
        memset(ring, 0, sizeof(float) * (n - first));
}

static inline float tap(const float *ring, uint32_t len, double rp)
{
    /* rp in [0, len) */
    uint32_t k = (uint32_t)rp;
    if (k >= len)
        k -= len;
    double f = rp - (double)k;
    uint32_t k2 = k + 1 == len ? 0 : k + 1;
    float a = ring[k], b = ring[k2];
    return f == 0.0 ? a : (float)((1.0 - f) * a + f * b);
}

void ls_delay_read(const float *ring, uint32_t len, uint32_t pos, double d, float *y, uint32_t n)
{
    double whole = floor(d);
    if (d == whole) {
        /* integer delay: a copy */
        uint32_t di = (uint32_t)whole;
        uint32_t rp = pos + len - di;
        if (rp >= len)
            rp -= len;
        for (uint32_t i = 0; i < n; i++) {
            y[i] = ring[rp];
            if (++rp == len)
                rp = 0;
        }
        return;
    }
    double rp = (double)pos + (double)len - d;
    if (rp >= len)
        rp -= len;
    for (uint32_t i = 0; i < n; i++) {
        y[i] = tap(ring, len, rp);
        rp += 1.0;
        if (rp >= len)
            rp -= len;
    }
}

void ls_delay_read_var(const float *ring, uint32_t len, uint32_t pos, const double *d, float *y,
                       uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        double rp = (double)pos + (double)i + (double)len - d[i];
        while (rp >= len)
            rp -= len;
        if (rp < 0.0)
            rp += len;
        y[i] = tap(ring, len, rp);
    }
}
