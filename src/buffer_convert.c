/* Whole-buffer conversions: sample-rate conversion and mixing to mono. */
#include "engine.h"
#include "dsp/resample.h"

#include <stdlib.h>
#include <string.h>

ls_result ls_buffer_resample(const ls_buffer *cin, double sample_rate, ls_buffer **out)
{
    ls_buffer *in = (ls_buffer *)cin;
    if (!in || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    if (!isfinite(sample_rate) || sample_rate < 3000.0 || sample_rate > 768000.0)
        return LS_ERROR_NOT_SUPPORTED;
    uint32_t ch = ls_buffer_number_of_channels(in);
    uint64_t n_in = ls_buffer_length(in);
    double in_rate = ls_buffer_sample_rate(in);
    ls_buffer *b = NULL;
    ls_result r;
    if (in_rate == sample_rate) {
        r = ls_buffer_create(ch, n_in, sample_rate, &b);
        if (r != LS_OK)
            return r;
        memcpy(ls_buffer_channel_data(b, 0), ls_buffer_channel_data(in, 0),
               sizeof(float) * (size_t)n_in * ch);
        *out = b;
        return LS_OK;
    }
    ls_resampler *rs = ls_resampler_create(in_rate, sample_rate);
    if (!rs)
        return LS_ERROR_NO_MEM;
    uint64_t n_out = ls_resampler_output_length(rs, n_in);
    if (n_out == 0)
        n_out = 1;
    size_t pad = ls_resampler_padding(rs);
    float *tmp = calloc((size_t)n_in + 2 * pad, sizeof(float));
    r = tmp ? ls_buffer_create(ch, n_out, sample_rate, &b) : LS_ERROR_NO_MEM;
    if (r == LS_OK) {
        for (uint32_t c = 0; c < ch; c++) {
            memcpy(tmp + pad, ls_buffer_channel_data(in, c), sizeof(float) * (size_t)n_in);
            ls_resampler_process(rs, tmp + pad, n_in, ls_buffer_channel_data(b, c), n_out);
        }
        *out = b;
    }
    free(tmp);
    ls_resampler_destroy(rs);
    return r;
}

ls_result ls_buffer_mix_to_mono(const ls_buffer *cin, ls_buffer **out)
{
    ls_buffer *in = (ls_buffer *)cin;
    if (!in || !out)
        return LS_ERROR_INVALID_ARGUMENT;
    uint32_t ch = ls_buffer_number_of_channels(in);
    uint64_t n = ls_buffer_length(in);
    ls_buffer *b = NULL;
    ls_result r = ls_buffer_create(1, n, ls_buffer_sample_rate(in), &b);
    if (r != LS_OK)
        return r;
    float *y = ls_buffer_channel_data(b, 0);
    for (uint32_t c = 0; c < ch; c++) {
        const float *x = ls_buffer_channel_data(in, c);
        for (uint64_t i = 0; i < n; i++)
            y[i] += x[i];
    }
    const float k = 1.0f / (float)ch;
    for (uint64_t i = 0; i < n; i++)
        y[i] *= k;
    *out = b;
    return LS_OK;
}
