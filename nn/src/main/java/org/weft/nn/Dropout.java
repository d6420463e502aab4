package org.weft.nn;

import org.weft.autograd.Functional;
import org.weft.autograd.Tensor;

/** Zeroes each element with probability {@code p} in training and scales the rest by 1/(1-p), as {@code nn.Dropout}. */
public class Dropout extends Module {

    public final double p;

    public Dropout(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        this.p = p;
    }

    @Override
    protected Tensor forward(Tensor x) {
        return Functional.dropout(x, p, isTraining());
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
