/*
 * The spatial DSP kernels without a context: panning geometry against
 * hand-computed cases, the HRTF model against Woodworth's ITD formula and
 * Brown & Duda's pinna table, its kernel on steady signals and impulses, and
 * the compressor's look-ahead, linear region and ratio.
 */
#include "check.h"
#include "dsp/compressor.h"
#include "dsp/hrtf.h"
#include "dsp/panning.h"

#include <math.h>
#include <string.h>

static const float origin[3] = {0, 0, 0}, fwd[3] = {0, 0, -1}, up[3] = {0, 1, 0};

static void test_azimuth_elevation(void)
{
    double az, el;
    const float right[3] = {1, 0, 0}, left[3] = {-2, 0, 0}, front[3] = {0, 0, -3};
    const float back_right[3] = {1, 0, 1}, above[3] = {0, 5, 0}, front_up[3] = {0, 1, -1};
    ls_panning_azimuth_elevation(right, origin, fwd, up, &az, &el);
    CHECK_NEAR(az, 90, 1e-4);
    CHECK_NEAR(el, 0, 1e-4);
    ls_panning_azimuth_elevation(left, origin, fwd, up, &az, &el);
    CHECK_NEAR(az, -90, 1e-4);
    ls_panning_azimuth_elevation(front, origin, fwd, up, &az, &el);
    CHECK_NEAR(az, 0, 1e-4);
    ls_panning_azimuth_elevation(back_right, origin, fwd, up, &az, &el);
    CHECK_NEAR(az, 135, 1e-4);
    ls_panning_azimuth_elevation(above, origin, fwd, up, &az, &el);
    CHECK_NEAR(el, 90, 1e-3);
    ls_panning_azimuth_elevation(front_up, origin, fwd, up, &az, &el);
    CHECK_NEAR(az, 0, 1e-4);
    CHECK_NEAR(el, 45, 1e-4);
    ls_panning_azimuth_elevation(origin, origin, fwd, up, &az, &el);
    CHECK(az == 0 && el == 0);
}

static void test_gains(void)
{
    double gl, gr;
    ls_panning_equalpower_gains(0, 0, &gl, &gr);
    CHECK_NEAR(gl, sqrt(0.5), 1e-12);
    CHECK_NEAR(gr, sqrt(0.5), 1e-12);
    ls_panning_equalpower_gains(90, 0, &gl, &gr);
    CHECK_NEAR(gr, 1, 1e-12);
    ls_panning_equalpower_gains(135, 0, &gl, &gr);    /* behind aliases to the front */
    double fl, fr;
    ls_panning_equalpower_gains(45, 0, &fl, &fr);
    CHECK_NEAR(gl, fl, 1e-12);
    ls_panning_equalpower_gains(-45, 1, &gl, &gr);
    CHECK_NEAR(gl, cos(M_PI / 4), 1e-12);
    CHECK_NEAR(ls_panning_distance_gain(1, 3, 1, 10000, 1), 1.0 / 3.0, 1e-12);
    CHECK_NEAR(ls_panning_distance_gain(0, 5.5, 1, 10, 1), 0.5, 1e-12);
    CHECK_NEAR(ls_panning_distance_gain(2, 4, 2, 10000, 2), 0.25, 1e-12);
    CHECK_NEAR(ls_panning_distance_gain(1, 0.5, 1, 10000, 1), 1.0, 1e-12);
    const float src[3] = {0, 0, -2}, facing[3] = {0, 0, 1}, away[3] = {0, 0, -1};
    CHECK_NEAR(ls_panning_cone_gain(src, facing, origin, 60, 120, 0.25), 1.0, 1e-12);
    CHECK_NEAR(ls_panning_cone_gain(src, away, origin, 60, 120, 0.25), 0.25, 1e-12);
}

/* The block geometry against the exact formula in double: the lateral
 * cosine of the source's projection on the listener's horizontal plane, and
 * the distance. A tilted listener; sources in front, behind, above, beside
 * (on the interaural axis, where the block redoes its frames in the
 * scalar form's order of operations) and at the listener itself. */
