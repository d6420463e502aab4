package org.weft.bench;

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
import org.weft.autograd.Autograd;
import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;
import org.weft.nn.models.ShiftedWindowAttention;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.random.Generator;

/**
 * JMH benchmark of one F32 Swin-T window-attention module, torchvision's
 * {@code ShiftedWindowAttention} of stage 1 at 224 px: a {@code [N, 56, 56, 96]} map, 3 heads of
 * 32 channels, 7 x 7 windows shifted by 3 (the second block of the stage; {@code -p shift=0}
 * gives the first), no dropout. {@link #forward} runs without a graph, as inference does;
 * {@link #forwardBackward} builds the graph and takes the gradients of the input and of every
 * parameter for a fixed random upstream gradient, as one training step of the module does.
 *
 * <p>Matrix products per forward, with {@code T = N 56 56} tokens, {@code C = 96} and
 * {@code n = 49} tokens a window: qkv {@code 2 T C 3C}, {@code q k^T} and {@code attn v}
 * {@code 2 T n C} each, proj {@code 2 T C C}, in all {@code 8 T C^2 + 4 T n C} (2.3 GFLOP at
 * N = 8); backward does twice that. The rest (roll, window partition, bias gather, mask,
 * softmax) moves memory.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar SwinAttention}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SwinAttentionBenchmark {

    @Param({"8"})
    public int batch;

    /** Swin's shift of the window grid, in tokens: 0 in a stage's even blocks, half a window (3) in its odd ones. */
    @Param({"3"})
    public int shift;

    private ShiftedWindowAttention attention;
    private Tensor[] inputs;
    private Tensor upstream;

    @Setup
    public void setUp() {
        attention = new ShiftedWindowAttention(96, new int[] {7, 7}, new int[] {shift, shift}, 3, 0.0, 0.0);
        attention.train();
        Generator generator = new Generator(3);
        Tensor x = Tensor.of(NDArray.randn(DType.F32, generator, batch, 56, 56, 96)).requiresGrad_(true);
        List<Tensor> parameters = attention.parameters();
        inputs = new Tensor[parameters.size() + 1];
        inputs[0] = x;
        for (int i = 0; i < parameters.size(); i++) {
            inputs[i + 1] = parameters.get(i);
        }
        upstream = Tensor.of(NDArray.randn(DType.F32, generator, batch, 56, 56, 96));
    }

    @Benchmark
    public Tensor forward() {
        try (Grad.Scope off = Grad.disabled()) {
            return attention.call(inputs[0]);
        }
    }

    /** The gradients come back rather than accumulate into {@code .grad}, so calls do not add up. */
    @Benchmark
    public Tensor[] forwardBackward() {
        Tensor out = attention.call(inputs[0]);
        return Autograd.grad(new Tensor[] {out}, inputs, new Tensor[] {upstream}, false);
    }
}
