package org.weft.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.weft.tensor.cpu.CpuThreads;

/**
 * Measures the two ceilings of this machine's roofline as Java sees them: the F32 multiply-add
 * peak of the widest vectors the Vector API offers, and the memory bandwidth of a streaming
 * triad, each on one thread and on {@link CpuThreads#count()} threads. Prints one JSON line.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks.jar org.weft.bench.MachinePeak
 * </pre>
 *
 * The peak loop keeps twelve independent accumulators in registers, enough to cover the latency
 * of the multiply-add units, and touches no memory: it is the rate no kernel can beat. The
 * triad {@code a[i] = b[i] + s * c[i]} runs over arrays far larger than the last-level cache,
 * so it counts DRAM traffic: 12 bytes per element (read b and c, write a; the write's read for
 * ownership is not counted, as STREAM does not).
 */
public final class MachinePeak {

    private static final VectorSpecies<Float> F32 = FloatVector.SPECIES_PREFERRED;
    private static final int PEAK_ITERATIONS = 50_000_000;
    private static final int TRIAD_LENGTH = 1 << 25; // 3 arrays of 128 MiB

    private MachinePeak() {
    }

    public static void main(String[] args) throws InterruptedException {
        int threads = CpuThreads.count();
        // Warm-up: let C2 compile both loops before anything is timed.
        fmaLoop(PEAK_ITERATIONS / 10, 1f);
        double peak1 = bestOf(3, 1, MachinePeak::timeFmaOnce);
        double peakAll = bestOf(3, threads, MachinePeak::timeFmaOnce);
        double triad1 = bestOf(3, 1, MachinePeak::timeTriadOnce);
        double triadAll = bestOf(3, threads, MachinePeak::timeTriadOnce);
        System.out.println(String.format(Locale.ROOT,
                "{\"threads\": %d, \"lanes\": %d, \"fma_gflops_1\": %.1f, \"fma_gflops\": %.1f,"
                        + " \"triad_gbs_1\": %.1f, \"triad_gbs\": %.1f}",
                threads, F32.length(), peak1, peakAll, triad1, triadAll));
    }

    /** One thread's measurement: work done (flops or bytes) and the seconds it took. */
    private interface Probe {
        double[] run();
    }

    /** The best aggregate rate (work per second, in units of 1e9) of `tries` runs on `threads` threads at once. */
    private static double bestOf(int tries, int threads, Probe probe) throws InterruptedException {
        double best = 0;
        for (int t = 0; t < tries; t++) {
            double[][] results = new double[threads][];
            CountDownLatch start = new CountDownLatch(1);
            Thread[] workers = new Thread[threads];
            for (int i = 0; i < threads; i++) {
                int id = i;
                workers[i] = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    results[id] = probe.run();
                });
                workers[i].start();
            }
            start.countDown();
            double work = 0;
            double slowest = 0;
            for (int i = 0; i < threads; i++) {
                workers[i].join();
                work += results[i][0];
                slowest = Math.max(slowest, results[i][1]);
            }
            best = Math.max(best, work / slowest / 1e9);
        }
        return best;
    }

    private static double[] timeFmaOnce() {
        long start = System.nanoTime();
        float sink = fmaLoop(PEAK_ITERATIONS, 1f);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (sink == 42f) {
            System.out.print("");
        }
        return new double[] {2.0 * 12 * F32.length() * (double) PEAK_ITERATIONS, seconds};
    }

    /** Twelve independent multiply-add chains per iteration; the returned sum keeps them alive. */
    private static float fmaLoop(int iterations, float seed) {
        FloatVector m = FloatVector.broadcast(F32, 0.999999f);
        FloatVector x = FloatVector.broadcast(F32, 1e-7f * seed);
        FloatVector a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x;
        FloatVector a6 = x, a7 = x, a8 = x, a9 = x, a10 = x, a11 = x;
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(m, x);
            a1 = a1.fma(m, x);
            a2 = a2.fma(m, x);
            a3 = a3.fma(m, x);
            a4 = a4.fma(m, x);
            a5 = a5.fma(m, x);
            a6 = a6.fma(m, x);
            a7 = a7.fma(m, x);
            a8 = a8.fma(m, x);
            a9 = a9.fma(m, x);
            a10 = a10.fma(m, x);
            a11 = a11.fma(m, x);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }

    private static double[] timeTriadOnce() {
        float[] a = new float[TRIAD_LENGTH];
        float[] b = new float[TRIAD_LENGTH];
        float[] c = new float[TRIAD_LENGTH];
        Arrays.fill(b, 1f);
        Arrays.fill(c, 2f);
        triad(a, b, c); // first touch of every page, outside the timing
        long start = System.nanoTime();
        int passes = 4;
        for (int p = 0; p < passes; p++) {
            triad(a, b, c);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new double[] {12.0 * TRIAD_LENGTH * passes, seconds};
    }

    private static void triad(float[] a, float[] b, float[] c) {
        FloatVector s = FloatVector.broadcast(F32, 0.5f);
        int i = 0;
        for (; i <= a.length - F32.length(); i += F32.length()) {
            FloatVector.fromArray(F32, c, i).fma(s, FloatVector.fromArray(F32, b, i)).intoArray(a, i);
        }
        for (; i < a.length; i++) {
            a[i] = b[i] + 0.5f * c[i];
        }
    }
}
