package org.weft.nn.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;
import org.weft.nn.BatchNorm2d;
import org.weft.nn.Conv2d;
import org.weft.nn.Linear;

/** ResNet's structure, head replacement, feature taps and initialisation (numerics: tests/models/ResNetParityTest). */
class ResNetTest {

    @Test
    void featuresHoldEveryStageAtHalvingResolutionAndThePooledVector() {
        ResNet model = ResNet.resnet18(10);
        model.eval();
        try (var g = Grad.disabled()) {
            Tensor x = Tensor.zeros(2, 3, 32, 40).normal_(0, 1, null);
            Features f = model.features(x);
            assertEquals(List.of("layer1", "layer2", "layer3", "layer4"), List.copyOf(f.stages().keySet()));
            assertArrayEquals(new int[] {2, 64, 8, 10}, f.stage("layer1").dims());
            assertArrayEquals(new int[] {2, 128, 4, 5}, f.stage("layer2").dims());
            assertArrayEquals(new int[] {2, 256, 2, 3}, f.stage("layer3").dims());
            assertArrayEquals(new int[] {2, 512, 1, 2}, f.stage("layer4").dims());
            assertArrayEquals(new int[] {2, 512}, f.pooled().dims());
            assertArrayEquals(model.classify(f.pooled()).toFloatArray(), model.call(x).toFloatArray());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.stage("layer5"));
            assertTrue(e.getMessage().contains("layer4"), e.getMessage());
        }
    }

    @Test
    void aReplacedHeadIsTheOneThatRuns() {
        ResNet model = ResNet.resnet50(1000);
        assertEquals(2048, model.featureDim());
        Linear head = model.replace(model.headName(), new Linear(model.featureDim(), 3));
        model.eval();
        try (var g = Grad.disabled()) {
            Tensor logits = model.call(Tensor.zeros(1, 3, 32, 32).normal_(0, 1, null));
            assertArrayEquals(new int[] {1, 3}, logits.dims());
        }
        assertTrue(model.stateDict().get("fc.weight").shape().equals(head.weight().shape()));
    }

    @Test
    void convolutionsStartKaimingNormalOverFanOutAndNormsAtOneAndZero() {
        ResNet model = ResNet.resnet18(10);
        Conv2d conv = (Conv2d) model.module("layer4.1.conv2");
        double std = Math.sqrt(2.0 / (512 * 9));  // ReLU gain over fan_out = out channels x kernel area
        assertEquals(std, sampleStd(conv.weight()), 0.02 * std);
        BatchNorm2d bn = (BatchNorm2d) model.module("layer4.1.bn2");
        assertEquals(1, min(bn.weight()));
        assertEquals(0, maxAbs(bn.bias()));
    }

    @Test
    void zeroInitResidualZeroesTheLastNormOfEveryBlock() {
        ResNet basic = new ResNet(ResNet.Block.BASIC, new int[] {2, 2, 2, 2}, 10, true);
        assertEquals(0, maxAbs(((BatchNorm2d) basic.module("layer2.1.bn2")).weight()));
        assertEquals(1, min(((BatchNorm2d) basic.module("layer2.1.bn1")).weight()));
        ResNet bottleneck = new ResNet(ResNet.Block.BOTTLENECK, new int[] {1, 1, 1, 1}, 10, true);
        assertEquals(0, maxAbs(((BatchNorm2d) bottleneck.module("layer3.0.bn3")).weight()));
        assertEquals(1, min(((BatchNorm2d) bottleneck.module("layer3.0.downsample.1")).weight()));
    }

    @Test
    void rejectsAWrongNumberOfStages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ResNet(ResNet.Block.BASIC, new int[] {2, 2, 2}, 10, false));
        assertTrue(e.getMessage().contains("4 stages") && e.getMessage().contains("3"), e.getMessage());
    }

    static double sampleStd(Tensor t) {
        double[] v = t.toDoubleArray();
        double sum = 0;
        double sq = 0;
        for (double x : v) {
            sum += x;
            sq += x * x;
        }
        double mean = sum / v.length;
        return Math.sqrt(sq / v.length - mean * mean);
    }

    static double maxAbs(Tensor t) {
        double m = 0;
        for (double x : t.toDoubleArray()) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    static double min(Tensor t) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : t.toDoubleArray()) {
            m = Math.min(m, x);
        }
        return m;
    }
}
