package org.weft.tensor;

import org.weft.tensor.backend.BinaryOp;
import org.weft.tensor.backend.CompareOp;
import org.weft.tensor.backend.UnaryOp;

/**
 * The checking half of the elementwise ops: broadcasting, type promotion and allocation,
 * before the device's kernel runs on operands of one shape and dtype.
 */
final class ElementwiseOps {

    private ElementwiseOps() {
    }

    static NDArray unary(UnaryOp op, NDArray x) {
        requireComputable(op.opName(), x);
        DType dtype = x.dtype();
        // exp(true) is e, as in PyTorch; but neg, abs, relu or rounding of a mask is a mistake.
        if (dtype == DType.BOOL && !op.floatResult()) {
            throw new IllegalArgumentException(op.opName() + ": not supported for BOOL tensors;"
                    + " convert with to(DType.I64) first");
        }
        if (op.floatResult() && !dtype.isFloatingPoint()) {
            dtype = DType.F32;
        }
        NDArray in = x.to(dtype);
        NDArray out = NDArray.zeros(dtype, x.device(), x.dims());
        x.backend().elementwise().unary(op, in, out);
        return out;
    }

    static NDArray binary(BinaryOp op, NDArray a, NDArray b) {
        return binaryAs(op, a, b, DType.promote(a.dtype(), b.dtype()));
    }

    /** A tensor with a Java double: the scalar does not widen a floating-point tensor's dtype. */
    static NDArray binaryScalar(BinaryOp op, NDArray a, double scalar) {
        DType dtype = a.dtype().isFloatingPoint() ? a.dtype() : DType.F32;
        return binaryAs(op, a, NDArray.scalar(scalar, dtype).toDevice(a.device()), dtype);
    }

    /** A tensor with a Java long: an integer tensor keeps its dtype (BOOL becomes I64). */
    static NDArray binaryScalar(BinaryOp op, NDArray a, long scalar) {
        DType dtype = a.dtype() == DType.BOOL ? DType.I64 : a.dtype();
        return binaryAs(op, a, NDArray.scalar(scalar, dtype).toDevice(a.device()), dtype);
    }

    /** {@code scalar op a}, for the non-commutative ops. */
    static NDArray scalarBinary(BinaryOp op, double scalar, NDArray a) {
        DType dtype = a.dtype().isFloatingPoint() ? a.dtype() : DType.F32;
        return binaryAs(op, NDArray.scalar(scalar, dtype).toDevice(a.device()), a, dtype);
    }

    private static NDArray binaryAs(BinaryOp op, NDArray a, NDArray b, DType dtype) {
        requireComputable(op.opName(), a);
        requireComputable(op.opName(), b);
        NDArray.requireSameDevice(op.opName(), a, b);
        if (op == BinaryOp.DIV && !dtype.isFloatingPoint()) {
            dtype = DType.F32; // true division, as torch.div
        }
        if (op == BinaryOp.SUB && (a.dtype() == DType.BOOL || b.dtype() == DType.BOOL)) {
            // As PyTorch: a mask minus something is almost always a mask meant to be inverted.
            throw new IllegalArgumentException("sub: subtraction with a BOOL tensor is not supported;"
                    + " use logicalNot() to invert a mask, or convert with to(DType.I64) first");
        }
        if (dtype == DType.BOOL && op != BinaryOp.MAXIMUM && op != BinaryOp.MINIMUM) {
            throw new IllegalArgumentException(op.opName() + ": not supported for BOOL tensors;"
                    + " convert with to(DType.I64) first");
        }
        Shape shape = broadcast(op.opName(), a, b);
        NDArray out = NDArray.zeros(dtype, a.device(), shape.dims());
        a.backend().elementwise().binary(op, a.to(dtype).broadcastTo(shape), b.to(dtype).broadcastTo(shape), out);
        return out;
    }

    static NDArray compare(CompareOp op, NDArray a, NDArray b) {
        requireComputable(op.opName(), a);
        requireComputable(op.opName(), b);
        NDArray.requireSameDevice(op.opName(), a, b);
        DType dtype = DType.promote(a.dtype(), b.dtype());
        Shape shape = broadcast(op.opName(), a, b);
        NDArray out = NDArray.zeros(DType.BOOL, a.device(), shape.dims());
        a.backend().elementwise().compare(op, a.to(dtype).broadcastTo(shape), b.to(dtype).broadcastTo(shape), out);
        return out;
    }

