package org.weft.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.weft.tensor.cpu.CpuThreads;

/**
 * Weft's half of {@code bench/side-by-side.sh}: times the named {@link Workloads} with the
 * {@link Timing} protocol and prints one JSON line per workload, the same fields as
 * {@code bench/torch_side.py} prints for PyTorch.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks.jar org.weft.bench.SideBySide \
 *     [--warmup W] [--reps N] [--list] workload...
 * </pre>
 *
 * The thread count is Weft's ({@code WEFT_NUM_THREADS}, else every core) and is printed, so
 * the script can check both sides used the same. Besides the times, each line reports the
 * live heap (after a full collection, outside the timed region) once warm-up is done and
 * again after the timed repetitions: equal figures mean a step keeps nothing alive from one
 * call to the next.
 */
public final class SideBySide {

    private SideBySide() {
    }

    public static void main(String[] args) {
        int warmup = 2;
        int repetitions = 5;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--reps" -> repetitions = Integer.parseInt(args[++i]);
                case "--list" -> {
                    Workloads.NAMES.forEach(System.out::println);
                    return;
                }
                default -> names.add(args[i]);
            }
        }
        if (names.isEmpty() || repetitions < 1) {
            System.err.println("usage: SideBySide [--warmup W] [--reps N >= 1] [--list] workload... (one of "
                    + Workloads.NAMES + ")");
            System.exit(2);
        }
        for (String name : names) {
            Runnable step = Workloads.prepare(name);
            int calls = Timing.warmUp(step, warmup);
            double liveAfterWarmup = liveHeapMegabytes();
            Timing timing = Timing.time(step, calls, repetitions);
            double liveAfterReps = liveHeapMegabytes();
            System.out.println(json(name, timing, liveAfterWarmup, liveAfterReps));
        }
    }

    private static String json(String name, Timing timing, double liveAfterWarmup, double liveAfterReps) {
        StringBuilder ms = new StringBuilder();
        for (double m : timing.millis()) {
            ms.append(ms.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", m));
        }
        return String.format(Locale.ROOT,
                "{\"side\": \"weft\", \"workload\": \"%s\", \"threads\": %d, \"calls_per_rep\": %d, "
                        + "\"ms\": [%s], \"median_ms\": %.3f, \"min_ms\": %.3f, "
                        + "\"live_heap_mb_after_warmup\": %.1f, \"live_heap_mb_after_reps\": %.1f, "
                        + "\"runtime\": \"Java %s\"}",
                name, CpuThreads.count(), timing.callsPerRepetition(), ms, timing.median(), timing.min(),
                liveAfterWarmup, liveAfterReps, Runtime.version());
    }

    /** Bytes the heap holds after a full collection, in MiB. */
    private static double liveHeapMegabytes() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return (runtime.totalMemory() - runtime.freeMemory()) / (1024.0 * 1024.0);
    }
}
