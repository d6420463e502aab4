package org.weft.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Copies through every kind of view land each element where row-major order says, checked
 * against an element-by-element walk of the same view.
 */
class StridedCopyTest {

    private static NDArray iota(int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return NDArray.of(v, shape);
    }

    /** The elements of a view read one index at a time: the definition contiguous() must match. */
    private static float[] byIndex(NDArray a) {
        int[] dims = a.dims();
        int n = a.numel();
        float[] out = new float[n];
        int[] idx = new int[dims.length];
        for (int k = 0; k < n; k++) {
            out[k] = (float) a.getDouble(idx);
            for (int d = dims.length - 1; d >= 0; d--) {
                if (++idx[d] < dims[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return out;
    }

    @Test
    void permutedSlicedAndExpandedViewsCopyInRowMajorOrder() {
        NDArray base = iota(4, 5, 6);
        NDArray[] views = {
            base.permute(2, 0, 1),
            base.transpose(0, 2).slice(1, 1, 5, 2),
            base.narrow(2, 1, 3).select(0, 2),
            base.select(1, 3).unsqueeze(1).expand(4, 7, 6),
            base.slice(0, 0, 4, 3).permute(1, 2, 0),
        };
        for (NDArray v : views) {
            NDArray c = v.contiguous();
            assertTrue(c.isContiguous());
            assertArrayEquals(byIndex(v), c.toFloatArray(), "view " + v.shape());
        }
    }

    @Test
    void viewsShareStorageAndSeeWrites() {
        NDArray base = iota(3, 4);
        NDArray col = base.select(1, 2);
        col.fill_(-1);
        assertEquals(-1, base.getDouble(2, 2));
        assertEquals(0, base.getDouble(0, 0));
        assertFalse(base.transpose(0, 1).isContiguous());
    }

    @Test
    void copyIntoAStridedDestinationConverts() {
        NDArray dst = NDArray.zeros(DType.I64, 3, 4).transpose(0, 1);
        dst.copy_(iota(4, 3).add(0.75));
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, dst.toLongArray());
    }

    @Test
    void copyFromAnOverlappingViewReadsTheOldValues() {
        NDArray a = iota(6);
        a.narrow(0, 1, 5).copy_(a.narrow(0, 0, 5));
        assertArrayEquals(new float[] {0, 0, 1, 2, 3, 4}, a.toFloatArray());
    }

    @Test
    void reshapeOfANonContiguousArrayCopiesButViewRefuses() {
        NDArray t = iota(2, 3).transpose(0, 1);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, t.reshape(6).toFloatArray());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> t.view(6));
        assertTrue(e.getMessage().contains("view size is not compatible"), e.getMessage());
    }

    @Test
    void splittingAContiguousDimensionOfATransposedArrayIsAView() {
        NDArray t = iota(4, 6).transpose(0, 1); // [6, 4], strides [1, 6]
        NDArray v = t.view(2, 3, 4);
        assertTrue(v.storage() == t.storage());
        assertArrayEquals(byIndex(t), v.reshape(6, 4).contiguous().toFloatArray());
    }
}
