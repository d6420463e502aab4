package org.weft.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Views share their base's storage; view refuses strides it cannot express, reshape copies then. */
class ViewsTest {

    /** 0, 1, ..., n-1 as F32 in the given shape. */
    private static NDArray iota(int... shape) {
        return NDArray.arange(0, new Shape(shape).numel(), 1, DType.F32).reshape(shape);
    }

    @Test
    void writingThroughEveryKindOfViewChangesTheBase() {
        NDArray base = iota(3, 4);
        base.transpose(0, 1).select(1, 2).fill_(-1); // row 2 of the base
        base.slice(1, 0, 4, 3).narrow(0, 0, 1).fill_(-2); // base[0, 0] and base[0, 3]
        base.view(12).narrow(0, 5, 1).fill_(-3); // base[1, 1]
        base.permute(1, 0).unsqueeze(0).squeeze(0).select(0, 2).select(0, 1).fill_(-4); // base[1, 2]
        base.split(2, 1)[1].select(0, 0).select(0, 0).fill_(-5); // base[0, 2]
        base.chunk(3, 0)[1].flatten().narrow(0, 0, 1).fill_(-6); // base[1, 0]
        assertArrayEquals(new float[] {-2, 1, -5, -2, -6, -3, -4, 7, -1, -1, -1, -1}, base.toFloatArray());
    }

    @Test
    void viewsShareStorageAndAnExpandedViewReadsTheSameElementRepeatedly() {
        NDArray base = iota(3, 1);
        NDArray wide = base.expand(2, 3, 4);
        assertSame(base.storage(), wide.storage());
        assertArrayEquals(new int[] {0, 1, 0}, wide.strides());
        base.narrow(0, 1, 1).fill_(9);
        assertArrayEquals(new float[] {0, 0, 0, 0, 9, 9, 9, 9, 2, 2, 2, 2}, wide.select(0, 1).toFloatArray());
    }

    @Test
    void reshapeOfContiguousArrayIsAView() {
        NDArray base = iota(2, 3, 4);
        NDArray r = base.reshape(4, -1);
        assertSame(base.storage(), r.storage());
        assertArrayEquals(new int[] {4, 6}, r.dims());
        NDArray v = base.view(-1);
        assertSame(base.storage(), v.storage());
    }

    @Test
    void viewOfIncompatibleStridesFailsWithPyTorchsMessageWhileReshapeCopies() {
        NDArray t = iota(3, 4).t(); // [4, 3] with strides [1, 4]
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.view(12));
        assertTrue(e.getMessage().startsWith("view size is not compatible with input tensor's size and stride"),
                e.getMessage());
        assertTrue(e.getMessage().contains("reshape"), e.getMessage());

        NDArray r = t.reshape(12);
        assertNotSame(t.storage(), r.storage());
        assertArrayEquals(new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, r.toFloatArray());
        r.fill_(0); // a copy: the original is untouched
        assertArrayEquals(new float[] {0, 1, 2, 3}, t.select(1, 0).toFloatArray());
    }

    @Test
    void viewOfCompatibleNonContiguousStridesSharesStorage() {
        NDArray every2nd = iota(3, 8).slice(1, 0, 8, 2); // [3, 4], strides [8, 2]
        NDArray v = every2nd.view(3, 2, 2);
        assertSame(every2nd.storage(), v.storage());
        assertArrayEquals(new int[] {8, 4, 2}, v.strides());
        assertArrayEquals(every2nd.toFloatArray(), v.toFloatArray());
    }

    @Test
    void contiguousCopiesOnlyWhenNeeded() {
        NDArray a = iota(2, 3);
        assertSame(a, a.contiguous());
        NDArray t = a.t().contiguous();
        assertTrue(t.isContiguous());
        assertNotSame(a.storage(), t.storage());
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, t.toFloatArray());
    }

    /** Shapes hold at most 2^31-1 elements; an expand past that once wrapped numel() to 0. */
    @Test
    void expandingPastTheElementLimitIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NDArray.ones(1, 1).expand(65536, 65536));
        assertTrue(e.getMessage().contains("2^31-1"), e.getMessage());
    }
}
