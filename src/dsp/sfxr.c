#include "sfxr.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const ls_sfxr_setting_names[LS_SFXR_SETTINGS] = {
    "wave_type", "attack", "sustain", "sustain_punch", "decay", "start_frequency",
    "min_frequency", "slide", "delta_slide", "vibrato_depth", "vibrato_speed", "change_amount",
    "change_speed", "square_duty", "duty_sweep", "repeat_speed", "phaser_offset", "phaser_sweep",
    "lpf_cutoff", "lpf_cutoff_sweep", "lpf_resonance", "hpf_cutoff", "hpf_cutoff_sweep", "volume"};
const float ls_sfxr_setting_min[LS_SFXR_SETTINGS] = {0, 0, 0, 0, 0, 0, 0, -1, -1, 0, 0, -1,
                                                      0, 0, -1, 0, -1, -1, 0, -1, 0, 0, -1, 0};
const float ls_sfxr_setting_max[LS_SFXR_SETTINGS] = {3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
                                                      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

/* ---- a seeded generator (splitmix64 seeding, xorshift64*) ---------- */

static uint64_t mix(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return z ? z : 0x2545F4914F6CDD1Dull;
}

static uint32_t next32(uint64_t *st)
{
    uint64_t x = *st;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *st = x;
    return (uint32_t)((x * 0x2545F4914F6CDD1Dull) >> 32);
}

/* uniform in [0, range) */
static float frnd(uint64_t *st, float range)
{
    return (float)((double)(next32(st) >> 8) * (1.0 / 16777216.0)) * range;
}

/* a whole number in 0 .. n */
static int rnd(uint64_t *st, int n)
{
    return (int)(next32(st) % (uint32_t)(n + 1));
}

/* ---- settings -------------------------------------------------------- */

void ls_sfxr_defaults(ls_sfxr_settings *s)
{
    memset(s, 0, sizeof *s);
    s->wave_type = LS_SFXR_SQUARE;
    s->start_frequency = 0.3f;
    s->sustain = 0.3f;
    s->decay = 0.4f;
    s->lpf_cutoff = 1.0f;
    s->volume = 0.5f;
}

static void fresh(ls_sfxr_settings *s)
{
    float v = s->volume;
    ls_sfxr_defaults(s);
    s->volume = v;
}

static void clamp_all(ls_sfxr_settings *s)
{
    for (int i = 0; i < LS_SFXR_SETTINGS; i++) {
        float *f = ls_sfxr_field(s, i);
        if (*f < ls_sfxr_setting_min[i])
            *f = ls_sfxr_setting_min[i];
        if (*f > ls_sfxr_setting_max[i])
            *f = ls_sfxr_setting_max[i];
    }
}

/* a signed power that keeps the sign for odd exponents as pow does */
static float spow(float x, int e)
{
    float r = 1.0f;
    for (int i = 0; i < e; i++)
        r *= x;
    return r;
}

int ls_sfxr_make_preset(ls_sfxr_settings *s, int preset, uint64_t seed)
{
    uint64_t g = mix(seed ^ ((uint64_t)preset << 56));
    uint64_t *r = &g;
    switch (preset) {
    case LS_SFXR_GEN_COIN:
        fresh(s);
        s->start_frequency = 0.4f + frnd(r, 0.5f);
        s->attack = 0.0f;
        s->sustain = frnd(r, 0.1f);
        s->decay = 0.1f + frnd(r, 0.4f);
        s->sustain_punch = 0.3f + frnd(r, 0.3f);
        if (rnd(r, 1)) {
            s->change_speed = 0.5f + frnd(r, 0.2f);
            s->change_amount = 0.2f + frnd(r, 0.4f);
        }
        break;
    case LS_SFXR_GEN_LASER:
        fresh(s);
        s->wave_type = (float)rnd(r, 2);
        if (s->wave_type == 2 && rnd(r, 1))
            s->wave_type = (float)rnd(r, 1);
        s->start_frequency = 0.5f + frnd(r, 0.5f);
        s->min_frequency = s->start_frequency - 0.2f - frnd(r, 0.6f);
        if (s->min_frequency < 0.2f)
            s->min_frequency = 0.2f;
        s->slide = -0.15f - frnd(r, 0.2f);
        if (rnd(r, 2) == 0) {
            s->start_frequency = 0.3f + frnd(r, 0.6f);
            s->min_frequency = frnd(r, 0.1f);
            s->slide = -0.35f - frnd(r, 0.3f);
        }
        if (rnd(r, 1)) {
            s->square_duty = frnd(r, 0.5f);
            s->duty_sweep = frnd(r, 0.2f);
        } else {
            s->square_duty = 0.4f + frnd(r, 0.5f);
            s->duty_sweep = -frnd(r, 0.7f);
        }
        s->sustain = 0.1f + frnd(r, 0.2f);
        s->decay = frnd(r, 0.4f);
        if (rnd(r, 1))
            s->sustain_punch = frnd(r, 0.3f);
        if (rnd(r, 2) == 0) {
            s->phaser_offset = frnd(r, 0.2f);
            s->phaser_sweep = -frnd(r, 0.2f);
        }
        if (rnd(r, 1))
            s->hpf_cutoff = frnd(r, 0.3f);
        break;
    case LS_SFXR_GEN_EXPLOSION:
        fresh(s);
        s->wave_type = LS_SFXR_NOISE;
        if (rnd(r, 1)) {
            s->start_frequency = 0.1f + frnd(r, 0.4f);
            s->slide = -0.1f + frnd(r, 0.4f);
        } else {
            s->start_frequency = 0.2f + frnd(r, 0.7f);
            s->slide = -0.2f - frnd(r, 0.2f);
        }
        s->start_frequency *= s->start_frequency;
        if (rnd(r, 4) == 0)
            s->slide = 0.0f;
        if (rnd(r, 2) == 0)
            s->repeat_speed = 0.3f + frnd(r, 0.5f);
        s->sustain = 0.1f + frnd(r, 0.3f);
        s->decay = frnd(r, 0.5f);
        if (rnd(r, 1) == 0) {
            s->phaser_offset = -0.3f + frnd(r, 0.9f);
            s->phaser_sweep = -frnd(r, 0.3f);
        }
        s->sustain_punch = 0.2f + frnd(r, 0.6f);
        if (rnd(r, 1)) {
            s->vibrato_depth = frnd(r, 0.7f);
            s->vibrato_speed = frnd(r, 0.6f);
        }
        if (rnd(r, 2) == 0) {
            s->change_speed = 0.6f + frnd(r, 0.3f);
            s->change_amount = 0.8f - frnd(r, 1.6f);
        }
        break;
    case LS_SFXR_GEN_POWER_UP:
        fresh(s);
        if (rnd(r, 1))
            s->wave_type = LS_SFXR_SAWTOOTH;
        else
            s->square_duty = frnd(r, 0.6f);
        s->start_frequency = 0.2f + frnd(r, 0.3f);
        if (rnd(r, 1)) {
            s->slide = 0.1f + frnd(r, 0.4f);
            s->repeat_speed = 0.4f + frnd(r, 0.4f);
        } else {
            s->slide = 0.05f + frnd(r, 0.2f);
            if (rnd(r, 1)) {
                s->vibrato_depth = frnd(r, 0.7f);
                s->vibrato_speed = frnd(r, 0.6f);
            }
        }
        s->sustain = frnd(r, 0.4f);
        s->decay = 0.1f + frnd(r, 0.4f);
        break;
    case LS_SFXR_GEN_HIT:
        fresh(s);
        s->wave_type = (float)rnd(r, 2);
        if (s->wave_type == 2)
            s->wave_type = LS_SFXR_NOISE;
        if (s->wave_type == LS_SFXR_SQUARE)
            s->square_duty = frnd(r, 0.6f);
        s->start_frequency = 0.2f + frnd(r, 0.6f);
        s->slide = -0.3f - frnd(r, 0.4f);
        s->sustain = frnd(r, 0.1f);
        s->decay = 0.1f + frnd(r, 0.2f);
        if (rnd(r, 1))
            s->hpf_cutoff = frnd(r, 0.3f);
        break;
    case LS_SFXR_GEN_JUMP:
        fresh(s);
        s->wave_type = LS_SFXR_SQUARE;
        s->square_duty = frnd(r, 0.6f);
        s->start_frequency = 0.3f + frnd(r, 0.3f);
        s->slide = 0.1f + frnd(r, 0.2f);
        s->sustain = 0.1f + frnd(r, 0.3f);
        s->decay = 0.1f + frnd(r, 0.2f);
        if (rnd(r, 1))
            s->hpf_cutoff = frnd(r, 0.3f);
        if (rnd(r, 1))
            s->lpf_cutoff = 1.0f - frnd(r, 0.6f);
        break;
    case LS_SFXR_GEN_SELECT:
        fresh(s);
        s->wave_type = (float)rnd(r, 1);
        if (s->wave_type == LS_SFXR_SQUARE)
            s->square_duty = frnd(r, 0.6f);
        s->start_frequency = 0.2f + frnd(r, 0.4f);
        s->sustain = 0.1f + frnd(r, 0.1f);
        s->decay = frnd(r, 0.2f);
        s->hpf_cutoff = 0.1f;
        break;
    case LS_SFXR_GEN_MUTATE:
        for (int i = 1; i < LS_SFXR_SETTINGS - 1; i++) {
            if (rnd(r, 1))
                *ls_sfxr_field(s, i) += frnd(r, 0.1f) - 0.05f;
        }
        clamp_all(s);
        break;
    case LS_SFXR_GEN_RANDOMIZE:
        fresh(s);
        s->wave_type = (float)rnd(r, 3);
        s->start_frequency = spow(frnd(r, 2.0f) - 1.0f, 2);
        if (rnd(r, 1))
            s->start_frequency = spow(frnd(r, 2.0f) - 1.0f, 3) + 0.5f;
        s->min_frequency = 0.0f;
        s->slide = spow(frnd(r, 2.0f) - 1.0f, 5);
        if (s->start_frequency > 0.7f && s->slide > 0.2f)
            s->slide = -s->slide;
        if (s->start_frequency < 0.2f && s->slide < -0.05f)
            s->slide = -s->slide;
        s->delta_slide = spow(frnd(r, 2.0f) - 1.0f, 3);
        s->square_duty = frnd(r, 2.0f) - 1.0f;
        s->duty_sweep = spow(frnd(r, 2.0f) - 1.0f, 3);
        s->vibrato_depth = spow(frnd(r, 2.0f) - 1.0f, 3);
        s->vibrato_speed = frnd(r, 2.0f) - 1.0f;
        s->attack = spow(frnd(r, 2.0f) - 1.0f, 3);
        s->sustain = spow(frnd(r, 2.0f) - 1.0f, 2);
        s->decay = frnd(r, 2.0f) - 1.0f;
        s->sustain_punch = spow(frnd(r, 0.8f), 2);
        if (s->attack + s->sustain + s->decay < 0.2f) {
            s->sustain += 0.2f + frnd(r, 0.3f);
            s->decay += 0.2f + frnd(r, 0.3f);
        }
        s->lpf_resonance = frnd(r, 2.0f) - 1.0f;
        s->lpf_cutoff = 1.0f - spow(frnd(r, 1.0f), 3);
        s->lpf_cutoff_sweep = spow(frnd(r, 2.0f) - 1.0f, 3);
        if (s->lpf_cutoff < 0.1f && s->lpf_cutoff_sweep < -0.05f)
            s->lpf_cutoff_sweep = -s->lpf_cutoff_sweep;
        s->hpf_cutoff = spow(frnd(r, 1.0f), 5);
        s->hpf_cutoff_sweep = spow(frnd(r, 2.0f) - 1.0f, 5);
        s->phaser_offset = spow(frnd(r, 2.0f) - 1.0f, 3);
        s->phaser_sweep = spow(frnd(r, 2.0f) - 1.0f, 3);
        s->repeat_speed = frnd(r, 2.0f) - 1.0f;
        s->change_speed = frnd(r, 2.0f) - 1.0f;
        s->change_amount = frnd(r, 2.0f) - 1.0f;
        /* sfxr's sliders hold values in their ranges; a sound far too
         * short or silent is lengthened so that every seed is audible */
        clamp_all(s);
        if (s->sustain + s->decay < 0.2f)
            s->sustain = 0.2f;
        if (s->lpf_cutoff < 0.1f)
            s->lpf_cutoff = 0.1f;
        if (s->hpf_cutoff > 0.5f)
            s->hpf_cutoff = 0.5f;
        break;
    default:
        return -1;
    }
    return 0;
}

static int env_len(float v)
{
    return (int)(v * v * 100000.0f);
}

uint64_t ls_sfxr_envelope_frames(const ls_sfxr_settings *s)
{
    return (uint64_t)env_len(s->attack) + (uint64_t)env_len(s->sustain) +
           (uint64_t)env_len(s->decay) + 3u;
}

/* ---- the synthesizer ------------------------------------------------- */

/* sfxr's ResetSample: restart = 1 re-reads only the frequency group */
static void reset(ls_sfxr_state *s, int restart)
{
    const ls_sfxr_settings *p = &s->p;
    if (!restart)
        s->phase = 0;
    s->fperiod = 100.0 / ((double)p->start_frequency * p->start_frequency + 0.001);
    s->period = (int)s->fperiod;
    s->fmaxperiod = 100.0 / ((double)p->min_frequency * p->min_frequency + 0.001);
    s->fslide = 1.0 - pow((double)p->slide, 3.0) * 0.01;
    s->fdslide = -pow((double)p->delta_slide, 3.0) * 0.000001;
    s->square_duty = 0.5f - p->square_duty * 0.5f;
    s->square_slide = -p->duty_sweep * 0.00005f;
    if (p->change_amount >= 0.0f)
        s->arp_mod = 1.0 - pow((double)p->change_amount, 2.0) * 0.9;
    else
        s->arp_mod = 1.0 + pow((double)p->change_amount, 2.0) * 10.0;
    s->arp_time = 0;
    s->arp_limit = (int)(powf(1.0f - p->change_speed, 2.0f) * 20000.0f + 32.0f);
    if (p->change_speed == 1.0f)
        s->arp_limit = 0;
    if (restart)
        return;
    s->fltp = s->fltdp = 0.0f;
    s->fltw = powf(p->lpf_cutoff, 3.0f) * 0.1f;
    s->fltw_d = 1.0f + p->lpf_cutoff_sweep * 0.0001f;
    s->fltdmp = 5.0f / (1.0f + powf(p->lpf_resonance, 2.0f) * 20.0f) * (0.01f + s->fltw);
    if (s->fltdmp > 0.8f)
        s->fltdmp = 0.8f;
    s->fltphp = 0.0f;
    s->flthp = powf(p->hpf_cutoff, 2.0f) * 0.1f;
    s->flthp_d = 1.0f + p->hpf_cutoff_sweep * 0.0003f;
    s->vib_phase = 0.0f;
    s->vib_speed = powf(p->vibrato_speed, 2.0f) * 0.01f;
    s->vib_amp = p->vibrato_depth * 0.5f;
    s->env_vol = 0.0f;
    s->env_stage = 0;
    s->env_time = 0;
    s->env_length[0] = env_len(p->attack);
    s->env_length[1] = env_len(p->sustain);
    s->env_length[2] = env_len(p->decay);
    s->fphase = powf(p->phaser_offset, 2.0f) * 1020.0f;
    if (p->phaser_offset < 0.0f)
        s->fphase = -s->fphase;
    s->fdphase = powf(p->phaser_sweep, 2.0f);
    if (p->phaser_sweep < 0.0f)
        s->fdphase = -s->fdphase;
    s->iphase = abs((int)s->fphase);
    s->ipp = 0;
    memset(s->phaser_buffer, 0, sizeof s->phaser_buffer);
    for (int i = 0; i < 32; i++)
        s->noise_buffer[i] = frnd(&s->rng, 2.0f) - 1.0f;
    s->rep_time = 0;
    s->rep_limit = (int)(powf(1.0f - p->repeat_speed, 2.0f) * 20000.0f + 32.0f);
    if (p->repeat_speed == 0.0f)
        s->rep_limit = 0;
}

void ls_sfxr_start(ls_sfxr_state *s, const ls_sfxr_settings *settings, uint64_t seed)
{
    s->p = *settings;
    s->rng = mix(seed);
    s->playing = 1;
    reset(s, 0);
}

size_t ls_sfxr_render(ls_sfxr_state *s, float *out, size_t n)
{
    const ls_sfxr_settings *p = &s->p;
    const int wave = (int)p->wave_type;
    size_t i;
    for (i = 0; i < n && s->playing; i++) {
        s->rep_time++;
        if (s->rep_limit != 0 && s->rep_time >= s->rep_limit) {
            s->rep_time = 0;
            reset(s, 1);
        }
        s->arp_time++;
        if (s->arp_limit != 0 && s->arp_time >= s->arp_limit) {
            s->arp_limit = 0;
            s->fperiod *= s->arp_mod;
        }
        s->fslide += s->fdslide;
        s->fperiod *= s->fslide;
        if (s->fperiod > s->fmaxperiod) {
            s->fperiod = s->fmaxperiod;
            if (p->min_frequency > 0.0f) {
                s->playing = 0;
                break;
            }
        }
        double rfperiod = s->fperiod;
        if (s->vib_amp > 0.0f) {
            s->vib_phase += s->vib_speed;
            rfperiod = s->fperiod * (1.0 + sin((double)s->vib_phase) * s->vib_amp);
        }
        s->period = (int)rfperiod;
        if (s->period < 8)
            s->period = 8;
        s->square_duty += s->square_slide;
        if (s->square_duty < 0.0f)
            s->square_duty = 0.0f;
        if (s->square_duty > 0.5f)
            s->square_duty = 0.5f;
        /* the envelope */
        s->env_time++;
        if (s->env_time > s->env_length[s->env_stage]) {
            s->env_time = 0;
            s->env_stage++;
            if (s->env_stage == 3) {
                s->playing = 0;
                out[i] = 0.0f;     /* sfxr's last frame: the decay has reached 0 */
                i++;
                break;
            }
        }
        const float len = (float)(s->env_length[s->env_stage] > 0 ? s->env_length[s->env_stage] : 1);
        if (s->env_stage == 0)
            s->env_vol = (float)s->env_time / len;
        else if (s->env_stage == 1)
            s->env_vol = 1.0f + (1.0f - (float)s->env_time / len) * 2.0f * p->sustain_punch;
        else
            s->env_vol = 1.0f - (float)s->env_time / len;
        /* the phaser's delay */
        s->fphase += s->fdphase;
        s->iphase = abs((int)s->fphase);
        if (s->iphase > 1023)
            s->iphase = 1023;
        if (s->flthp_d != 0.0f) {
            s->flthp *= s->flthp_d;
            if (s->flthp < 0.00001f)
                s->flthp = 0.00001f;
            if (s->flthp > 0.1f)
                s->flthp = 0.1f;
        }
        float acc = 0.0f;
        for (int k = 0; k < 8; k++) {
            float x = 0.0f;
            s->phase++;
            if (s->phase >= s->period) {
                s->phase %= s->period;
                if (wave == LS_SFXR_NOISE)
                    for (int j = 0; j < 32; j++)
                        s->noise_buffer[j] = frnd(&s->rng, 2.0f) - 1.0f;
            }
            const float fp = (float)s->phase / (float)s->period;
            switch (wave) {
            case LS_SFXR_SQUARE: x = fp < s->square_duty ? 0.5f : -0.5f; break;
            case LS_SFXR_SAWTOOTH: x = 1.0f - fp * 2.0f; break;
            case LS_SFXR_SINE: x = (float)sin(fp * 6.283185307179586); break;
            default: x = s->noise_buffer[s->phase * 32 / s->period]; break;
            }
            /* the resonant low-pass */
            const float pp = s->fltp;
            s->fltw *= s->fltw_d;
            if (s->fltw < 0.0f)
                s->fltw = 0.0f;
            if (s->fltw > 0.1f)
                s->fltw = 0.1f;
            if (p->lpf_cutoff != 1.0f) {
                s->fltdp += (x - s->fltp) * s->fltw;
                s->fltdp -= s->fltdp * s->fltdmp;
            } else {
                s->fltp = x;
                s->fltdp = 0.0f;
            }
            s->fltp += s->fltdp;
            /* the high-pass */
            s->fltphp += s->fltp - pp;
            s->fltphp -= s->fltphp * s->flthp;
            x = s->fltphp;
            /* the phaser */
            s->phaser_buffer[s->ipp & 1023] = x;
            x += s->phaser_buffer[(s->ipp - s->iphase + 1024) & 1023];
            s->ipp = (s->ipp + 1) & 1023;
            acc += x * s->env_vol;
        }
        float y = acc / 8.0f * p->volume;
        if (y > 1.0f)
            y = 1.0f;
        if (y < -1.0f)
            y = -1.0f;
        out[i] = y;
    }
    if (i < n && !s->playing)
        return i;
    return i;
}
