/*
 * Fuzz harness for the WAV reader (ls_wav_decode).
 *
 * Built with clang -fsanitize=fuzzer,address,undefined it is a libFuzzer
 * target. Built with any C compiler and -DLS_FUZZ_STANDALONE it is its own
 * driver: it loads the seed corpus, then for a given number of seconds
 * decodes random mutations of the seeds (bit flips, byte sets, interesting
 * 32-bit values in size fields, truncations, splices, insertions), each in
 * an exactly-sized heap copy so AddressSanitizer catches any read past the end.
 *
 *   wav_fuzz [seconds] corpus_dir...
 */
#include <labsound/labsound.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ls_buffer *b = NULL;
    ls_wav_info info;
    char msg[LS_DECODE_MESSAGE_SIZE];
    ls_result r = ls_wav_decode(data, size, &b, &info, msg);
    if (r == LS_OK) {
        /* Read every sample, each into a volatile sink so the compiler must
         * keep every load: ASan then checks that the whole buffer is in
         * bounds, and MSan (where built) that it is initialized. */
        static volatile float sink;
        for (uint32_t c = 0; c < ls_buffer_number_of_channels(b); c++) {
            const float *x = ls_buffer_channel_data(b, c);
            for (uint64_t i = 0; i < ls_buffer_length(b); i++)
                sink = x[i];
        }
        ls_buffer_release(b);
    } else if (b != NULL || msg[0] == 0) {
        abort();   /* an error must leave no buffer and must say what is wrong */
    }
    return 0;
}

#ifdef LS_FUZZ_STANDALONE
#include <dirent.h>
#include <stdio.h>
#include <time.h>

typedef struct {
    uint8_t *data;
    size_t size;
} blob;

static blob seeds[256];
static size_t nseeds;
static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void load_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "cannot open %s\n", dir);
        exit(2);
    }
    struct dirent *e;
    while ((e = readdir(d)) && nseeds < 256) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        uint8_t *buf = malloc(1 << 20);
        size_t n = fread(buf, 1, 1 << 20, f);
        fclose(f);
        seeds[nseeds].data = buf;
        seeds[nseeds].size = n;
        nseeds++;
    }
    closedir(d);
}

static const uint32_t interesting[] = {0, 1, 2, 3, 8, 16, 22, 24, 32, 33, 40, 64, 0x7F, 0x80, 0xFF,
                                       0xFFFE, 0xFFFF, 0x7FFFFFFF, 0x80000000u, 0xFFFFFFFEu,
                                       0xFFFFFFFFu, 1000, 3000, 768000, 768001};

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 10;
    for (int i = 2; i < argc; i++)
        load_dir(argv[i]);
    if (!nseeds) {
        fprintf(stderr, "usage: wav_fuzz seconds corpus_dir...\n");
        return 2;
    }
    enum { MAX = 1 << 16 };
    static uint8_t work[MAX];
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    uint64_t runs = 0;
    for (;;) {
        if ((runs & 255) == 0) {
            clock_gettime(CLOCK_MONOTONIC, &t);
            if ((double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) * 1e-9 >= seconds)
                break;
        }
        blob *s = &seeds[next() % nseeds];
        size_t n = s->size < MAX ? s->size : MAX;
        memcpy(work, s->data, n);
        int muts = 1 + (int)(next() % 6);
        for (int m = 0; m < muts; m++) {
            size_t at = n ? next() % n : 0;
            switch (next() % 7) {
            case 0: if (n) work[at] ^= (uint8_t)(1u << (next() % 8)); break;
            case 1: if (n) work[at] = (uint8_t)next(); break;
            case 2:
                if (n >= 4) {
                    uint32_t v = interesting[next() % (sizeof interesting / sizeof interesting[0])];
                    at = (next() % (n / 2)) * 2;   /* fields sit on even offsets */
                    if (at + 4 > n) at = n - 4;
                    memcpy(work + at, &v, 4);
                }
                break;
            case 3: n = n ? next() % (n + 1) : 0; break;
            case 4: {
                blob *o = &seeds[next() % nseeds];
                size_t from = o->size ? next() % o->size : 0, len = o->size - from;
                if (at + len > MAX) len = MAX - at;
                memcpy(work + at, o->data + from, len);
                if (at + len > n) n = at + len;
                break;
            }
            case 5:
                if (n < MAX - 8) {
                    memmove(work + at + 8, work + at, n - at);
                    for (int k = 0; k < 8; k++) work[at + k] = (uint8_t)next();
                    n += 8;
                }
                break;
            default: {
                uint16_t v = (uint16_t)interesting[next() % (sizeof interesting / sizeof interesting[0])];
                if (n >= 2) { at = (next() % (n / 2)) * 2; memcpy(work + at, &v, 2); }
                break;
            }
            }
        }
        uint8_t *copy = malloc(n ? n : 1);
        memcpy(copy, work, n);
        LLVMFuzzerTestOneInput(copy, n);
        free(copy);
        runs++;
    }
    printf("wav_fuzz: %llu inputs in %.0f s, no failure\n", (unsigned long long)runs, seconds);
    return 0;
}
#endif
