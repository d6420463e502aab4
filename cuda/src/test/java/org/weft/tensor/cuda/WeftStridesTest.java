package org.weft.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The WeftStrides struct and native/ABI.md's dimension-merging rule. */
class WeftStridesTest {

    @Test
    void aContiguousOperandMergesToTheFastPathDescriptor() {
        WeftStrides w = WeftStrides.merge(new int[] {3, 5, 7}, new int[] {35, 7, 1});
        assertArrayEquals(new long[] {105}, w.sizes());
        assertArrayEquals(new long[] {1}, w.strides(0));
    }

    @Test
    void dimsMergeOnlyWhereEveryOperandAllows() {
        // a contiguous [4, 6]; b broadcast along dim 0 (stride 0): stride[0] != stride[1] * size[1] for b.
        WeftStrides w = WeftStrides.merge(new int[] {4, 6}, new int[] {6, 1}, new int[] {0, 1});
        assertArrayEquals(new long[] {4, 6}, w.sizes());
        assertArrayEquals(new long[] {6, 1}, w.strides(0));
        assertArrayEquals(new long[] {0, 1}, w.strides(1));
        // Broadcast along the last dims of both: [2, 3, 4] with b = [2, 1, 1] expanded -> b strides (1, 0, 0).
        WeftStrides v = WeftStrides.merge(new int[] {2, 3, 4}, new int[] {12, 4, 1}, new int[] {1, 0, 0});
        assertArrayEquals(new long[] {2, 12}, v.sizes(), "dims 1 and 2 merge for both operands");
        assertArrayEquals(new long[] {1, 0}, v.strides(1));
    }

    @Test
    void aTransposeDoesNotMergeAndKeepsElementStrides() {
        // The transpose of a contiguous [5, 3]: shape [3, 5], strides (1, 3).
        WeftStrides w = WeftStrides.merge(new int[] {3, 5}, new int[] {1, 3});
        assertArrayEquals(new long[] {3, 5}, w.sizes());
        assertArrayEquals(new long[] {1, 3}, w.strides(0));
    }

    @Test
    void sizeOneDimsAreDroppedWhateverTheirStride() {
        WeftStrides w = WeftStrides.merge(new int[] {1, 4, 1, 5}, new int[] {999, 5, 77, 1});
        assertArrayEquals(new long[] {20}, w.sizes());
        WeftStrides one = WeftStrides.merge(new int[] {1, 1}, new int[] {3, 1});
        assertEquals(0, one.ndim(), "one element: ndim 0");
    }

    @Test
    void aSlicedRowKeepsItsStrideAndItsGaps() {
        // Every second row of a contiguous [6, 4]: shape [3, 4], strides (8, 1): rows do not merge.
        WeftStrides w = WeftStrides.merge(new int[] {3, 4}, new int[] {8, 1});
        assertArrayEquals(new long[] {3, 4}, w.sizes());
        assertArrayEquals(new long[] {8, 1}, w.strides(0));
    }

    @Test
    void theStructIs136LittleEndianBytesAsAbiMdLaysItOut() {
        WeftStrides w = WeftStrides.merge(new int[] {3, 5}, new int[] {1, 3});
        byte[] b = w.bytes(0);
        assertEquals(136, b.length);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(2, bb.getInt(0));
        assertEquals(0, bb.getInt(4), "padding");
        assertEquals(3, bb.getLong(8));
        assertEquals(5, bb.getLong(16));
        assertEquals(0, bb.getLong(24), "unused sizes are zero");
        assertEquals(1, bb.getLong(72));
        assertEquals(3, bb.getLong(80));
    }

    @Test
    void moreThanEightUnmergeableDimsFailWithNotOnCudasMessage() {
        int[] shape = {2, 2, 2, 2, 2, 2, 2, 2, 2};
        int[] strides = {1024, 256, 64, 16, 4, 1, 4096, 16384, 65536}; // nothing adjacent merges
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> WeftStrides.merge(shape, strides));
        assertTrue(e.getMessage().startsWith("not yet implemented on CUDA: operands of shape [2, 2, 2, 2, 2, 2, 2, 2, 2]"),
                e.getMessage());
    }

    @Test
    void stridesBeyondIntRangeStayExact() {
        WeftStrides w = WeftStrides.merge(new int[] {3, 2}, new int[] {Integer.MAX_VALUE, 1 << 30});
        assertArrayEquals(new long[] {Integer.MAX_VALUE, 1L << 30}, w.strides(0));
    }
}
