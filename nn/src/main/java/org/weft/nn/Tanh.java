package org.weft.nn;

import org.weft.autograd.Tensor;

/** The hyperbolic tangent, as {@code nn.Tanh}. */
public class Tanh extends Module {

    @Override
    protected Tensor forward(Tensor x) {
        return x.tanh();
    }
}
