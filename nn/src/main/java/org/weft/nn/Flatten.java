package org.weft.nn;

import org.weft.autograd.Tensor;

/** Flattens dims {@code startDim..endDim} into one, as {@code nn.Flatten} (default: all but the batch dim). */
public class Flatten extends Module {

    public final int startDim;
    public final int endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    protected Tensor forward(Tensor x) {
        return x.flatten(startDim, endDim);
    }
}
