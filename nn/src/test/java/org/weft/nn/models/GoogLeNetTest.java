package org.weft.nn.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;
import org.weft.nn.Conv2d;
import org.weft.nn.Dropout;
import org.weft.nn.Linear;

/** GoogLeNet's structure, auxiliary heads, dropout switch, feature taps and initialisation (numerics: tests/models). */
class GoogLeNetTest {

    @Test
    void auxiliaryHeadsRunInTrainingOnly() {
        GoogLeNet model = GoogLeNet.googlenet(7, true, false);
        try (var g = Grad.disabled()) {
            Tensor x = Tensor.zeros(2, 3, 64, 64).normal_(0, 1, null);
            GoogLeNet.Outputs train = model.forwardWithAux(x);
            assertArrayEquals(new int[] {2, 7}, train.aux1().dims());
            assertArrayEquals(new int[] {2, 7}, train.aux2().dims());
            model.eval();
            GoogLeNet.Outputs eval = model.forwardWithAux(x);
            assertNull(eval.aux1());
            assertNull(eval.aux2());
            assertArrayEquals(eval.logits().toFloatArray(), model.call(x).toFloatArray());
        }
    }

    @Test
    void withoutAuxiliaryHeadsThereAreNoneToRunOrLoad() {
        GoogLeNet model = GoogLeNet.googlenet(7, false, false);
        assertFalse(model.namedChildren().containsKey("aux1"));
        assertTrue(model.stateDict().keySet().stream().noneMatch(k -> k.startsWith("aux")));
        try (var g = Grad.disabled()) {
            assertNull(model.forwardWithAux(Tensor.zeros(2, 3, 64, 64).normal_(0, 1, null)).aux1());
        }
    }

    @Test
    void featuresHoldTheNineInceptionBlocksAndThePooledVector() {
        GoogLeNet model = GoogLeNet.googlenet(7, true, true);
        model.eval();
        try (var g = Grad.disabled()) {
            Tensor x = Tensor.zeros(1, 3, 96, 80).normal_(0, 1, null);
            Features f = model.features(x);
            assertEquals(List.of("inception3a", "inception3b", "inception4a", "inception4b", "inception4c",
                    "inception4d", "inception4e", "inception5a", "inception5b"), List.copyOf(f.stages().keySet()));
            assertArrayEquals(new int[] {1, 256, 12, 10}, f.stage("inception3a").dims());
            assertArrayEquals(new int[] {1, 512, 6, 5}, f.stage("inception4a").dims());
            assertArrayEquals(new int[] {1, 1024, 3, 3}, f.stage("inception5b").dims());
            assertArrayEquals(new int[] {1, 1024}, f.pooled().dims());
            assertEquals(model.featureDim(), f.pooled().size(1));
            assertArrayEquals(model.classify(f.pooled()).toFloatArray(), model.call(x).toFloatArray());
        }
    }

    @Test
    void setDropoutReplacesEveryDropoutAndAReplacedHeadRuns() {
        GoogLeNet model = GoogLeNet.googlenet(7, true, false);
        assertEquals(0.2, ((Dropout) model.module("dropout")).p);
        assertEquals(0.7, ((Dropout) model.module("aux1.dropout")).p);
        model.setDropout(0, 0.5);
        assertEquals(0, ((Dropout) model.module("dropout")).p);
        assertEquals(0.5, ((Dropout) model.module("aux2.dropout")).p);
        model.replace(model.headName(), new Linear(model.featureDim(), 2));
        model.eval();
        try (var g = Grad.disabled()) {
            assertArrayEquals(new int[] {1, 2}, model.call(Tensor.zeros(1, 3, 64, 64).normal_(0, 1, null)).dims());
        }
    }

    @Test
    void convolutionAndLinearWeightsStartTruncatedNormalWithStd001() {
        GoogLeNet model = GoogLeNet.googlenet(10, true, false);
        Conv2d conv = (Conv2d) model.module("inception4e.branch2.1.conv");
        assertEquals(0.01, ResNetTest.sampleStd(conv.weight()), 0.0002);
        Linear fc1 = (Linear) model.module("aux2.fc1");
        assertEquals(0.01, ResNetTest.sampleStd(fc1.weight()), 0.0002);
        assertNotNull(fc1.bias());
    }
}
