package org.weft.nn;

import java.util.Arrays;

import org.weft.autograd.Tensor;

/**
 * Reorders the dimensions of its input (a view, no copy), as torchvision's
 * {@code ops.misc.Permute}; Swin uses it to move between NCHW convolutions and NHWC
 * token layers, and registering it keeps the module paths torchvision's.
 */
public class Permute extends Module {

    private final int[] dims;

    public Permute(int... dims) {
        this.dims = dims.clone();
    }

    /** The order: dimension i of the output is dimension {@code dims()[i]} of the input. */
    public int[] dims() {
        return dims.clone();
    }

    @Override
    protected Tensor forward(Tensor x) {
        return x.permute(dims);
    }

    @Override
    protected String extraRepr() {
        return Arrays.toString(dims);
    }
}
