package org.weft.nn;

import org.weft.autograd.Tensor;

/** Returns its input unchanged, as {@code nn.Identity}: the placeholder for a removed head. */
public class Identity extends Module {

    @Override
    protected Tensor forward(Tensor x) {
        return x;
    }
}
