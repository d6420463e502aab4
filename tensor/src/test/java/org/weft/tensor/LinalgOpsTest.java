package org.weft.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Matrix products: closed-form results and PyTorch-style errors that name what was expected. */
class LinalgOpsTest {

    // ---------------------------------------------------------------- closed forms

    @Test
    void aTimesIdentityIsA() {
        NDArray a = NDArray.arange(0, 12, 1, DType.F32).reshape(3, 4);
        assertArrayEquals(a.toFloatArray(), a.matmul(NDArray.eye(4)).toFloatArray());
        assertArrayEquals(a.toFloatArray(), NDArray.eye(3).matmul(a).toFloatArray());
        NDArray d = NDArray.arange(0, 12, 1, DType.F64).reshape(4, 3);
        assertArrayEquals(d.toDoubleArray(), d.mm(NDArray.eye(3, 3, DType.F64)).toDoubleArray());
    }

    @Test
    void aTransposedViewTimesIdentityIsATransposed() {
        NDArray a = NDArray.arange(0, 12, 1, DType.F32).reshape(3, 4);
        NDArray at = a.t(); // a strided view: it goes to the GEMM without a copy
        assertEquals(Shape.of(4, 3), at.matmul(NDArray.eye(3)).shape());
        assertArrayEquals(at.contiguous().toFloatArray(), at.matmul(NDArray.eye(3)).toFloatArray());
    }

    @Test
    void onesTimesOnesIsK() {
        int k = 17;
        NDArray c = NDArray.ones(5, k).matmul(NDArray.ones(k, 3));
        assertEquals(Shape.of(5, 3), c.shape());
        for (float v : c.toFloatArray()) {
            assertEquals(k, v);
        }
        NDArray dot = NDArray.ones(k).matmul(NDArray.ones(k));
        assertEquals(0, dot.dim(), "vector . vector is a 0-d dot product");
        assertEquals(k, dot.item());
    }

    @Test
    void batchDimensionsBroadcastAndVectorDimensionsAreRemoved() {
        NDArray c = NDArray.ones(2, 1, 3, 4).matmul(NDArray.ones(5, 4, 6));
        assertEquals(Shape.of(2, 5, 3, 6), c.shape());
        assertEquals(4, c.getDouble(1, 4, 2, 5));
        assertEquals(Shape.of(2, 5), NDArray.ones(3).matmul(NDArray.ones(2, 3, 5)).shape());
        assertEquals(Shape.of(2, 4), NDArray.ones(2, 4, 3).matmul(NDArray.ones(3)).shape());
        assertEquals(Shape.of(0, 3, 5), NDArray.ones(0, 3, 4).matmul(NDArray.ones(4, 5)).shape());
    }

    @Test
    void anEmptyInnerDimensionGivesZeros() {
        NDArray c = NDArray.ones(3, 0).matmul(NDArray.ones(0, 4));
        assertEquals(Shape.of(3, 4), c.shape());
        assertArrayEquals(new float[12], c.toFloatArray());
    }

    @Test
    void addmmWithBetaZeroIgnoresTheBiasEvenItsNaNs() {
        NDArray nan = NDArray.full(Double.NaN, DType.F32, 2, 2);
        NDArray c = NDArray.addmm(nan, NDArray.ones(2, 3), NDArray.ones(3, 2), 0, 1);
        assertArrayEquals(new float[] {3, 3, 3, 3}, c.toFloatArray());
        NDArray d = NDArray.addmm(NDArray.of(new float[] {1, 2}), NDArray.ones(2, 3), NDArray.ones(3, 2), 0.5, 2);
        assertArrayEquals(new float[] {6.5f, 7, 6.5f, 7}, d.toFloatArray());
    }

    @Test
    void linearIsXTimesWeightTransposedPlusBias() {
        NDArray x = NDArray.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        NDArray w = NDArray.of(new float[] {1, 0, 0, 0, 1, 1}, 2, 3); // picks x0 and x1 + x2
        NDArray y = x.linear(w, NDArray.of(new float[] {10, 20}));
        assertArrayEquals(new float[] {11, 25, 14, 31}, y.toFloatArray());
        assertEquals(Shape.of(2), NDArray.of(new float[] {1, 2, 3}).linear(w, null).shape());
    }

    @Test
    void pairwiseSquaredDistancesOfPointsOnALine() {
        NDArray x = NDArray.of(new double[] {0, 3}, 2, 1);
        NDArray y = NDArray.of(new double[] {4, -1, 3}, 3, 1);
        assertArrayEquals(new double[] {16, 1, 9, 1, 16, 0}, x.pairwiseSquaredDistances(y).toDoubleArray());
    }

    @Test
    void pairwiseSquaredDistancesOfIdenticalPointsFarFromTheOriginAreExactlyZero() {
        float[] p = {10000.5f, -20000.25f, 30000.125f, 7.5f, 8.25f, 9.125f};
        NDArray x = NDArray.of(p, 2, 3);
        NDArray d = x.pairwiseSquaredDistances(x.copy());
        assertEquals(0, d.getDouble(0, 0));
        assertEquals(0, d.getDouble(1, 1));
        assertTrue(d.getDouble(0, 1) > 0);
    }

