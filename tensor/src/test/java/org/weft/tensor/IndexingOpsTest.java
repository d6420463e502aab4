package org.weft.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Gather, scatter_add, index_select, index_add, masked_fill and one_hot: bounds and dtype
 * errors, and large or half-precision cases checked against plain loops written here.
 */
class IndexingOpsTest {

    private static NDArray iota(int... shape) {
        return NDArray.arange(0, new Shape(shape).numel(), 1, DType.F32).reshape(shape);
    }

    private static NDArray index(long[] values, int... shape) {
        return NDArray.of(values, shape);
    }

    private static void assertFails(Class<? extends Throwable> type, String message, Executable call) {
        Throwable e = assertThrows(type, call);
        assertEquals(message, e.getMessage());
    }

    @Test
    void outOfRangeIndicesAreReportedBeforeAnyKernelReads() {
        NDArray x = iota(3, 4);
        assertFails(IndexOutOfBoundsException.class, "gather(): index 5 is out of bounds for dimension 1 with size 4",
                () -> x.gather(1, index(new long[] {0, 5, 1}, 3, 1)));
        assertFails(IndexOutOfBoundsException.class, "gather(): index -1 is out of bounds for dimension 1 with size 4",
                () -> x.gather(1, index(new long[] {-1}, 1, 1)));
        assertFails(IndexOutOfBoundsException.class,
                "scatter_add(): index 3 is out of bounds for dimension 0 with size 3",
                () -> x.scatterAdd(0, index(new long[] {3}, 1, 1), iota(1, 1)));
        assertFails(IndexOutOfBoundsException.class,
                "index_select(): index 4 is out of bounds for dimension 1 with size 4",
                () -> x.indexSelect(-1, index(new long[] {0, 4}, 2)));
        assertFails(IndexOutOfBoundsException.class, "index_add(): index 7 is out of bounds for dimension 0 with size 3",
                () -> x.indexAdd(0, index(new long[] {7}, 1), iota(1, 4)));
    }

    @Test
    void indicesMustBeI64() {
        NDArray x = iota(3, 4);
        NDArray i32 = NDArray.of(new int[] {1}, 1, 1);
        assertFails(IllegalArgumentException.class, "gather(): Expected dtype int64 for index, but got I32",
                () -> x.gather(1, i32));
        assertFails(IllegalArgumentException.class, "index_select(): Expected dtype int64 for index, but got F32",
                () -> x.indexSelect(0, NDArray.of(new float[] {0})));
        assertFails(IllegalArgumentException.class, "scatter_add(): Expected dtype int64 for index, but got I32",
                () -> x.scatterAdd(1, i32, iota(1, 1)));
    }

    @Test
    void shapesAndDtypesAreChecked() {
        NDArray x = iota(3, 4);
        assertFails(IllegalArgumentException.class, "Index tensor must have the same number of dimensions as input"
                + " tensor (index [1], input [3, 4])", () -> x.gather(1, index(new long[] {1}, 1)));
        assertFails(IllegalArgumentException.class, "Size does not match at dimension 0 expected index [4, 2] to be"
                + " smaller than self [3, 4] apart from dimension 1", () -> x.gather(1, NDArray.zeros(DType.I64, 4, 2)));
        assertFails(IllegalArgumentException.class, "Expected index [3, 2] to be smaller than self [3, 4] apart from"
                + " dimension 1 and to be smaller size than src [3, 1]",
                () -> x.scatterAdd(1, NDArray.zeros(DType.I64, 3, 2), iota(3, 1)));
        assertFails(IllegalArgumentException.class, "scatter(): Expected self.dtype to be equal to src.dtype (self F32,"
                + " src F64)", () -> x.scatterAdd(1, NDArray.zeros(DType.I64, 3, 2), NDArray.zeros(DType.F64, 3, 2)));
        assertFails(IllegalArgumentException.class, "index_select(): Index is supposed to be a vector, got shape [1, 1]",
                () -> x.indexSelect(1, NDArray.zeros(DType.I64, 1, 1)));
        assertFails(IllegalArgumentException.class, "index_add_(): Number of indices (2) should be equal to"
                + " source.size(dim): (1), for dim: 1", () -> x.indexAdd(1, NDArray.zeros(DType.I64, 2), iota(3, 1)));
        assertFails(IllegalArgumentException.class, "masked_fill only supports boolean masks, but got mask with dtype"
                + " I64", () -> x.maskedFill(NDArray.zeros(DType.I64, 4), 1));
    }

