package org.weft.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.weft.autograd.Tensor;

/** Layers refuse bad configurations and bad inputs with messages naming what was expected and what came. */
class LayerErrorsTest {

    private static void fails(Executable call, String... parts) {
        RuntimeException e = assertThrows(RuntimeException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(part),
                    "expected the message to contain '" + part + "', got: " + e.getMessage());
        }
    }

    @Test
    void linearNamesTheExpectedInFeaturesAndTheShapeItGot() {
        fails(() -> new Linear(4, 3).call(Tensor.zeros(2, 3)), "Linear(4 -> 3)", "last dimension 4", "[2, 3]");
        fails(() -> new Linear(4, 3).call(Tensor.zeros()), "last dimension 4", "[]");
        fails(() -> new Linear(-1, 3), "non-negative", "in=-1");
    }

    @Test
    void linearWithNoInputFeaturesBuildsAndGivesTheBias() {
        Linear lin = new Linear(0, 2);
        assertEquals(0, lin.weight().numel());
        assertArrayEquals(lin.bias().data().toFloatArray(), lin.call(Tensor.zeros(3, 0)).data().select(0, 2).toFloatArray());
    }

    @Test
    void batchNormChecksRankAndChannels() {
        fails(() -> new BatchNorm2d(3).call(Tensor.zeros(2, 3, 4)), "BatchNorm2d", "expected 4D input", "[2, 3, 4]");
        fails(() -> new BatchNorm1d(3).call(Tensor.zeros(2, 3, 4, 5)), "BatchNorm1d", "expected 2D or 3D input",
                "[2, 3, 4, 5]");
        fails(() -> new BatchNorm2d(3).call(Tensor.zeros(2, 4, 2, 2)), "expected 3 channels", "[2, 4, 2, 2]");
        fails(() -> new BatchNorm1d(0), "num_features must be positive");
    }

    @Test
    void batchNormNeedsMoreThanOneValuePerChannelOnlyWhenTraining() {
        BatchNorm1d bn = new BatchNorm1d(3);
        fails(() -> bn.call(Tensor.ones(1, 3)), "more than 1 value per channel", "[1, 3]");
        bn.eval();
        assertArrayEquals(new int[] {1, 3}, bn.call(Tensor.ones(1, 3)).shape().dims());
    }

    @Test
    void conv2dChecksGroupsAndInputChannels() {
        fails(() -> new Conv2d(3, 4, 3, 1, 0, 1, 2, true), "in_channels (3)", "out_channels (4)", "groups (2)");
        fails(() -> new Conv2d(3, 4, 3).call(Tensor.zeros(1, 2, 5, 5)), "to have 3 channels", "got 2 channels");
        fails(() -> new Conv2d(3, 4, 3).call(Tensor.zeros(1, 3, 2, 2)), "Kernel size can't be greater");
    }

    @Test
    void layerNormNamesTheNormalizedShape() {
        fails(() -> new LayerNorm(5).call(Tensor.zeros(2, 4)), "normalized_shape=[5]", "[2, 4]");
    }

    @Test
    void probabilitiesAndModesAreChecked() {
        fails(() -> new Dropout(1.5), "between 0 and 1", "1.5");
        fails(() -> new Dropout(Double.NaN), "between 0 and 1");
        fails(() -> new DropPath(-0.1), "between 0 and 1", "-0.1");
        fails(() -> new GELU("fast"), "'none' or 'tanh'", "'fast'");
    }

    @Test
    void containersWithoutForwardSaySo() {
        fails(() -> new ModuleList(new ReLU()).call(Tensor.zeros(1)), "ModuleList has no forward");
        fails(() -> new ModuleDict().call(Tensor.zeros(1)), "ModuleDict has no forward");
        fails(() -> new ModuleDict().get("head"), "no key 'head'");
    }

    @Test
    void poolsAndSoftmaxRejectWrongInputs() {
        fails(() -> new Softmax(3).call(Tensor.zeros(2, 3)), "range of [-2, 1], but got 3");
        fails(() -> new Flatten(1, 5).call(Tensor.zeros(2, 3)), "range of [-2, 1], but got 5");
        fails(() -> new MaxPool2d(3).call(Tensor.zeros(1, 1, 2, 2)), "(1x2x2)", "Output size is too small");
    }
}
