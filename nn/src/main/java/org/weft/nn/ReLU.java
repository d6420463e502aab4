package org.weft.nn;

import org.weft.autograd.Tensor;

/** {@code max(x, 0)}, as {@code nn.ReLU}. */
public class ReLU extends Module {

    @Override
    protected Tensor forward(Tensor x) {
        return x.relu();
    }
}
