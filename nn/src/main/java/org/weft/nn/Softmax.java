package org.weft.nn;

import org.weft.autograd.Functional;
import org.weft.autograd.Tensor;

/** Softmax along {@code dim}, as {@code nn.Softmax}. */
public class Softmax extends Module {

    public final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    protected Tensor forward(Tensor x) {
        return Functional.softmax(x, dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