static void test_lateral_block(void)
{
    const float pos[3] = {0.5f, -0.25f, 2.0f}, fwd[3] = {0.2f, 0.1f, -1.0f}, up[3] = {0, 1, 0.1f};
    ls_panning_basis b;
    ls_panning_basis_make(fwd, up, &b);
    enum { N = 64 };
    float sx[N], sy[N], sz[N], d[N];
    double dist[N];
    for (int block = 0; block < 2; block++) {
        for (int i = 0; i < N; i++) {
            double a = 2.0 * M_PI * i / N;
            double rad = 0.3 + 7.0 * i / N;
            if (block == 0) {   /* around the listener, off the axis */
                sx[i] = pos[0] + (float)(rad * sin(a));
                sy[i] = pos[1] + (float)(0.7 * cos(3 * a));
                sz[i] = pos[2] + (float)(rad * cos(a));
            } else {            /* along the right vector, then at the listener */
                sx[i] = pos[0] + (float)((i - N / 2) * b.right[0]);
                sy[i] = pos[1] + (float)((i - N / 2) * b.right[1]);
                sz[i] = pos[2] + (float)((i - N / 2) * b.right[2]);
            }
        }
        ls_panning_lateral_block(sx, sy, sz, pos, &b, d, dist, N);
        for (int i = 0; i < N; i++) {
            double v[3] = {(double)sx[i] - pos[0], (double)sy[i] - pos[1], (double)sz[i] - pos[2]};
            double l = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
            CHECK_NEAR(dist[i], l, 1e-5 * (1 + l));
            double su = v[0] * b.up[0] + v[1] * b.up[1] + v[2] * b.up[2];
            double q[3] = {v[0] - su * b.up[0], v[1] - su * b.up[1], v[2] - su * b.up[2]};
            double ql = sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2]);
            double want = ql < 1e-6 ? 0.0 : (q[0] * b.right[0] + q[1] * b.right[1] + q[2] * b.right[2]) / ql;
            CHECK_NEAR(d[i], want, 1e-5);
            if (block == 1) {   /* the exact order of operations: as the scalar form */
                float src[3] = {sx[i], sy[i], sz[i]};
                double sd;
                CHECK(d[i] == ls_panning_lateral(src, pos, &b, &sd));
            }
        }
    }
}

static void test_hrtf_model(void)
{
    const double rate = 48000.0, ac = LS_HRTF_HEAD_RADIUS / LS_HRTF_SPEED_OF_SOUND;
    ls_hrtf_direction dir;
    for (int deg = 0; deg <= 90; deg += 15) {
        double th = deg * M_PI / 180.0;
        ls_hrtf_model(deg, 0, rate, &dir);
        CHECK_NEAR((dir.delay[0] - dir.delay[1]) / rate, ac * (th + sin(th)), 1e-7);   /* Woodworth */
        CHECK(deg == 0 ? fabsf(dir.alpha[0] - dir.alpha[1]) < 1e-6f
                       : dir.alpha[1] > dir.alpha[0]);   /* near ear brighter */
    }
    /* the pinna echoes, Brown & Duda's table at 44.1 kHz:
     * tau_k = A_k cos(theta/2) sin(D_k (90 - phi)) + B_k */
    const double b[5] = {2, 4, 7, 11, 13};
    ls_hrtf_model(0, 0, 44100, &dir);                 /* ahead: theta 0, phi 0 */
    CHECK_NEAR(dir.echo[1][0], 3.0, 1e-5);
    for (int k = 1; k < 5; k++)
        CHECK_NEAR(dir.echo[1][k], 5.0 * sqrt(0.5) + b[k], 1e-5);
    ls_hrtf_model(0, -90, 44100, &dir);               /* below: the longest */
    CHECK_NEAR(dir.echo[0][0], 2.0, 1e-5);
    CHECK_NEAR(dir.echo[0][4], 18.0, 1e-5);
    ls_hrtf_model(90, 30, 88200, &dir);               /* scaled with the rate */
    const double half = sqrt(1.0 - cos(M_PI / 6) * 0.5);   /* cos(theta/2) */
    CHECK_NEAR(dir.echo[0][2], 2.0 * (5.0 * half * sin(M_PI / 6) + 7.0), 1e-4);
    const double offsets_at[3][2] = {{180, 0}, {-180, 0}, {0, 90}};   /* behind, above */
    for (int i = 0; i < 3; i++) {
        ls_hrtf_model(offsets_at[i][0], offsets_at[i][1], 44100, &dir);
        for (int k = 0; k < 5; k++)
            CHECK_NEAR(dir.echo[1][k], b[k], 1e-5);
    }
    /* the coefficients sum to 1 with the direct sound's */
    float sum = 1.0f;
    for (int k = 0; k < 5; k++)
        sum += ls_hrtf_echo_gain[k];
    CHECK(sum == 1.0f);
    /* continuous straight below, where the azimuth is undefined */
    ls_hrtf_direction a, c;
    ls_hrtf_model(0, -89.99, 44100, &a);
    ls_hrtf_model(180, -89.99, 44100, &c);
    CHECK(fabsf(a.echo[0][4] - c.echo[0][4]) < 1e-3f);
    /* both ears' echoes agree; every delay is in range at the highest rate */
    for (int el = -90; el <= 90; el += 15)
        for (int az = -180; az <= 180; az += 15) {
            ls_hrtf_model(az, el, 768000, &dir);
            for (int e = 0; e < 2; e++) {
                CHECK(dir.delay[e] >= 0.0f);
                for (int k = 0; k < 5; k++) {
                    CHECK(dir.echo[e][k] == dir.echo[0][k]);
                    CHECK(dir.echo[e][k] >= (float)(b[k] * 768000 / 44100) * 0.9999f);
                    CHECK(dir.delay[e] + dir.echo[e][k] < LS_HRTF_MAX_DELAY);
                }
            }
        }
}

