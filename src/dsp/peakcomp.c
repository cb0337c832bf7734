#include "peakcomp.h"

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

void ls_peak_comp_process(ls_peak_comp *s, const float *const *in, float *const *out,
                          uint32_t channels, uint32_t n, double sr, const ls_peak_comp_params *p)
{
    double env = s->env;
    /* block-constant coefficients once, automated ones per frame */
    double a_att = ls_peak_comp_coeff(p->attack[0], sr);
    double a_rel = ls_peak_comp_coeff(p->release[0], sr);
    for (uint32_t i = 0; i < n; i++) {
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
        double gain_db = p->makeup[i * p->s_makeup];
        if (env > 1e-30) {
            double L = 20.0 * log10(env);
            gain_db += ls_peak_comp_curve_db(L, p->threshold[i * p->s_threshold],
                                             p->ratio[i * p->s_ratio], p->knee[i * p->s_knee]) -
                       L;
        }
        float g = (float)pow(10.0, gain_db / 20.0);
        for (uint32_t c = 0; c < channels; c++)
            out[c][i] = in[c][i] * g;
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
