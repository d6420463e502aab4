package org.weft.tensor;

import org.weft.tensor.backend.UnaryOp;

/**
 * The gradient of GELU's input on arrays, {@code grad * gelu'(x)}, as PyTorch's
 * {@code gelu_backward}: the checking half before the device's fused elementwise kernel.
 */
public final class GeluGradient {

    private GeluGradient() {
    }

    /**
     * {@code grad * d/dx gelu(x)}; {@code approximate} is "none" (erf form) or "tanh". Both
     * arrays are floating point of one dtype and device, and of one shape.
     */
    public static NDArray backward(NDArray grad, NDArray x, String approximate) {
        String op = "gelu_backward";
        UnaryOp gelu = ElementwiseOps.geluOp(approximate);
        Normalization.requireFloating(op, "input", x);
        Normalization.requireLike(op, "grad_output", grad, x);
        if (!grad.shape().equals(x.shape())) {
            throw new IllegalArgumentException(op + ": grad_output has shape " + grad.shape()
                    + " but the input has shape " + x.shape());
        }
        NDArray out = NDArray.zeros(x.dtype(), x.device(), x.dims());
        x.backend().elementwise().geluBackward(gelu, grad, x, out);
        return out;
    }
}
