package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;

/** Rolls elements along dimensions (or the flattened tensor); the gradient rolls back. */
public final class Roll extends Function {

    private final int[] shifts;
    private final int[] dims;

    /** {@code dims} empty rolls the flattened tensor by the single shift. */
    public Roll(int[] shifts, int[] dims) {
        this.shifts = shifts.clone();
        this.dims = dims.clone();
    }

    @Override
    protected Tensor forward(Tensor... in) {
        return result(in[0].data().roll(shifts, dims));
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        int[] back = new int[shifts.length];
        for (int i = 0; i < shifts.length; i++) {
            back[i] = -shifts[i];
        }
        return grads(new Roll(back, dims).apply(grad));
    }
}
