#include "envelope.h"

#include <math.h>

void ls_envelope_init(ls_envelope *e, bool one_shot)
{
    e->stage = LS_ENV_IDLE;
    e->gate = false;
    e->one_shot = one_shot;
    e->level = 0.0;
    e->start = e->end = 0.0;
    e->len = e->pos = 0;
}

static long frames(float seconds, double sr)
{
    double f = (double)seconds * sr;
    if (!(f > 0.0))
        return 0;
    if (f > 1e15)
        f = 1e15;
    return (long)llround(f);
}

#define AT(p, step, i) ((p)[(step) ? (i) : 0])

static void segment(ls_envelope *e, int stage, double start, double end, long len)
{
    e->stage = stage;
    e->start = start;
    e->end = end;
    e->target = end;
    e->len = len;
    e->pos = 0;
}

/* Enter `stage` at frame i, then skip through any that last no frame. */
static void enter(ls_envelope *e, int stage, const ls_envelope_inputs *in, double sr, size_t i)
{
    for (;;) {
        switch (stage) {
        case LS_ENV_ATTACK: {
            double al = AT(in->attack_level, in->attack_level_step, i);
            long a = frames(AT(in->attack_time, in->attack_time_step, i), sr);
            long len = 0;
            if (a > 0 && al > e->level && al > 0.0)
                len = (long)ceil((al - e->level) / (al / (double)a) - 1e-9);
            if (len > 0) {
                /* slope al / a from the current level; the last frame lands on al */
                segment(e, LS_ENV_ATTACK, e->level, e->level + (double)len * (al / (double)a), len);
                e->target = al;
                return;
            }
            e->level = al;
            stage = LS_ENV_DECAY;
            break;
        }
        case LS_ENV_DECAY: {
            double sl = AT(in->sustain_level, in->sustain_level_step, i);
            long d = frames(AT(in->decay_time, in->decay_time_step, i), sr);
            if (d > 0) {
                segment(e, LS_ENV_DECAY, e->level, sl, d);
                return;
            }
            e->level = sl;
            stage = LS_ENV_SUSTAIN;
            break;
        }
        case LS_ENV_SUSTAIN: {
            long h = e->one_shot ? frames(AT(in->sustain_time, in->sustain_time_step, i), sr) : 0;
            if (!e->one_shot || h > 0) {
                segment(e, LS_ENV_SUSTAIN, e->level, e->level, e->one_shot ? h : 0);
                return;
            }
            stage = LS_ENV_RELEASE;
            break;
        }
        case LS_ENV_RELEASE: {
            long r = frames(AT(in->release_time, in->release_time_step, i), sr);
            if (r > 0 && e->level != 0.0) {
                segment(e, LS_ENV_RELEASE, e->level, 0.0, r);
                return;
            }
            e->level = 0.0;
            stage = LS_ENV_IDLE;
            break;
        }
        default:
            segment(e, LS_ENV_IDLE, 0.0, 0.0, 0);
            e->level = 0.0;
            return;
        }
    }
}

/* The frames from i on, up to n, over which the gate stays on the side of 0
 * that g says. */
static size_t gate_span(const ls_envelope_inputs *in, bool g, size_t i, size_t n)
{
    if (!in->gate_step)
        return n - i;
    size_t j = i + 1;
    if (g) {
        while (j < n && in->gate[j] > 0.0f)
            j++;
    } else {
        while (j < n && !(in->gate[j] > 0.0f))
            j++;
    }
    return j - i;
}

void ls_envelope_run(ls_envelope *e, const ls_envelope_inputs *in, double sr, float *out, size_t n)
{
    size_t i = 0;
    while (i < n) {
        /* the gate's edge at frame i starts a segment */
        bool g = AT(in->gate, in->gate_step, i) > 0.0f;
        if (g && !e->gate)
            enter(e, LS_ENV_ATTACK, in, sr, i);
        else if (!g && e->gate && !e->one_shot && e->stage != LS_ENV_IDLE)
            enter(e, LS_ENV_RELEASE, in, sr, i);
        e->gate = g;

        /* then a run of frames with no edge and no end of segment in it */
        size_t m = gate_span(in, g, i, n);
        bool timed = e->stage != LS_ENV_IDLE && e->len > 0;
        if (timed && (long)m > e->len - e->pos)
            m = (size_t)(e->len - e->pos);
        float *restrict y = out + i;
        double v;
        if (e->stage == LS_ENV_SUSTAIN) {
            if (in->sustain_level_step) {
                const float *restrict s = in->sustain_level + i;
                for (size_t k = 0; k < m; k++)
                    y[k] = (float)(double)s[k];
                v = s[m - 1];
            } else {
                v = in->sustain_level[0];
                const float f = (float)v;
                for (size_t k = 0; k < m; k++)
                    y[k] = f;
            }
        } else if (e->stage == LS_ENV_IDLE) {
            v = e->level;
            const float f = (float)v;
            for (size_t k = 0; k < m; k++)
                y[k] = f;
        } else {
            /* start + (end - start) pos / len, as per frame */
            const double s0 = e->start, d = e->end - e->start, len = (double)e->len;
            const long p0 = e->pos;
            for (size_t k = 0; k < m; k++)
                y[k] = (float)(s0 + d * (double)(p0 + (long)k) / len);
            v = s0 + d * (double)(p0 + (long)m - 1) / len;
        }
        e->level = v;
        i += m;
        if (timed) {
            e->pos += (long)m;
            if (e->pos >= e->len) {
                if (e->stage == LS_ENV_SUSTAIN)
                    e->target = v;
                e->level = e->target;
                int next = e->stage == LS_ENV_ATTACK ? LS_ENV_DECAY
                         : e->stage == LS_ENV_DECAY ? LS_ENV_SUSTAIN
                         : e->stage == LS_ENV_SUSTAIN ? LS_ENV_RELEASE : LS_ENV_IDLE;
                enter(e, next, in, sr, i < n ? i : n - 1);
            }
        }
    }
}
