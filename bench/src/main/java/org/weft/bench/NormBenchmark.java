package org.weft.bench;

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
import org.weft.tensor.BiasedSoftmax;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.Normalization;
import org.weft.tensor.random.Generator;

/**
 * JMH benchmark of the F32 normalisations, forward and backward, through the array-level
 * functions autograd's ops call ({@link Normalization}), so no graph is built:
 * <ul>
 *   <li>batch norm in training (batch statistics, running statistics updated, weight and bias),
 *       and its fused backward to input, weight and bias, at ResNet50's {@code [8, 64, 112, 112]},
 *       {@code [8, 256, 56, 56]}, {@code [8, 2048, 7, 7]} and at small-image shapes;</li>
 *   <li>layer norm over the last dimension with weight and bias, and its fused backward, at
 *       Swin-T's stage 1 tokens {@code [8, 3136, 96]} and stage 4 windows {@code [8, 49, 768]};</li>
 *   <li>softmax over the last dimension, at Swin-T stage 1's attention logits
 *       {@code [8 * 64 * 3, 49, 49]} (8 images, 64 windows, 3 heads) and at 1000-class logits
 *       {@code [8, 1000]}; its backward is what autograd's {@code Softmax} computes,
 *       {@code y * (g - sum(g * y))}, written with array ops;</li>
 *   <li>Swin's fused {@code softmax(logits + bias + mask, -1)} and its fused backward (the
 *       logits' gradient and the bias's, summed over windows) at stage 1's {@code [512, 3, 49, 49]}:
 *       least traffic forward {@code 8 E}, backward {@code 12 E}, as softmax.</li>
 * </ul>
 *
 * <p>These are memory-bound: a few operations per element against 4 bytes read or written, so
 * the measure is bytes moved per second. The least traffic a pass needs, for E elements: layer
 * norm and softmax normalise rows that fit in cache (49 to 1000 floats here), so each operand
 * is read once and the result written once: forward {@code 8 E} bytes (x in, y out), backward
 * {@code 12 E} (g and x, or g and y, in; the input gradient out). Batch norm's channels span
 * {@code N H W} elements, too many to stay cached, so it reads its inputs twice: forward
 * {@code 12 E} (x for the statistics, x again, y out), backward {@code 20 E} (g and x for the
 * reductions, again for the gradient, which goes out). The softmax backward timed here is
 * four array ops, about {@code 36 E}: the cost of the unfused gradient as Weft runs it now.
 *
 * <p>Shapes are {@code x}-separated dimensions and are chosen with {@code -p bnShape=...},
 * {@code -p lnShape=...} or {@code -p softmaxShape=...}; for instance
 * {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar 'NormBenchmark.layerNorm'}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class NormBenchmark {

    private static final double EPS = 1e-5;

    /** Batch norm's operands and the statistics its backward needs. */
    @State(Scope.Benchmark)
    public static class BatchNormState {

        /** ResNet50 at 224 px (stem, stage 1, last stage) at batch 8, then small images at batch 64. */
        @Param({"8x64x112x112", "8x256x56x56", "8x2048x7x7", "64x256x8x8", "64x2048x1x1"})
        public String bnShape;

        NDArray x;
        NDArray grad;
        NDArray weight;
        NDArray bias;
        NDArray runningMean;
        NDArray runningVar;
        Normalization.Normalized forward;

        @Setup
        public void setUp() {
            int[] dims = dims(bnShape);
            Generator generator = new Generator(11);
            x = NDArray.randn(DType.F32, generator, dims);
            grad = NDArray.randn(DType.F32, generator, dims);
            weight = NDArray.randn(DType.F32, generator, dims[1]);
            bias = NDArray.randn(DType.F32, generator, dims[1]);
            runningMean = NDArray.zeros(DType.F32, dims[1]);
            runningVar = NDArray.ones(DType.F32, dims[1]);
            forward = Normalization.batchNorm(x, runningMean, runningVar, weight, bias, true, 0.1, EPS);
        }
    }

    /** Layer norm's operands and the statistics its backward needs. */
    @State(Scope.Benchmark)
    public static class LayerNormState {

        /** Swin-T stage 1 tokens and stage 4 windows at batch 8. */
        @Param({"8x3136x96", "8x49x768"})
        public String lnShape;

        NDArray x;
        NDArray grad;
        NDArray weight;
        NDArray bias;
        int[] normalized;
        Normalization.Normalized forward;

        @Setup
        public void setUp() {
            int[] dims = dims(lnShape);
            Generator generator = new Generator(12);
            normalized = new int[] {dims[dims.length - 1]};
            x = NDArray.randn(DType.F32, generator, dims);
            grad = NDArray.randn(DType.F32, generator, dims);
            weight = NDArray.randn(DType.F32, generator, normalized);
            bias = NDArray.randn(DType.F32, generator, normalized);
            forward = Normalization.layerNorm(x, normalized, weight, bias, EPS);
        }
    }

    /** Softmax's input, its output and an upstream gradient. */
    @State(Scope.Benchmark)
    public static class SoftmaxState {

        /** Swin-T stage 1 window attention (8 images x 64 windows x 3 heads) and 1000-class logits, batch 8. */
        @Param({"1536x49x49", "8x1000"})
        public String softmaxShape;

        NDArray x;
        NDArray y;
        NDArray grad;
        final int[] lastDim = {-1};

        @Setup
        public void setUp() {
            int[] dims = dims(softmaxShape);
            Generator generator = new Generator(13);
            x = NDArray.randn(DType.F32, generator, dims);
            y = Normalization.softmax(x, -1);
            grad = NDArray.randn(DType.F32, generator, dims);
        }
    }

    /** Swin-T stage 1's window attention logits {@code [8 * 64, 3, 49, 49]}, its bias and its shift mask. */
    @State(Scope.Benchmark)
    public static class BiasedSoftmaxState {

        NDArray logits;
        NDArray bias;
        NDArray mask;
        NDArray y;
        NDArray grad;
        final int[] biasShape = {1, 3, 49, 49};

        @Setup
        public void setUp() {
            Generator generator = new Generator(14);
            logits = NDArray.randn(DType.F32, generator, 512, 3, 49, 49);
            bias = NDArray.randn(DType.F32, generator, biasShape);
            mask = NDArray.rand(DType.F32, generator, 64, 49, 49).lt(0.5).to(DType.F32).mul(-100.0);
            y = BiasedSoftmax.forward(logits, bias, mask);
            grad = NDArray.randn(DType.F32, generator, 512, 3, 49, 49);
        }
    }

    @Benchmark
    public Normalization.Normalized batchNormForward(BatchNormState s) {
        return Normalization.batchNorm(s.x, s.runningMean, s.runningVar, s.weight, s.bias, true, 0.1, EPS);
    }

    @Benchmark
    public Normalization.Gradients batchNormBackward(BatchNormState s) {
        return Normalization.batchNormBackward(s.grad, s.x, s.weight, s.forward.mean(), s.forward.invstd(), true,
                true, true, true);
    }

    @Benchmark
    public Normalization.Normalized layerNormForward(LayerNormState s) {
        return Normalization.layerNorm(s.x, s.normalized, s.weight, s.bias, EPS);
    }

    @Benchmark
    public Normalization.Gradients layerNormBackward(LayerNormState s) {
        return Normalization.layerNormBackward(s.grad, s.x, s.normalized, s.weight, s.forward.mean(),
                s.forward.invstd(), true, true, true);
    }

    @Benchmark
    public NDArray softmaxForward(SoftmaxState s) {
        return Normalization.softmax(s.x, -1);
    }

    @Benchmark
    public NDArray softmaxBackward(SoftmaxState s) {
        return s.y.mul(s.grad.sub(s.grad.mul(s.y).sum(s.lastDim, true)));
    }

    /** Window attention's {@code softmax(logits + bias + mask, -1)} in one fused pass ({@link BiasedSoftmax}). */
    @Benchmark
    public NDArray biasedSoftmaxForward(BiasedSoftmaxState s) {
        return BiasedSoftmax.forward(s.logits, s.bias, s.mask);
    }

    /** Its fused backward: the logits' gradient and the bias's, summed over the 512 windows. */
    @Benchmark
    public BiasedSoftmax.Gradients biasedSoftmaxBackward(BiasedSoftmaxState s) {
        return BiasedSoftmax.backward(s.y, s.grad, s.biasShape, true, true);
    }

    /** {@code "8x64x112x112"} to {@code [8, 64, 112, 112]}. */
    static int[] dims(String shape) {
        String[] parts = shape.split("x");
        int[] dims = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            dims[i] = Integer.parseInt(parts[i]);
        }
        return dims;
    }
}