    @Test
    void oneHotChecksItsClasses() {
        assertFails(IllegalArgumentException.class, "Class values must be smaller than num_classes.",
                () -> index(new long[] {0, 3}, 2).oneHot(3));
        assertFails(IllegalArgumentException.class, "Class values must be non-negative.",
                () -> index(new long[] {0, -1}, 2).oneHot(3));
        assertFails(IllegalArgumentException.class, "Can not infer total number of classes from empty tensor.",
                () -> NDArray.zeros(DType.I64, 0).oneHot(-1));
        assertFails(IllegalArgumentException.class, "one_hot is only applicable to index tensor (I64), got I32",
                () -> NDArray.of(new int[] {1}).oneHot(2));
    }

    @Test
    void maskedFillInPlaceWritesTheBaseAndBumpsTheVersion() {
        NDArray base = iota(2, 3);
        int before = base.storage().version();
        NDArray mask = NDArray.of(new boolean[] {true, false}, 2, 1);
        base.t().maskedFill_(mask.t(), -1); // broadcast over the columns of the transposed view
        assertArrayEquals(new float[] {-1, -1, -1, 3, 4, 5}, base.toFloatArray());
        assertEquals(before + 1, base.storage().version());
        assertFails(IllegalArgumentException.class, "masked_fill_: output with shape [3, 1] doesn't match the"
                + " broadcast shape [3, 4]", () -> iota(3, 1).maskedFill_(NDArray.zeros(DType.BOOL, 4), 1));
    }

    @Test
    void halfPrecisionScatterAddRoundsEachSumToNearestEven() {
        // 256 + 1 is a tie in BF16 (8 significant bits) and rounds to even, 256; + 3 rounds up to 260.
        NDArray x = NDArray.full(256, DType.BF16, 2);
        NDArray out = x.scatterAdd(0, index(new long[] {0, 1}, 2), NDArray.of(new float[] {1, 3}).to(DType.BF16));
        assertEquals(DType.BF16, out.dtype());
        assertArrayEquals(new float[] {256, 260}, out.toFloatArray());
    }

    @Test
    void largeScatterAddAcrossThreadsMatchesAPlainLoop() {
        int rows = 64;
        int cols = 3000;
        int width = 7;
        Random random = new Random(42);
        long[] idx = new long[rows * cols];
        double[] src = new double[rows * cols];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = random.nextInt(width);
            src[k] = random.nextInt(100); // integers: the sums are exact in any order
        }
        double[] want = new double[rows * width];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                want[r * width + (int) idx[r * cols + c]] += src[r * cols + c];
            }
        }
        NDArray out = NDArray.zeros(DType.F64, rows, width)
                .scatterAdd(1, NDArray.of(idx, rows, cols), NDArray.of(src, rows, cols));
        assertArrayEquals(want, out.toDoubleArray());
        // The same along dimension 0 of the transposed problem, whose rows are not contiguous.
        NDArray outT = NDArray.zeros(DType.F64, width, rows)
                .scatterAdd(0, NDArray.of(idx, rows, cols).t(), NDArray.of(src, rows, cols).t());
        assertArrayEquals(want, outT.t().toDoubleArray());
    }

    @Test
    void largeIndexSelectOfRowsMatchesAPlainLoop() {
        int vocab = 50;
        int dim = 33;
        int n = 2000;
        Random random = new Random(7);
        long[] idx = new long[n];
        for (int k = 0; k < n; k++) {
            idx[k] = random.nextInt(vocab);
        }
        NDArray table = NDArray.arange(0, vocab * dim, 1, DType.I32).reshape(vocab, dim);
        int[] got = table.indexSelect(0, NDArray.of(idx)).toIntArray();
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < dim; j++) {
                assertEquals(idx[k] * dim + j, got[k * dim + j]);
            }
        }
    }
}
