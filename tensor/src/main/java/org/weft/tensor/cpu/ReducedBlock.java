package org.weft.tensor.cpu;

import java.util.Arrays;

/**
 * The elements one output of a reduction folds together (the reduced dimensions of the
 * input), walked in memory order as runs of equal stride, from any element position so that
 * one block can be split over threads.
 *
 * <p>The order of a sum does not change its meaning, so the dimensions are ordered by stride
 * (smallest innermost) and merged where they step as one: a block that is contiguous in any
 * layout is one run, whatever the rank and the order of its dimensions.
 */
final class ReducedBlock {

    /** One run: {@code length} elements from {@code offset}, {@code stride} apart. */
    @FunctionalInterface
    interface Run {
        void accept(int offset, int length, int stride);
    }

    private final int[] shape;
    private final int[] strides;
    private final int numel;

    private ReducedBlock(int[] shape, int[] strides, int numel) {
        this.shape = shape;
        this.strides = strides;
        this.numel = numel;
    }

    /** The block of the given sizes and input strides (any order; size-one dimensions are dropped). */
    static ReducedBlock of(int[] sizes, int[] xStrides) {
        int n = 1;
        for (int s : sizes) {
            n *= s;
        }
        Integer[] order = new Integer[sizes.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // Outermost first: the largest stride.
        Arrays.sort(order, (a, b) -> Integer.compare(xStrides[b], xStrides[a]));
        int[] sh = new int[sizes.length + 1];
        int[] st = new int[sizes.length + 1];
        int rank = 0;
        for (int i : order) {
            if (sizes[i] == 1) {
                continue;
            }
            if (rank > 0 && st[rank - 1] == xStrides[i] * sizes[i]) {
                sh[rank - 1] *= sizes[i];
                st[rank - 1] = xStrides[i];
            } else {
                sh[rank] = sizes[i];
                st[rank++] = xStrides[i];
            }
        }
        if (rank == 0) {
            sh[0] = 1;
            st[0] = 1;
            rank = 1;
        }
        return new ReducedBlock(Arrays.copyOf(sh, rank), Arrays.copyOf(st, rank), n);
    }

    int numel() {
        return numel;
    }

    /** Calls {@code run} for each run of elements {@code [from, to)} (in walking order) of the block at {@code base}. */
    void walk(int base, int from, int to, Run run) {
        if (from >= to) {
            return;
        }
        int inner = shape.length - 1;
        int rowLength = shape[inner];
        int innerStride = strides[inner];
        int row = from / rowLength;
        int col = from % rowLength;
        int[] index = new int[inner];
        int offset = base;
        for (int d = inner - 1, r = row; d >= 0; d--) {
            index[d] = r % shape[d];
            r /= shape[d];
            offset += index[d] * strides[d];
        }
        int e = from;
        while (e < to) {
            int length = Math.min(rowLength - col, to - e);
            run.accept(offset + col * innerStride, length, innerStride);
            e += length;
            col = 0;
            for (int d = inner - 1; d >= 0; d--) {
                offset += strides[d];
                if (++index[d] < shape[d]) {
                    break;
                }
                offset -= strides[d] * shape[d];
                index[d] = 0;
            }
        }
    }
}
