/* The public face of dsp/fft.h (see include/labsound/fft.h). */
#include "engine.h"
#include "dsp/fft.h"

ls_result ls_real_fft_create(uint32_t n, ls_real_fft **out)
{
    if (!out)
        return LS_ERROR_INVALID_ARGUMENT;
    if (n < LS_FFT_MIN_SIZE || n > LS_FFT_MAX_SIZE || (n & (n - 1)) != 0)
        return LS_ERROR_NOT_SUPPORTED;
    ls_fft *f = ls_fft_create(n);
    if (!f)
        return LS_ERROR_NO_MEM;
    *out = (ls_real_fft *)f;
    return LS_OK;
}

void ls_real_fft_destroy(ls_real_fft *fft)
{
    ls_fft_destroy((ls_fft *)fft);
}

uint32_t ls_real_fft_size(const ls_real_fft *fft)
{
    return ls_fft_size((const ls_fft *)fft);
}

void ls_real_fft_forward(ls_real_fft *fft, const float *in, float *re, float *im)
{
    ls_fft_forward((ls_fft *)fft, in, re, im);
}

void ls_real_fft_inverse(ls_real_fft *fft, const float *re, const float *im, float *out)
{
    ls_fft_inverse((ls_fft *)fft, re, im, out);
}
