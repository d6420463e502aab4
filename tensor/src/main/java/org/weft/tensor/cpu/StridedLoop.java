package org.weft.tensor.cpu;

/**
 * Walks the index space of a shape in row-major order for several operands, each with its
 * own strides and offset, handing the body one innermost row at a time.
 *
 * <p>Dimensions of size one are dropped and neighbouring dimensions that every operand
 * traverses as one are merged, so a contiguous array is a single long row whatever its rank,
 * and the per-row call costs nothing next to the row's work.
 */
final class StridedLoop {

    /** Handles one innermost row: operand {@code k} starts at {@code offsets[k]}. */
    @FunctionalInterface
    interface Row {
        void run(int[] offsets, int length);
    }

    private final int[] shape;
    private final int[][] strides;
    private final int rows;

    private StridedLoop(int[] shape, int[][] strides, int rows) {
        this.shape = shape;
        this.strides = strides;
        this.rows = rows;
    }

    /** A loop over {@code shape}; {@code strides[k]} are operand k's strides for that shape. */
    static StridedLoop of(int[] shape, int[]... strides) {
        int k = strides.length;
        int rank = 0;
        int[] s = new int[Math.max(shape.length, 1)];
        int[][] st = new int[k][s.length];
        boolean empty = false;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 0) {
                empty = true;
            }
            if (shape[d] == 1) {
                continue; // a size-1 dimension moves no operand
            }
            if (rank > 0 && mergeable(shape[d], d, st, rank - 1, strides)) {
                s[rank - 1] *= shape[d];
                for (int op = 0; op < k; op++) {
                    st[op][rank - 1] = strides[op][d];
                }
                continue;
            }
            s[rank] = shape[d];
            for (int op = 0; op < k; op++) {
                st[op][rank] = strides[op][d];
            }
            rank++;
        }
        if (rank == 0) {
            // A scalar, or every dimension of size one: one row of one element.
            s[0] = 1;
            rank = 1;
        }
        int[] collapsed = java.util.Arrays.copyOf(s, rank);
        int[][] collapsedStrides = new int[k][];
        for (int op = 0; op < k; op++) {
            collapsedStrides[op] = java.util.Arrays.copyOf(st[op], rank);
        }
        int rowCount = 1;
        for (int d = 0; d < rank - 1; d++) {
            rowCount *= collapsed[d];
        }
        return new StridedLoop(collapsed, collapsedStrides, empty ? 0 : rowCount);
    }

    /** Dimension d can fold into the previous kept one when every operand steps over both evenly. */
    private static boolean mergeable(int size, int d, int[][] st, int prev, int[][] strides) {
        for (int op = 0; op < strides.length; op++) {
            if (st[op][prev] != strides[op][d] * size) {
                return false;
            }
        }
        return true;
    }

    /** Elements per row. */
    int rowLength() {
        return shape[shape.length - 1];
    }

    int rows() {
        return rows;
    }

    /** The stride of operand {@code k} along a row. */
    int innerStride(int k) {
        return strides[k][shape.length - 1];
    }

    /** Runs every row on the calling thread. */
    void run(int[] baseOffsets, Row body) {
        runRows(0, rows, baseOffsets, body);
    }

    /**
     * Runs the rows split over the CPU threads; {@code grainElements} is the least work (in
     * elements) worth a thread. The body must only write elements of its own rows.
     */
    void runParallel(int[] baseOffsets, int grainElements, Row body) {
        int grainRows = Math.max(1, grainElements / Math.max(1, rowLength()));
        CpuThreads.parallelFor(rows, grainRows, (from, to) -> runRows(from, to, baseOffsets, body));
    }

    private void runRows(int from, int to, int[] baseOffsets, Row body) {
        if (from >= to) {
            return; // no rows (an empty shape): unravelling 'from' would divide by its zero size
        }
        int k = strides.length;
        int outer = shape.length - 1;
        int[] index = new int[outer];
        int[] offsets = baseOffsets.clone();
        int r = from;
        for (int d = outer - 1; d >= 0; d--) {
            index[d] = r % shape[d];
            r /= shape[d];
            for (int op = 0; op < k; op++) {
                offsets[op] += index[d] * strides[op][d];
            }
        }
        int[] rowOffsets = new int[k];
        for (int row = from; row < to; row++) {
            System.arraycopy(offsets, 0, rowOffsets, 0, k);
            body.run(rowOffsets, rowLength());
            for (int d = outer - 1; d >= 0; d--) {
                index[d]++;
                for (int op = 0; op < k; op++) {
                    offsets[op] += strides[op][d];
                }
                if (index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
                for (int op = 0; op < k; op++) {
                    offsets[op] -= strides[op][d] * shape[d];
                }
            }
        }
    }
}
