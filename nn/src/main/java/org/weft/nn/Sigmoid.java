package org.weft.nn;

import org.weft.autograd.Tensor;

/** {@code 1 / (1 + e^-x)}, as {@code nn.Sigmoid}. */
public class Sigmoid extends Module {

    @Override
    protected Tensor forward(Tensor x) {
        return x.sigmoid();
    }
}
