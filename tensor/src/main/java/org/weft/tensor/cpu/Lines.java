package org.weft.tensor.cpu;

import org.weft.tensor.NDArray;

/**
 * The lines of several arrays along one dimension, visited together and split over the
 * threads: the loop of every kernel that works along a dimension (cumsum, sort, argmax).
 * The arrays agree in every dimension but {@code dim}, where their lengths may differ.
 */
final class Lines {

    /** Handles one line: {@code starts[k]} is where operand k's line begins in its storage. */
    @FunctionalInterface
    interface Body {
        void line(int[] starts);
    }

    private Lines() {
    }

    /**
     * Calls {@code body} once per line; {@code lineCost} (elements of work per line) sets how
     * many lines a thread takes at least.
     */
    static void forEach(int dim, int lineCost, Body body, NDArray... operands) {
        int[] shape = operands[0].dims();
        shape[dim] = 1;
        int[][] strides = new int[operands.length][];
        int[] base = new int[operands.length];
        for (int k = 0; k < operands.length; k++) {
            strides[k] = operands[k].strides();
            base[k] = operands[k].offset();
        }
        StridedLoop loop = StridedLoop.of(shape, strides);
        int grain = Math.max(1, DoubleReduction.CHUNK / Math.max(1, lineCost));
        loop.runParallel(base, grain, (off, n) -> {
            int[] starts = new int[off.length];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < off.length; k++) {
                    starts[k] = off[k] + i * loop.innerStride(k);
                }
                body.line(starts);
            }
        });
    }
}
