package org.weft.tensor.cpu;

import org.weft.tensor.NDArray;

/**
 * An input split into the dimensions a reduction keeps and those it reduces: one loop walks
 * the output elements (with the input offset where each one's block starts), another walks
 * one block.
 */
final class ReducedView {

    /** Visits one output element: its storage index in the output and its block's start in the input. */
    @FunctionalInterface
    interface OutputBody {
        void run(int outIndex, int xOffset);
    }

    private final StridedLoop kept;
    private final StridedLoop reduced;
    private final int xOffset;
    private final int outOffset;

    private ReducedView(StridedLoop kept, StridedLoop reduced, int xOffset, int outOffset) {
        this.kept = kept;
        this.reduced = reduced;
        this.xOffset = xOffset;
        this.outOffset = outOffset;
    }

    /** {@code out} has x's rank with size one on the sorted {@code dims}. */
    static ReducedView of(NDArray x, int[] dims, NDArray out) {
        int rank = x.dim();
        int[] shape = x.dims();
        int[] xst = x.strides();
        int[] ost = out.strides();
        boolean[] isReduced = new boolean[rank];
        for (int d : dims) {
            isReduced[d] = true;
        }
        int nk = rank - dims.length;
        int[] keptShape = new int[nk];
        int[] keptX = new int[nk];
        int[] keptOut = new int[nk];
        int[] redShape = new int[dims.length];
        int[] redX = new int[dims.length];
        for (int d = 0, k = 0, r = 0; d < rank; d++) {
            if (isReduced[d]) {
                redShape[r] = shape[d];
                redX[r++] = xst[d];
            } else {
                keptShape[k] = shape[d];
                keptX[k] = xst[d];
                keptOut[k++] = ost[d];
            }
        }
        return new ReducedView(StridedLoop.of(keptShape, keptOut, keptX), StridedLoop.of(redShape, redX),
                x.offset(), out.offset());
    }

    /** The loop over one reduced block; operand 0 is the input. */
    StridedLoop reduced() {
        return reduced;
    }

    /** Calls {@code body} once per output element, output elements split over the threads. */
    void forEachOutput(OutputBody body) {
        int blockSize = Math.max(1, reduced.rows() * reduced.rowLength());
        int grain = Math.max(1, (1 << 14) / blockSize);
        int os = kept.innerStride(0);
        int xs = kept.innerStride(1);
        kept.runParallel(new int[] {outOffset, xOffset}, grain, (off, n) -> {
            for (int i = 0; i < n; i++) {
                body.run(off[0] + i * os, off[1] + i * xs);
            }
        });
    }
}
