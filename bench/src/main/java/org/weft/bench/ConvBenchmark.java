package org.weft.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.weft.tensor.Convolution;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.Shape;
import org.weft.tensor.cpu.CpuThreads;
import org.weft.tensor.random.Generator;

/**
 * JMH benchmark of F32 2-d convolution at every distinct convolution shape of torchvision's
 * ResNet50 on 224-px images: the forward pass, the gradient w.r.t. the input (dgrad) and the
 * gradient w.r.t. the weight (wgrad), each through the array-level entry point that autograd's
 * {@code Conv2d} calls ({@link Convolution#conv2d}, {@link Convolution#conv2dBackwardInput},
 * {@link Convolution#conv2dBackwardWeight}), so what is timed is the kernel and the allocation
 * of its result, without a graph.
 *
 * <p>A shape is {@code Cin-Cout-kK-sS-H}: input and output channels, a square kernel of side K
 * with ResNet's padding {@code K / 2}, stride S, and a square H x H input; no bias, one group,
 * no dilation, as in the model ({@code ConvBenchmarkShapesTest} checks the list against
 * {@code ResNet.resnet50}). Every pass does {@code 2 N Cout Hout Wout Cin K^2} floating-point
 * operations (a multiply and an add per weight per output pixel), which {@link #main} divides by
 * the time. The stem's dgrad ({@code 3-64-k7-s2-224}) is never needed in training, since images
 * take no gradient; it is timed anyway, for completeness.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar Conv}
 * for JMH's report in milliseconds per call, or
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar
 * org.weft.bench.ConvBenchmark [JMH options]} for GFLOP/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ConvBenchmark {

    /** The distinct convolutions of ResNet50 at 224 px, in the order the model first runs them. */
    @Param({
        "3-64-k7-s2-224",
        "64-64-k1-s1-56", "64-64-k3-s1-56", "64-256-k1-s1-56", "256-64-k1-s1-56",
        "256-128-k1-s1-56", "128-128-k3-s2-56", "128-512-k1-s1-28", "256-512-k1-s2-56",
        "512-128-k1-s1-28", "128-128-k3-s1-28",
        "512-256-k1-s1-28", "256-256-k3-s2-28", "256-1024-k1-s1-14", "512-1024-k1-s2-28",
        "1024-256-k1-s1-14", "256-256-k3-s1-14",
        "1024-512-k1-s1-14", "512-512-k3-s2-14", "512-2048-k1-s1-7", "1024-2048-k1-s2-14",
        "2048-512-k1-s1-7", "512-512-k3-s1-7",
    })
    public String shape;

    @Param({"8"})
    public int batch;

    private ConvShape conv;
    private NDArray x;
    private NDArray weight;
    private NDArray gradOut;
    private final int[] dilation = {1, 1};

    /** One convolution of the model: channels, square kernel, stride and square input size. */
    record ConvShape(int in, int out, int kernel, int stride, int size) {

        /** Parses {@code Cin-Cout-kK-sS-H}. */
        static ConvShape parse(String s) {
            String[] p = s.split("-");
            if (p.length != 5 || !p[2].startsWith("k") || !p[3].startsWith("s")) {
                throw new IllegalArgumentException("expected a shape Cin-Cout-kK-sS-H such as 64-256-k1-s1-56, got " + s);
            }
            return new ConvShape(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2].substring(1)),
                    Integer.parseInt(p[3].substring(1)), Integer.parseInt(p[4]));
        }

        int padding() {
            return kernel / 2;
        }

        int outSize() {
            return (size + 2 * padding() - kernel) / stride + 1;
        }

        /** Multiplies and adds of one pass (forward, dgrad or wgrad alike) over a batch of {@code n}. */
        double flops(int n) {
            double outPixels = (double) outSize() * outSize();
            return 2.0 * n * out * outPixels * in * kernel * kernel;
        }

        @Override
        public String toString() {
            return in + "-" + out + "-k" + kernel + "-s" + stride + "-" + size;
        }
    }

    @Setup
    public void setUp() {
        conv = ConvShape.parse(shape);
        Generator generator = new Generator(7);
        x = NDArray.randn(DType.F32, generator, batch, conv.in(), conv.size(), conv.size());
        weight = NDArray.randn(DType.F32, generator, conv.out(), conv.in(), conv.kernel(), conv.kernel())
                .mul(Math.sqrt(2.0 / (conv.in() * conv.kernel() * conv.kernel())));
        gradOut = NDArray.randn(DType.F32, generator, batch, conv.out(), conv.outSize(), conv.outSize());
    }

    @Benchmark
    public NDArray forward() {
        return Convolution.conv2d(x, weight, null, stride(), padding(), dilation, 1);
    }

    @Benchmark
    public NDArray dgrad() {
        return Convolution.conv2dBackwardInput(gradOut, weight, new Shape(x.dims()), stride(), padding(), dilation, 1);
    }

    @Benchmark
    public NDArray wgrad() {
        return Convolution.conv2dBackwardWeight(gradOut, x, new Shape(weight.dims()), stride(), padding(), dilation, 1);
    }

    private int[] stride() {
        return new int[] {conv.stride(), conv.stride()};
    }

    private int[] padding() {
        return new int[] {conv.padding(), conv.padding()};
    }

    /**
     * Runs the benchmark with the JMH options given as arguments (a pattern such as
     * {@code ConvBenchmark.wgrad}, {@code -p shape=...}, {@code -wi}, {@code -i}; by default every
     * pass of every shape with the class's settings; always in milliseconds per call) and prints one
     * line per shape and pass: the shape, the pass, then the GFLOP/s of every measurement iteration.
     */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions given = new CommandLineOptions(args);
        OptionsBuilder builder = new OptionsBuilder();
        builder.parent(given).mode(Mode.AverageTime).timeUnit(TimeUnit.MILLISECONDS);
        if (given.getIncludes().isEmpty()) {
            builder.include(ConvBenchmark.class.getName());
        }
        Options options = builder.build();
        Collection<RunResult> results = new Runner(options).run();
        System.out.println();
        System.out.printf("# Weft conv2d F32, %d threads: shape, batch, pass, then GFLOP/s of each iteration%n",
                CpuThreads.count());
        List<String> lines = new ArrayList<>();
        for (RunResult run : results) {
            ConvShape conv = ConvShape.parse(run.getParams().getParam("shape"));
            int n = Integer.parseInt(run.getParams().getParam("batch"));
            String method = run.getParams().getBenchmark();
            StringBuilder line = new StringBuilder().append(conv).append(' ').append(n).append(' ')
                    .append(method.substring(method.lastIndexOf('.') + 1));
            for (BenchmarkResult fork : run.getBenchmarkResults()) {
                for (IterationResult iteration : fork.getIterationResults()) {
                    double millis = iteration.getPrimaryResult().getScore();
                    line.append(String.format(" %.1f", conv.flops(n) / (millis * 1e6)));
                }
            }
            lines.add(line.toString());
        }
        lines.forEach(System.out::println);
    }
}
