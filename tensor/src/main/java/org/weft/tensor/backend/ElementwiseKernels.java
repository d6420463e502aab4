package org.weft.tensor.backend;

import org.weft.tensor.NDArray;

/**
 * Element-by-element kernels. Every operand has the output's shape (inputs broadcast by
 * zero strides) and, unless a method says otherwise, the output's dtype.
 */
public interface ElementwiseKernels {

    void unary(UnaryOp op, NDArray x, NDArray out);

    /**
     * {@code out = grad * gelu'(x)} in one pass, {@code gelu} being {@link UnaryOp#GELU_ERF} or
     * {@link UnaryOp#GELU_TANH}; {@link GeluDerivative} is the reference. Floating dtypes only.
     */
    void geluBackward(UnaryOp gelu, NDArray grad, NDArray x, NDArray out);

    void binary(BinaryOp op, NDArray a, NDArray b, NDArray out);

    /** {@code out} is BOOL; {@code a} and {@code b} share a dtype. */
    void compare(CompareOp op, NDArray a, NDArray b, NDArray out);

    /** {@code cond} is BOOL. */
    void where(NDArray cond, NDArray a, NDArray b, NDArray out);

    /** {@code min(max(x, lo), hi)}; an infinite bound is no bound. NaN stays NaN. */
    void clamp(NDArray x, double lo, double hi, NDArray out);

    /**
     * {@code x <= threshold ? 0 : grad}, ReLU's gradient; all three share a floating-point dtype
     * and a shape.
     */
    void thresholdBackward(NDArray grad, NDArray x, double threshold, NDArray out);
}
