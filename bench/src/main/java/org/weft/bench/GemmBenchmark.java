package org.weft.bench;

import java.util.Collection;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.weft.tensor.cpu.CpuThreads;
import org.weft.tensor.cpu.Gemm;

/**
 * JMH benchmark of square F32 GEMM, {@code C = A * B} with n x n row-major operands, on all of
 * Weft's CPU threads ({@code WEFT_NUM_THREADS} or every core).
 *
 * <p>Run it through JMH ({@code java --add-modules jdk.incubator.vector -jar benchmarks.jar Gemm})
 * for JMH's own report in milliseconds per multiply, or through {@link #main} for GFLOP/s,
 * {@code 2 n^3 / time}, per iteration, which {@code gemm-vs-pytorch.sh} turns into medians.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {

    @Param({"512", "1024", "2048"})
    public int size;

    private float[] a;
    private float[] b;
    private float[] c;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        a = new float[size * size];
        b = new float[size * size];
        c = new float[size * size];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextDouble(-1, 1);
            b[i] = (float) random.nextDouble(-1, 1);
        }
    }

    @Benchmark
    public float[] sgemm() {
        Gemm.sgemm(size, size, size, 1f, a, 0, size, 1, b, 0, size, 1, 0f, c, 0, size);
        return c;
    }

    /**
     * Runs the benchmark for the sizes given as arguments (default 512 1024 2048) and prints one
     * line per size: the size, then the GFLOP/s of every measurement iteration.
     */
    public static void main(String[] args) throws RunnerException {
        String[] sizes = args.length > 0 ? args : new String[] {"512", "1024", "2048"};
        Options options = new OptionsBuilder()
                .include(GemmBenchmark.class.getName() + ".sgemm")
                .param("size", sizes)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        System.out.println();
        System.out.printf("# Weft sgemm, %d threads: size, then GFLOP/s of each iteration%n", CpuThreads.count());
        for (RunResult run : results) {
            int n = Integer.parseInt(run.getParams().getParam("size"));
            double flops = 2.0 * n * n * n;
            StringBuilder line = new StringBuilder().append(n);
            for (BenchmarkResult fork : run.getBenchmarkResults()) {
                for (IterationResult iteration : fork.getIterationResults()) {
                    double millis = iteration.getPrimaryResult().getScore();
                    line.append(String.format(" %.1f", flops / (millis * 1e6)));
                }
            }
            System.out.println(line);
        }
    }
}
