package org.weft.nn;

import org.weft.autograd.Tensor;

/** {@code x Φ(x)}, as {@code nn.GELU}; {@code approximate} is "none" (erf) or "tanh". */
public class GELU extends Module {

    public final String approximate;

    public GELU() {
        this("none");
    }

    public GELU(String approximate) {
        if (!approximate.equals("none") && !approximate.equals("tanh")) {
            throw new IllegalArgumentException("GELU: approximate must be 'none' or 'tanh', got '" + approximate + "'");
        }
        this.approximate = approximate;
    }

    @Override
    protected Tensor forward(Tensor x) {
        return x.gelu(approximate);
    }
}