    /**
     * A tensor compared with a Java double. As in PyTorch, a fractional scalar makes an integer
     * tensor compare in F32 (the default dtype), so 16777217 > 16777216.5 is false there too.
     */
    static NDArray compareScalar(CompareOp op, NDArray a, double scalar) {
        DType dtype = a.dtype().isFloatingPoint() || scalar == Math.rint(scalar) ? a.dtype() : DType.F32;
        if (dtype == DType.BOOL) {
            dtype = DType.I64;
        }
        return compare(op, a.to(dtype), NDArray.scalar(scalar, dtype).toDevice(a.device()));
    }

    static NDArray where(NDArray cond, NDArray a, NDArray b) {
        if (cond.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("where expected condition to be a boolean tensor, but got a tensor with dtype "
                    + cond.dtype());
        }
        requireComputable("where", a);
        requireComputable("where", b);
        NDArray.requireSameDevice("where", cond, a);
        NDArray.requireSameDevice("where", a, b);
        DType dtype = DType.promote(a.dtype(), b.dtype());
        Shape shape;
        try {
            shape = Shape.broadcast(Shape.broadcast(cond.shape(), a.shape()), b.shape());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("where: condition " + cond.shape() + ", self " + a.shape()
                    + " and other " + b.shape() + " cannot be broadcast together", e);
        }
        NDArray out = NDArray.zeros(dtype, a.device(), shape.dims());
        a.backend().elementwise().where(cond.broadcastTo(shape), a.to(dtype).broadcastTo(shape),
                b.to(dtype).broadcastTo(shape), out);
        return out;
    }

    /** ReLU's gradient {@code x <= threshold ? 0 : grad}, as PyTorch's {@code threshold_backward}. */
    static NDArray thresholdBackward(NDArray grad, NDArray x, double threshold) {
        if (!grad.dtype().isFloatingPoint() || grad.dtype() != x.dtype() || !grad.shape().equals(x.shape())) {
            throw new IllegalArgumentException("threshold_backward: expected a gradient and an input of one"
                    + " floating-point dtype and shape, got " + grad.dtype() + " " + grad.shape() + " and "
                    + x.dtype() + " " + x.shape());
        }
        requireComputable("threshold_backward", grad);
        NDArray.requireSameDevice("threshold_backward", grad, x);
        NDArray out = NDArray.zeros(grad.dtype(), grad.device(), grad.dims());
        grad.backend().elementwise().thresholdBackward(grad, x, threshold, out);
        return out;
    }

    /**
     * Clamps to {@code [min, max]}. An integer array keeps its dtype when both bounds are whole
     * numbers (or infinite, i.e. absent) and becomes F32 otherwise, as PyTorch promotes an integer
     * tensor clamped by a Python float; a Java double cannot say whether 2.0 was meant as a float,
     * so whole-valued bounds count as integers here. A NaN bound is refused: PyTorch 1.13
     * ignores one on a single side but gives NaN everywhere with two, which is no rule to copy.
     */
    static NDArray clamp(NDArray x, double min, double max) {
        requireComputable("clamp", x);
        if (Double.isNaN(min) || Double.isNaN(max)) {
            throw new IllegalArgumentException("clamp: bounds must not be NaN (min " + min + ", max " + max + ")");
        }
        if (x.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("clamp: not supported for BOOL tensors;"
                    + " convert with to(DType.I64) first");
        }
        DType dtype = x.dtype().isFloatingPoint() || (wholeOrInfinite(min) && wholeOrInfinite(max))
                ? x.dtype() : DType.F32;
        NDArray out = NDArray.zeros(dtype, x.device(), x.dims());
        x.backend().elementwise().clamp(x.to(dtype), min, max, out);
        return out;
    }

    private static boolean wholeOrInfinite(double v) {
        return Double.isInfinite(v) || v == Math.rint(v);
    }

    static UnaryOp geluOp(String approximate) {
        return switch (approximate) {
            case "none" -> UnaryOp.GELU_ERF;
            case "tanh" -> UnaryOp.GELU_TANH;
            default -> throw new IllegalArgumentException("gelu: approximate must be 'none' or 'tanh', got '"
                    + approximate + "'");
        };
    }

    private static Shape broadcast(String op, NDArray a, NDArray b) {
        try {
            return Shape.broadcast(a.shape(), b.shape());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
        }
    }

    /** BF16 and F16 are storage types: arithmetic on them must be asked for in F32. */
    static void requireComputable(String op, NDArray x) {
        if (!x.dtype().isComputeType()) {
            throw new IllegalArgumentException(op + ": " + x.dtype()
                    + " is a storage dtype in Weft; convert with to(DType.F32) first");
        }
    }
}
