package org.weft.bench;

import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.Recording;

/**
 * Records a Java Flight Recorder profile of one {@link Workloads} step in its steady state:
 * warms the step up (as {@link Timing} does), then samples every thread's Java stack every
 * 10 ms while the step runs a given number of times, records the garbage collections, and
 * writes the recording to a file. Time outside Java code (the JVM zeroing new arrays, the
 * collector, a thread waiting for the others) takes no samples, so the samples' shares are
 * shares of the time spent running Java code.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks.jar org.weft.bench.Profile \
 *     resnet50/train 10 resnet50-train.jfr
 * jfr print --events jdk.ExecutionSample resnet50-train.jfr
 * </pre>
 *
 * The warm-up is left out of the recording so the JIT's compilation does not count as
 * kernel time.
 */
public final class Profile {

    private Profile() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: Profile WORKLOAD STEPS OUT.jfr (workload one of " + Workloads.NAMES + ")");
            System.exit(2);
        }
        Runnable step = Workloads.prepare(args[0]);
        int steps = Integer.parseInt(args[1]);
        Timing.warmUp(step, 2);
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.enable("jdk.GarbageCollection");
            recording.start();
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                step.run();
            }
            double ms = (System.nanoTime() - start) / 1e6 / steps;
            recording.stop();
            recording.dump(Path.of(args[2]));
            System.out.printf("%s: %d steps, %.1f ms per step%n", args[0], steps, ms);
        }
    }
}
