package org.weft.autograd.ops;

import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;
import org.weft.tensor.Shape;

/**
 * The shapes on either side of a reduction, for sending a gradient back through it: the
 * input's shape and the keepdim shape (reduced dimensions of size one), into which a
 * gradient is reshaped before it broadcasts against the input.
 */
final class Reduced {

    final Shape input;
    final int[] kept;
    /** How many input elements fold into each output. */
    final int count;

    /** {@code dims} as the user gave them: negative allowed, null or empty for all. */
    Reduced(Shape input, int[] dims) {
        this.input = input;
        this.kept = input.dims();
        int rank = input.rank();
        int n = 1;
        if (dims == null || dims.length == 0) {
            for (int d = 0; d < rank; d++) {
                n *= kept[d];
                kept[d] = 1;
            }
        } else {
            for (int dim : dims) {
                int d = Shape.normalizeDim(dim, rank);
                if (rank > 0 && kept[d] != 1) {
                    n *= kept[d];
                    kept[d] = 1;
                }
            }
        }
        this.count = n;
    }

    /** A gradient of the output (with or without the reduced dims) in keepdim form. */
    Tensor keep(Tensor grad) {
        return grad.reshape(kept);
    }

    /** A gradient of the output broadcast back to the input's shape. */
    Tensor expand(Tensor grad) {
        return keep(grad).expand(input.dims());
    }

    /**
     * {@code g / d}, but 0 where {@code zero} (a 0/1 mask of d's shape) is 1: PyTorch's gradient
     * of a norm or standard deviation whose value is 0. d is replaced by 1 there before the
     * division, so no 0/0 enters the graph, and the mask then zeroes those places.
     */
    static Tensor divideOrZero(Tensor g, Tensor d, NDArray zero) {
        return g.div(d.add(Tensor.of(zero))).mul(Tensor.of(zero.rsub(1)));
    }
}
