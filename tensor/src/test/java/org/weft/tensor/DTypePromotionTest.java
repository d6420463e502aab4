package org.weft.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Binary ops promote dtypes as PyTorch does for two tensors, and Java scalars do not widen tensors. */
class DTypePromotionTest {

    @Test
    void theHigherCategoryWins() {
        assertEquals(DType.F32, DType.promote(DType.I64, DType.F32));
        assertEquals(DType.I64, DType.promote(DType.BOOL, DType.I64));
        assertEquals(DType.F32, DType.promote(DType.BOOL, DType.F32));
    }

    @Test
    void withinACategoryTheWiderTypeWins() {
        assertEquals(DType.F64, DType.promote(DType.F32, DType.F64));
        assertEquals(DType.I64, DType.promote(DType.I32, DType.I64));
        assertEquals(DType.I32, DType.promote(DType.U8, DType.I32));
        assertEquals(DType.F32, DType.promote(DType.BF16, DType.F16));
    }

    @Test
    void integerTensorsDivideIntoFloats() {
        NDArray a = NDArray.of(new long[] {1, 2, 3}, 3);
        NDArray r = a.div(NDArray.of(new long[] {2, 2, 2}, 3));
        assertEquals(DType.F32, r.dtype());
        assertArrayEquals(new float[] {0.5f, 1f, 1.5f}, r.toFloatArray());
    }

    @Test
    void aDoubleScalarKeepsAFloatTensorsDtype() {
        NDArray a = NDArray.of(new float[] {1, 2}, 2);
        assertEquals(DType.F32, a.add(0.5).dtype());
        assertEquals(DType.F32, NDArray.of(new long[] {1}, 1).mul(0.5).dtype());
        assertEquals(DType.I64, NDArray.of(new long[] {1}, 1).mul(3L).dtype());
    }

    @Test
    void mixedOperandsAreConvertedBeforeTheOp() {
        NDArray a = NDArray.of(new long[] {1, 2}, 2);
        NDArray b = NDArray.of(new double[] {0.25, 0.5}, 2);
        NDArray r = a.add(b);
        assertEquals(DType.F64, r.dtype());
        assertArrayEquals(new double[] {1.25, 2.5}, r.toDoubleArray());
    }

    @Test
    void integerArithmeticWrapsLikeC() {
        NDArray a = NDArray.of(new int[] {Integer.MAX_VALUE}, 1);
        assertArrayEquals(new int[] {Integer.MIN_VALUE}, a.add(NDArray.of(new int[] {1}, 1)).toIntArray());
    }
}
