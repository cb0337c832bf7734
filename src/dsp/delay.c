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

/* One output frame: the frame written at ring position w, delayed by d. */
static inline float tap(const float *ring, uint32_t len, uint32_t w, float d)
{
    const float flen = (float)len;
    float rp = (float)w + (flen - d);
    if (rp >= flen)
        rp -= flen;
    if (rp < 0.0f)
        rp += flen;
    uint32_t k = (uint32_t)rp;
    if (k >= len)
        k -= len;
    float f = rp - (float)k;
    uint32_t k2 = k + 1 == len ? 0 : k + 1;
    float a = ring[k];
    return f == 0.0f ? a : a + f * (ring[k2] - a);
}

void ls_delay_read(const float *ring, uint32_t len, uint32_t pos, float d, float *y, uint32_t n)
{
    if (d == floorf(d) && len < (1u << 24)) {
        /* whole frames: a copy */
        uint32_t di = (uint32_t)d;
        uint32_t rp = pos + len - di;
        if (rp >= len)
            rp -= len;
        /* at most two runs: up to the ring's end, then from its start */
        uint32_t first = len - rp < n ? len - rp : n;
        memcpy(y, ring + rp, sizeof(float) * first);
        for (uint32_t i = first; i < n; i += len) {
            uint32_t k = n - i < len ? n - i : len;
            memcpy(y + i, ring, sizeof(float) * k);
        }
        return;
    }
    uint32_t w = pos;
    for (uint32_t i = 0; i < n; i++) {
        y[i] = tap(ring, len, w, d);
        if (++w == len)
            w = 0;
    }
}

void ls_delay_read_var(const float *ring, uint32_t len, uint32_t pos, const float *d, float *y,
                       uint32_t n)
{
    uint32_t w = pos;
    for (uint32_t i = 0; i < n; i++) {
        y[i] = tap(ring, len, w, d[i]);
        if (++w == len)
            w = 0;
    }
}