static void test_hrtf_process(void)
{
    const double rate = 48000.0;
    static ls_hrtf h;
    ls_hrtf_init(&h, rate);
    ls_hrtf_direction dir;
    ls_hrtf_model(90, 0, rate, &dir);
    float x[128], l[128], r[128];
    /* a steady signal through a static direction: the far ear is darker */
    double el = 0, er = 0;
    for (int b = 0; b < 40; b++) {
        for (int i = 0; i < 128; i++)
            x[i] = (float)sin(2 * M_PI * 8000.0 * (b * 128 + i) / rate);
        ls_hrtf_process(&h, x, x, l, r, 128, &dir);
        if (b >= 8)
            for (int i = 0; i < 128; i++) {
                el += (double)l[i] * l[i];
                er += (double)r[i] * r[i];
            }
    }
    CHECK(er > 20.0 * el);
    /* DC passes at unit gain (the pinna's coefficients sum to 1, the shadow
     * filter's DC gain is 1), from any direction */
    ls_hrtf_reset(&h);
    for (int i = 0; i < 128; i++)
        x[i] = 1.0f;
    ls_hrtf_model(-120, 60, rate, &dir);
    for (int b = 0; b < 20; b++)
        ls_hrtf_process(&h, x, x, l, r, 128, &dir);
    CHECK_NEAR(l[127], 1.0, 1e-5);
    CHECK_NEAR(r[127], 1.0, 1e-5);
    /* an impulse, straight ahead at 44.1 kHz: the head delay is a/c fs =
     * 11.25 frames, the echoes fall 3, 7.54, ... frames after it, and the
     * first output frames are the direct sound through the shadow filter */
    static ls_hrtf g;
    ls_hrtf_init(&g, 44100);
    ls_hrtf_model(0, 0, 44100, &dir);
    float imp[256] = {1.0f}, yl[256], yr[256];
    ls_hrtf_process(&g, imp, imp, yl, yr, 256, &dir);
    const double d = LS_HRTF_HEAD_RADIUS / LS_HRTF_SPEED_OF_SOUND * 44100;
    for (int i = 0; i < 11; i++)
        CHECK(yl[i] == 0.0f && yr[i] == 0.0f);
    CHECK(yl[11] != 0.0f && yl[11] == yr[11]);
    CHECK_NEAR(dir.delay[0], d, 1e-4);
    /* moving, and at the extreme rates: finite, and the reads stay in the
     * ring (the sanitizer build checks the addresses) */
    const double rates[2] = {3000.0, 768000.0};
    for (int q = 0; q < 2; q++) {
        ls_hrtf_init(&h, rates[q]);
        for (int b = 0; b < 64; b++) {
            for (int i = 0; i < 128; i++)
                x[i] = (float)((b * 128 + i) % 7) - 3.0f;
            ls_hrtf_model(b * 37.0 - 180.0, (b % 13) * 15.0 - 90.0, rates[q], &dir);
            ls_hrtf_process(&h, x, b % 5 ? x : NULL, l, r, 128, &dir);
            for (int i = 0; i < 128; i++)
                CHECK(isfinite(l[i]) && isfinite(r[i]));
        }
    }
}

static void test_compressor(void)
{
    static ls_compressor c;
    const double rate = 48000.0;
    ls_compressor_init(&c, rate);
    CHECK(c.delay_frames == 288);
    float x[128], y[128];
    const float *in[1] = {x};
    float *out[1] = {y};
    for (int i = 0; i < 128; i++)
        x[i] = 0.001f;
    float last = 0;
    /* the gain starts from a detector at 0 and releases to unity (as in the
     * reference implementation): give it a few seconds */
    for (int b = 0; b < 1500; b++) {
        ls_compressor_process(&c, in, out, 1, 128, -24, 30, 12, 0.003f, 0.25f);
        if (b == 0)
            CHECK(y[0] == 0.0f && y[127] == 0.0f);   /* still inside the look-ahead */
        last = y[127];
    }
    CHECK(last > 0.001f);                            /* make-up gain */
    CHECK(ls_compressor_reduction(&c) > -0.1f);      /* nothing compressed */
    for (int b = 0; b < 400; b++) {
        for (int i = 0; i < 128; i++)
            x[i] = 1.0f;
        ls_compressor_process(&c, in, out, 1, 128, -24, 30, 12, 0.003f, 0.25f);
    }
    CHECK(ls_compressor_reduction(&c) < -3.0f);      /* inside the 30 dB knee: about -6 dB */
    CHECK(y[127] < 1.0f && y[127] > 0.0f);
}

TEST_MAIN(TEST(test_azimuth_elevation), TEST(test_gains), TEST(test_lateral_block),
          TEST(test_hrtf_model), TEST(test_hrtf_process), TEST(test_compressor))