    // ---------------------------------------------------------------- errors

    @Test
    void matmulNamesTheShapesThatCannotBeMultiplied() {
        assertMessage(() -> NDArray.zeros(2, 3).matmul(NDArray.zeros(4, 5)),
                "matmul: shapes [2, 3] and [4, 5] cannot be multiplied: the last dimension of the first (3) must equal"
                        + " the second-to-last dimension of the second (4)");
        assertMessage(() -> NDArray.zeros(3).matmul(NDArray.zeros(4)),
                "matmul: shapes [3] and [4] cannot be multiplied: the last dimension of the first (3) must equal"
                        + " the size of the second (4)");
        assertMessage(() -> NDArray.zeros(2, 3, 4).matmul(NDArray.zeros(3, 4, 6)),
                "matmul: shapes [2, 3, 4] and [3, 4, 6] cannot be multiplied: their batch dimensions [2] and [3]"
                        + " do not broadcast");
    }

    @Test
    void matmulNeedsAtLeastOneDimension() {
        assertMessage(() -> NDArray.scalar(1).matmul(NDArray.zeros(2, 2)),
                "both arguments to matmul need to be at least 1D, but they are 0D and 2D");
    }

    @Test
    void matmulNeedsOneFloatingPointDtype() {
        assertMessage(() -> NDArray.zeros(2, 2).matmul(NDArray.zeros(DType.F64, 2, 2)),
                "matmul: expected both operands to have the same dtype, got F32 and F64");
        assertMessage(() -> NDArray.zeros(DType.I64, 2, 2).matmul(NDArray.zeros(DType.I64, 2, 2)),
                "matmul: supports F32 and F64 operands, got I64");
    }

    @Test
    void mmAndBmmAcceptOnlyTheirRanks() {
        assertMessage(() -> NDArray.zeros(2, 3).mm(NDArray.zeros(4, 5)),
                "mm: mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
        assertMessage(() -> NDArray.zeros(2, 3, 4).mm(NDArray.zeros(4, 5)),
                "mm: expected 2-D matrices, got 3-D [2, 3, 4] and 2-D [4, 5]");
        assertMessage(() -> NDArray.zeros(3, 4).bmm(NDArray.zeros(2, 4, 5)),
                "bmm: expected 3-D tensors [batch, n, m] and [batch, m, p], got 2-D [3, 4] and 3-D [2, 4, 5]");
        assertMessage(() -> NDArray.zeros(2, 3, 4).bmm(NDArray.zeros(3, 4, 5)),
                "bmm: the batch sizes must be equal, got 2 and 3");
        assertMessage(() -> NDArray.zeros(2, 3, 4).bmm(NDArray.zeros(2, 5, 6)),
                "bmm: shapes [2, 3, 4] and [2, 5, 6] cannot be multiplied: the last dimension of the first (4)"
                        + " must equal the second dimension of the second (5)");
    }

    @Test
    void addmmNamesABiasThatDoesNotBroadcast() {
        assertMessage(() -> NDArray.addmm(NDArray.zeros(2), NDArray.zeros(2, 4), NDArray.zeros(4, 3), 1, 1),
                "addmm: the bias of shape [2] cannot be broadcast to the product's shape [2, 3]");
    }

    @Test
    void linearNamesWhatItExpected() {
        assertMessage(() -> NDArray.zeros(2, 3, 4).linear(NDArray.zeros(5, 3), null),
                "linear: the input's last dimension (4) must equal the weight's in_features (3)");
        assertMessage(() -> NDArray.zeros(2, 4).linear(NDArray.zeros(4), null),
                "linear: weight must be 2-D [out_features, in_features], got shape [4]");
        assertMessage(() -> NDArray.zeros(2, 4).linear(NDArray.zeros(5, 4), NDArray.zeros(3)),
                "linear: bias must have shape [5] (out_features), got [3]");
    }

    @Test
    void pairwiseSquaredDistancesNamesWhatItExpected() {
        assertMessage(() -> NDArray.zeros(4).pairwiseSquaredDistances(NDArray.zeros(6, 4)),
                "pairwiseSquaredDistances: expected x of shape [*, n, d] and y of shape [*, m, d] (at least 2-D),"
                        + " got [4] and [6, 4]");
        assertMessage(() -> NDArray.zeros(3, 4).pairwiseSquaredDistances(NDArray.zeros(6, 5)),
                "pairwiseSquaredDistances: x and y must have the same number of columns d, got 4 and 5");
        assertMessage(() -> NDArray.zeros(2, 3, 4).pairwiseSquaredDistances(NDArray.zeros(3, 6, 4)),
                "pairwiseSquaredDistances: the batch dimensions [2] and [3] of [2, 3, 4] and [3, 6, 4] do not broadcast");
    }

    private static void assertMessage(Executable call, String expectedStart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(expectedStart), () -> "message was: " + e.getMessage());
    }
}
