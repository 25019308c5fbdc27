/* Benchmark (make bench), not a test: SB+onceonces (the library's plain SB) in the batched engine
 * and in the one-synchronisation-per-run mode, side by side in one run.
 * Hidden, so it runs only when named; it never fails on speed. */
#include "litmus.h"

static void emit(const char *mode, const struct litmus_result *r)
{
    test_yaml("%s_runs: %llu", mode, (unsigned long long)r->runs);
    test_yaml("%s_witnesses: %llu", mode, (unsigned long long)r->witnesses);
    test_yaml("%s_us: %llu", mode, (unsigned long long)r->us);
    test_yaml("%s_runs_per_s: %llu", mode, r->us ? (unsigned long long)(r->runs * 1000000 / r->us) : 0ULL);
    test_yaml("%s_witnesses_per_s: %llu", mode,
              r->us ? (unsigned long long)(r->witnesses * 1000000 / r->us) : 0ULL);
}

TEST(bench_litmus_modes, .name = "bench/litmus-modes", .flags = TEST_HIDDEN, .min_cpus = 2,
     .timeout_ms = 25000)
{
    const struct litmus_test *t = litmus_find("SB+onceonces");
    struct litmus_result batch, sync;

    if (!t) {
        test_skip("SB+onceonces is not in this image");
        return;
    }
    if (!litmus_measure(t, false, &batch) || !litmus_measure(t, true, &sync))
        return;
    emit("batch", &batch);
    emit("sync", &sync);
    test_note("batch %llu runs/s, sync %llu runs/s",
              batch.us ? (unsigned long long)(batch.runs * 1000000 / batch.us) : 0ULL,
              sync.us ? (unsigned long long)(sync.runs * 1000000 / sync.us) : 0ULL);
}
