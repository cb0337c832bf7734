#include "peakcomp.h"
#include "vmath.h"

#include <math.h>

double ls_peak_comp_curve_db(double L, double T, double R, double W)
{
    if (!(R >= 1.0))
        R = 1.0;
    if (!(W > 0.0))
        W = 0.0;
    double d = L - T;
    if (W == 0.0)
        return d <= 0.0 ? L : T + d / R;
    if (2.0 * d < -W)
        return L;
    if (2.0 * d > W)
        return T + d / R;
    double u = d + W / 2.0;
    return L + (1.0 / R - 1.0) * u * u / (2.0 * W);
}

double ls_peak_comp_coeff(double t, double sr)
{
    if (!(t > 0.0))
        return 0.0;
    return exp(-1.0 / (t * sr));
}

void ls_peak_comp_reset(ls_peak_comp *s)
{
    s->env = 0.0;
}

/* The gain of each frame from its envelope, eight frames at a time: the
 * static curve of ls_peak_comp_curve_db in float, the level and the gain by
 * the vector log2 and exp2. */
static LS_VEC_FN void gains(const float *restrict env, float *restrict g,
                            const ls_peak_comp_params *p, uint32_t i0, uint32_t n)
{
    for (uint32_t i = 0; i < n; i += 8) {
#define PV(name) (p->s_##name ? load8(p->name + i0 + i) : ls_vm_splat(p->name[0]))
        const v8f T = PV(threshold), mk = PV(makeup);
        v8f R = PV(ratio), W = PV(knee);
#undef PV
        R = ls_vm_select(R >= 1.0f, R, ls_vm_splat(1.0f));       /* also NaN -> 1 */
        W = ls_vm_select(W > 0.0f, W, ls_vm_splat(0.0f));
        const v8f e = load8(env + i);
        const v8i live = e > 1e-30f;
        const v8f L = 6.0205999132796239f * ls_vm_log2(ls_vm_select(live, e, ls_vm_splat(1.0f)));
        const v8f d = L - T;
        const v8f iR = 1.0f / R;
        const v8f above = T + d * iR;
        /* hard curve, then the knee where 2|d| <= W */
        v8f G = ls_vm_select(d <= 0.0f, L, above);
        const v8f u = d + 0.5f * W;
        const v8f knee = L + (iR - 1.0f) * u * u / (2.0f * ls_vm_select(W > 0.0f, W,
                                                                        ls_vm_splat(1.0f)));
        const v8i soft = W > 0.0f;
        const v8f Gs = ls_vm_select(2.0f * d < -W, L, ls_vm_select(2.0f * d > W, above, knee));
        G = ls_vm_select(soft, Gs, G);
        const v8f db = mk + ls_vm_select(live, G - L, ls_vm_splat(0.0f));
        store8(g + i, ls_vm_exp2(db * 0.16609640474436813f));  /* 10^(db / 20) */
    }
}

void ls_peak_comp_process(ls_peak_comp *s, const float *const *in, float *const *out,
                          uint32_t channels, uint32_t n, double sr, const ls_peak_comp_params *p)
{
    double env = s->env;
    /* block-constant coefficients once, automated ones per frame */
    double a_att = ls_peak_comp_coeff(p->attack[0], sr);
    double a_rel = ls_peak_comp_coeff(p->release[0], sr);
    float ev[128 + 8], g[128 + 8];
    for (uint32_t i0 = 0; i0 < n; i0 += 128) {
        const uint32_t m = n - i0 < 128 ? n - i0 : 128;
        /* the envelope, frame by frame */
        for (uint32_t i = i0; i < i0 + m; i++) {
            float peak = 0.0f;
            for (uint32_t c = 0; c < channels; c++) {
                float a = fabsf(in[c][i]);
                if (a > peak && isfinite(a))
                    peak = a;
            }
            if (p->s_attack)
                a_att = ls_peak_comp_coeff(p->attack[i], sr);
            if (p->s_release)
                a_rel = ls_peak_comp_coeff(p->release[i], sr);
            double a = peak > env ? a_att : a_rel;
            env += (1.0 - a) * ((double)peak - env);
            ev[i - i0] = (float)env;
        }
        const uint32_t m8 = (m + 7) & ~7u;
        for (uint32_t i = m; i < m8; i++)
            ev[i] = 0.0f;
        if (m8 != m && (p->s_threshold | p->s_ratio | p->s_makeup | p->s_knee)) {
            /* a short last block with per-frame params: frame by frame */
            for (uint32_t i = 0; i < m; i++) {
                const uint32_t k = i0 + i;
                double gain_db = p->makeup[k * p->s_makeup];
                if (ev[i] > 1e-30f) {
                    double L = 20.0 * log10((double)ev[i]);
                    gain_db += ls_peak_comp_curve_db(L, p->threshold[k * p->s_threshold],
                                                     p->ratio[k * p->s_ratio],
                                                     p->knee[k * p->s_knee]) - L;
                }
                g[i] = (float)pow(10.0, gain_db / 20.0);
            }
        } else {
            gains(ev, g, p, i0, m8);
        }
        for (uint32_t c = 0; c < channels; c++) {
            const float *restrict x = in[c] + i0;
            float *y = out[c] + i0;
            for (uint32_t i = 0; i < m; i++)
                y[i] = x[i] * g[i];
        }
    }
    if (!isfinite(env))
        env = 0.0;
    s->env = env;
}

void ls_pwm(const float *carrier, const float *mod, uint32_t ms, float *out, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        out[i] = carrier[i] > mod[i * ms] ? 1.0f : -1.0f;
}
