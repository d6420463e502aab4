package org.weft.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Softmax, batch norm and layer norm refuse bad arguments with PyTorch's messages, naming what was expected and what came. */
class NormalizationErrorsTest {

    @Test
    void batchNormInTrainingNeedsMoreThanOneValuePerChannel() {
        NDArray x = NDArray.zeros(1, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> Normalization.batchNorm(x, NDArray.zeros(3),
                NDArray.ones(3), null, null, true, 0.1, 1e-5));
        assertEquals("Expected more than 1 value per channel when training, got input size [1, 3]", e.getMessage());
        var spatial = assertThrows(IllegalArgumentException.class, () -> Normalization.batchNorm(
                NDArray.zeros(1, 3, 1, 1), null, null, null, null, true, 0.1, 1e-5));
        assertEquals("Expected more than 1 value per channel when training, got input size [1, 3, 1, 1]",
                spatial.getMessage());
    }

    @Test
    void batchNormInEvaluationAcceptsOneSample() {
        NDArray y = Normalization.batchNorm(NDArray.of(new float[] {1, 2, 3}, 1, 3), NDArray.zeros(3),
                NDArray.ones(3), null, null, false, 0.1, 0).output();
        assertEquals(3.0, y.getDouble(0, 2), 1e-6);
    }

    @Test
    void batchNormParametersMustHaveOneValuePerChannel() {
        NDArray x = NDArray.zeros(4, 3);
        var mean = assertThrows(IllegalArgumentException.class, () -> Normalization.batchNorm(x, NDArray.zeros(4),
                NDArray.ones(3), null, null, true, 0.1, 1e-5));
        assertTrue(mean.getMessage().startsWith("running_mean should contain 3 elements not 4"), mean.getMessage());
        var weight = assertThrows(IllegalArgumentException.class, () -> Normalization.batchNorm(x, null, null,
                NDArray.ones(2), null, true, 0.1, 1e-5));
        assertTrue(weight.getMessage().startsWith("weight should contain 3 elements not 2"), weight.getMessage());
        var dtype = assertThrows(IllegalArgumentException.class, () -> Normalization.batchNorm(x, null, null,
                NDArray.ones(DType.F64, 3), null, true, 0.1, 1e-5));
        assertEquals("batch_norm: weight is F64 but the input is F32; convert one of them", dtype.getMessage());
    }

    @Test
    void batchNormInEvaluationNeedsRunningStatistics() {
        var e = assertThrows(IllegalArgumentException.class, () -> Normalization.batchNorm(NDArray.zeros(4, 3), null,
                null, null, null, false, 0.1, 1e-5));
        assertEquals("running_mean must be defined in evaluation mode", e.getMessage());
        var rank = assertThrows(IllegalArgumentException.class, () -> Normalization.batchNorm(NDArray.zeros(3), null,
                null, null, null, true, 0.1, 1e-5));
        assertEquals("batch_norm: expected an input of at least 2 dimensions [N, C, ...], got [3]", rank.getMessage());
    }

    @Test
    void layerNormShapeMustEndTheInputShape() {
        var e = assertThrows(IllegalArgumentException.class, () -> Normalization.layerNorm(NDArray.zeros(3, 4),
                new int[] {5}, null, null, 1e-5));
        assertEquals("Given normalized_shape=[5], expected input with shape [*, 5], but got input of size[3, 4]",
                e.getMessage());
        var tooLong = assertThrows(IllegalArgumentException.class, () -> Normalization.layerNorm(NDArray.zeros(4),
                new int[] {2, 4}, null, null, 1e-5));
        assertEquals("Given normalized_shape=[2, 4], expected input with shape [*, 2, 4], but got input of size[4]",
                tooLong.getMessage());
    }

    @Test
    void layerNormWeightAndBiasMustHaveTheNormalizedShape() {
        var w = assertThrows(IllegalArgumentException.class, () -> Normalization.layerNorm(NDArray.zeros(3, 4),
                new int[] {4}, NDArray.ones(5), null, 1e-5));
        assertEquals("Expected weight to be of same shape as normalized_shape, but got weight of shape [5] and"
                + " normalized_shape = [4]", w.getMessage());
        var b = assertThrows(IllegalArgumentException.class, () -> Normalization.layerNorm(NDArray.zeros(3, 4),
                new int[] {4}, null, NDArray.ones(2, 2), 1e-5));
        assertEquals("Expected bias to be of same shape as normalized_shape, but got bias of shape [2, 2] and"
                + " normalized_shape = [4]", b.getMessage());
    }

    @Test
    void softmaxNeedsAFloatingInputAndAValidDimension() {
        var dtype = assertThrows(IllegalArgumentException.class, () -> Normalization.softmax(NDArray.arange(4), 0));
        assertEquals("softmax: expected a floating-point input (F32 or F64), got I64", dtype.getMessage());
        var dim = assertThrows(IndexOutOfBoundsException.class, () -> Normalization.logSoftmax(NDArray.zeros(3, 4), 2));
        assertEquals("Dimension out of range (expected to be in range of [-2, 1], but got 2)", dim.getMessage());
    }
}
