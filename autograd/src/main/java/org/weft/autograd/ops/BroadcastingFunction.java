package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.DType;
import org.weft.tensor.Shape;

/**
 * A function whose inputs are broadcast together and promoted to one dtype. Its backward
 * sums each input's gradient back to that input's shape and converts it back to its dtype.
 */
abstract class BroadcastingFunction extends Function {

    private Shape[] shapes;
    private DType[] dtypes;

    /** Records the input shapes and dtypes; call first in forward. */
    protected final void rememberInputs(Tensor... inputs) {
        shapes = new Shape[inputs.length];
        dtypes = new DType[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            shapes[i] = inputs[i].shape();
            dtypes[i] = inputs[i].dtype();
        }
    }

    /** The output gradient {@code grad} as the gradient of input {@code i}. */
    protected final Tensor toInput(int i, Tensor grad) {
        return grad.sumToShape(shapes[i]).to(dtypes[i]);
    }
}
