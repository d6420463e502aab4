package org.weft.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.weft.autograd.Functional;
import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;
import org.weft.nn.models.GoogLeNet;
import org.weft.nn.models.ResNet;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.random.Generator;

/**
 * The fused convolution + batch norm + ReLU of inference gives the numbers of the three modules
 * run one after another, and is taken only where nothing could tell the difference.
 */
class ConvBatchNormTest {

    /** Running statistics far from 0 and 1, so a wrong fold of mean, variance, weight or bias shows. */
    private static void randomiseStatistics(Module model, Generator g) {
        try (var off = Grad.disabled()) {
            for (Module m : model.namedModules().values()) {
                if (m instanceof BatchNorm bn) {
                    int c = bn.numFeatures;
                    bn.runningMean().copy_(Tensor.randn(DType.F32, g, c).mul(0.5));
                    bn.runningVar().copy_(Tensor.rand(DType.F32, g, c).add(0.5));
                    if (bn.weight() != null) {
                        bn.weight().copy_(Tensor.randn(DType.F32, g, c).mul(0.3).add(1.0));
                        bn.bias().copy_(Tensor.randn(DType.F32, g, c).mul(0.3));
                    }
                }
            }
        }
    }

    private static double relativeError(NDArray got, NDArray want) {
        double diff = got.sub(want).pow(NDArray.scalar(2.0, got.dtype())).sum().item();
        double norm = want.pow(NDArray.scalar(2.0, want.dtype())).sum().item();
        return Math.sqrt(diff / norm);
    }

    private static void assertFusedMatchesModules(Module model, Tensor images) {
        model.eval();
        // Parameters require grad, so with gradients on the modules run one after another.
        Tensor separate = model.call(images);
        assertNotNull(separate.gradFn(), "with gradients recorded the graph must be built");
        Tensor fused;
        try (var off = Grad.disabled()) {
            fused = model.call(images);
        }
        double error = relativeError(fused.data(), separate.data());
        assertTrue(error < 1e-5, "fused inference differs from the modules by " + error);
    }

    @Test
    void resnetInferenceMatchesTheModulesRunSeparately() {
        Generator g = new Generator(3);
        ResNet model = ResNet.resnet18(10);
        randomiseStatistics(model, g);
        assertFusedMatchesModules(model, Tensor.randn(DType.F32, g, 3, 3, 40, 36));
    }

    @Test
    void googlenetInferenceMatchesTheModulesRunSeparately() {
        Generator g = new Generator(4);
        GoogLeNet model = GoogLeNet.googlenet(10, false, false);
        randomiseStatistics(model, g);
        assertFusedMatchesModules(model, Tensor.randn(DType.F32, g, 2, 3, 64, 64));
    }

    @Test
    void convBiasAndAbsentAffineParametersFoldAsBatchNormWould() {
        Generator g = new Generator(5);
        Conv2d conv = new Conv2d(3, 5, new int[] {3, 3}, new int[] {2, 1}, new int[] {1, 1}, new int[] {1, 1}, 1,
                true);
        BatchNorm2d bn = new BatchNorm2d(5, 1e-3, 0.1, false);
        randomiseStatistics(bn, g);
        bn.eval();
        Tensor x = Tensor.randn(DType.F32, g, 2, 3, 9, 8);
        Tensor want = Functional.batchNorm(conv.call(x), bn.runningMean(), bn.runningVar(), null, null, false, 0,
                1e-3).relu();
        try (var off = Grad.disabled()) {
            Tensor got = ConvBatchNorm.convBnRelu(conv, bn, null, x);
            assertTrue(relativeError(got.data(), want.data()) < 1e-6);
        }
    }

    @Test
    void trainingModeRunsTheModulesAndUpdatesTheStatistics() {
        Conv2d conv = new Conv2d(2, 4, 1);
        BatchNorm2d bn = new BatchNorm2d(4);
        Tensor x = Tensor.randn(DType.F32, new Generator(6), 3, 2, 5, 5);
        try (var off = Grad.disabled()) {
            ConvBatchNorm.convBnRelu(conv, bn, null, x);
        }
        assertEquals(1L, bn.numBatchesTracked().data().item(), 0.0);
        assertTrue(bn.runningMean().data().abs().sum().item() > 0, "training must update the running mean");
    }

    @Test
    void hooksSeeTheIntermediateResultsSoTheyTurnFusionOff() {
        Conv2d conv = new Conv2d(2, 4, 3);
        BatchNorm2d bn = new BatchNorm2d(4);
        ReLU relu = new ReLU();
        bn.eval();
        AtomicInteger calls = new AtomicInteger();
        relu.registerForwardHook((m, in, out) -> {
            calls.incrementAndGet();
            return out;
        });
        Tensor x = Tensor.randn(DType.F32, new Generator(7), 1, 2, 6, 6);
        try (var off = Grad.disabled()) {
            ConvBatchNorm.convBnRelu(conv, bn, relu, x);
        }
        assertEquals(1, calls.get());
    }

    @Test
    void evalModeWithGradientsRecordsTheGraph() {
        Conv2d conv = new Conv2d(2, 4, 3);
        BatchNorm2d bn = new BatchNorm2d(4);
        bn.eval();
        Tensor x = Tensor.randn(DType.F32, new Generator(8), 1, 2, 6, 6);
        Tensor y = ConvBatchNorm.convBnRelu(conv, bn, null, x);
        y.sum().backward();
        assertNotNull(conv.weight().grad());
        assertNull(x.grad());
    }

    @Test
    void theFusedOpRefusesToRunWhereAGradientWasWanted() {
        Conv2d conv = new Conv2d(2, 4, 3);
        BatchNorm2d bn = new BatchNorm2d(4);
        Tensor x = Tensor.randn(DType.F32, new Generator(9), 1, 2, 6, 6);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Functional.conv2dBatchNormEval(x,
                conv.weight(), null, bn.runningMean(), bn.runningVar(), bn.weight(), bn.bias(), bn.eps, true,
                conv.stride, conv.padding, conv.dilation, conv.groups));
        assertTrue(e.getMessage().contains("inference only"), e.getMessage());
    }
}
