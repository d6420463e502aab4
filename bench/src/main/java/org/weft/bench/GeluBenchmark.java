package org.weft.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.weft.autograd.Autograd;
import org.weft.autograd.Tensor;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.random.Generator;

/**
 * JMH benchmark of F32 GELU, forward on arrays and backward through autograd, at the sizes of
 * Swin-T's MLP activations: stage 1 ({@code 8 x 56 x 56 x 384}) and stage 4
 * ({@code 8 x 7 x 7 x 3072}) at batch 8.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar Gelu}.
 * The backward graph is built once per iteration and replayed with {@code retainGraph}, so
 * {@link #backward} times the gradient of GELU alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GeluBenchmark {

    /** Swin-T stage 1 and stage 4 MLP hidden activations at batch 8. */
    @Param({"8x56x56x384", "8x7x7x3072"})
    public String shape;

    /** PyTorch's {@code approximate}: "none" (erf) or "tanh". */
    @Param({"none", "tanh"})
    public String approximate;

    private NDArray x;
    private Tensor input;
    private Tensor output;
    private Tensor upstream;

    @Setup(Level.Iteration)
    public void setUp() {
        String[] parts = shape.split("x");
        int[] dims = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            dims[i] = Integer.parseInt(parts[i]);
        }
        // Pre-activations of a trained transformer's MLP are roughly standard normal.
        x = NDArray.randn(DType.F32, new Generator(1), dims);
        input = Tensor.of(x).requiresGrad_(true);
        output = input.gelu(approximate);
        upstream = Tensor.of(NDArray.randn(DType.F32, new Generator(2), dims));
    }

    @Benchmark
    public NDArray forward() {
        return x.gelu(approximate);
    }

    @Benchmark
    public Tensor[] backward() {
        return Autograd.grad(new Tensor[] {output}, new Tensor[] {input}, new Tensor[] {upstream}, false, true, false);
    }
}
