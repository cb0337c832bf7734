/* Minimal test helpers for the C tests: CHECK(cond) records a failure and
 * goes on; CHECK_OK(call) expects LS_OK; TEST_MAIN runs the listed tests and
 * prints "N passed, N failed". */
#ifndef LS_TEST_CHECK_H
#define LS_TEST_CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "labsound/labsound.h"

static int ls_test_failures;
static int ls_test_checks;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        ls_test_checks++;                                                            \
        if (!(cond)) {                                                               \
            ls_test_failures++;                                                      \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                            \
    } while (0)

#define CHECK_OK(call)                                                                   \
    do {                                                                                 \
        ls_result check_r_ = (call);                                                     \
        ls_test_checks++;                                                                \
        if (check_r_ != LS_OK) {                                                         \
            ls_test_failures++;                                                          \
            fprintf(stderr, "%s:%d: %s returned %s\n", __FILE__, __LINE__, #call,        \
                    ls_result_string(check_r_));                                         \
        }                                                                                \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                                  \
    do {                                                                                       \
        double check_a_ = (a), check_b_ = (b);                                                 \
        ls_test_checks++;                                                                      \
        if (!(fabs(check_a_ - check_b_) <= (tol))) {                                           \
            ls_test_failures++;                                                                \
            fprintf(stderr, "%s:%d: %s = %.9g, expected %.9g (tol %g)\n", __FILE__, __LINE__, \
                    #a, check_a_, check_b_, (double)(tol));                                    \
        }                                                                                      \
    } while (0)

typedef struct {
    const char *name;
    void (*fn)(void);
} ls_test_case;

static int ls_test_run(const ls_test_case *cases, int n)
{
    int passed = 0, failed = 0;
    for (int i = 0; i < n; i++) {
        int before = ls_test_failures;
        cases[i].fn();
        if (ls_test_failures == before) {
            passed++;
            printf("ok   %s\n", cases[i].name);
        } else {
            failed++;
            printf("FAIL %s\n", cases[i].name);
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

#define TEST(fn) {#fn, fn}
#define TEST_MAIN(...)                                                     \
    int main(void)                                                         \
    {                                                                      \
        static const ls_test_case cases_[] = {__VA_ARGS__};                \
        return ls_test_run(cases_, (int)(sizeof cases_ / sizeof cases_[0])); \
    }

#endif
