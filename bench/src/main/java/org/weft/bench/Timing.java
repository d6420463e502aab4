package org.weft.bench;

import java.util.Arrays;

/**
 * How one workload is timed, the same protocol as {@code bench/torch_side.py} follows for
 * PyTorch: warm up, pick how many calls make one repetition, then time the repetitions.
 *
 * <p>Warm-up runs the step at least {@code warmup} times and for at least
 * {@link #WARMUP_SECONDS}, so the JIT has compiled the hot loops and the thread pool and heap
 * have grown before anything is timed. A repetition then runs the step often enough to last
 * at least {@link #MIN_REPETITION_SECONDS} (once for a model, dozens of times for a small
 * GEMM), because a single short call is at the mercy of the timer and of one interruption;
 * each sample is the repetition's time divided by its calls.
 *
 * @param callsPerRepetition how many calls each repetition timed
 * @param millis             milliseconds per call, one sample per repetition, in the order run
 */
record Timing(int callsPerRepetition, double[] millis) {

    static final double WARMUP_SECONDS = 3.0;
    static final double MIN_REPETITION_SECONDS = 0.25;

    /**
     * Runs {@code step} at least {@code warmup} times (at least once) and for at least
     * {@link #WARMUP_SECONDS}; returns how many calls one repetition should make, from the
     * last warm-up call's time.
     */
    static int warmUp(Runnable step, int warmup) {
        long warmupStart = System.nanoTime();
        double lastCallSeconds = 0;
        for (int i = 0; i < Math.max(1, warmup) || seconds(warmupStart) < WARMUP_SECONDS; i++) {
            long start = System.nanoTime();
            step.run();
            lastCallSeconds = seconds(start);
        }
        return (int) Math.max(1, Math.ceil(MIN_REPETITION_SECONDS / lastCallSeconds));
    }

    /** Times {@code repetitions} repetitions of {@code calls} calls of an already warm {@code step}. */
    static Timing time(Runnable step, int calls, int repetitions) {
        double[] millis = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            long start = System.nanoTime();
            for (int c = 0; c < calls; c++) {
                step.run();
            }
            millis[r] = (System.nanoTime() - start) / 1e6 / calls;
        }
        return new Timing(calls, millis);
    }

    /** The median sample (the mean of the middle two for an even count). */
    double median() {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    double min() {
        return Arrays.stream(millis).min().orElse(Double.NaN);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
