package org.weft.tensor;

import java.util.Arrays;

/**
 * The checking half of the matrix products: PyTorch's rules for which shapes multiply
 * (vectors promoted to matrices, batch dimensions broadcast), result shapes and allocation,
 * before the device's {@link org.weft.tensor.backend.LinalgKernels} run on operands whose batch
 * dimensions already agree.
 */
final class LinalgOps {

    private LinalgOps() {
    }

    /**
     * {@code torch.matmul}: vector . vector is a dot product (0-d result); a vector on the left is
     * a one-row matrix and on the right a one-column matrix, the added dimension removed from
     * the result; matrices beyond two dimensions are batches whose batch dimensions broadcast.
     */
    static NDArray matmul(NDArray a, NDArray b) {
        requireMatmulOperands("matmul", a, b);
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("both arguments to matmul need to be at least 1D, but they are "
                    + a.dim() + "D and " + b.dim() + "D");
        }
        NDArray a2 = a.dim() == 1 ? a.unsqueeze(0) : a; // [k] -> [1, k]
        NDArray b2 = b.dim() == 1 ? b.unsqueeze(1) : b; // [k] -> [k, 1]
        int k = a2.size(-1);
        if (b2.size(-2) != k) {
            throw new IllegalArgumentException("matmul: shapes " + a.shape() + " and " + b.shape()
                    + " cannot be multiplied: the last dimension of the first (" + k + ") must equal the "
                    + (b.dim() == 1 ? "size" : "second-to-last dimension") + " of the second (" + b2.size(-2) + ")");
        }
        int[] batch;
        try {
            batch = Shape.broadcast(batchShape(a2), batchShape(b2)).dims();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul: shapes " + a.shape() + " and " + b.shape()
                    + " cannot be multiplied: their batch dimensions " + batchShape(a2) + " and " + batchShape(b2)
                    + " do not broadcast (" + e.getMessage() + ")", e);
        }
        NDArray out = product(a2, b2, batch, 1, 0, null);
        int[] dims = out.dims();
        int drop = (a.dim() == 1 ? 1 : 0) + (b.dim() == 1 ? 1 : 0);
        if (drop == 0) {
            return out;
        }
        // Remove the dimensions the vectors gained: m (second to last) and/or n (last).
        int[] s = Arrays.copyOf(dims, dims.length - drop);
        if (a.dim() == 1 && b.dim() != 1) {
            s[s.length - 1] = dims[dims.length - 1];
        }
        return out.view(s);
    }

    /** {@code torch.mm}: two matrices, no broadcasting. */
    static NDArray mm(NDArray a, NDArray b) {
        requireMm("mm", a, b);
        return product(a, b, new int[0], 1, 0, null);
    }

    /** {@code torch.bmm}: two 3-D batches of the same batch size, no broadcasting. */
    static NDArray bmm(NDArray a, NDArray b) {
        requireMatmulOperands("bmm", a, b);
        if (a.dim() != 3 || b.dim() != 3) {
            throw new IllegalArgumentException("bmm: expected 3-D tensors [batch, n, m] and [batch, m, p], got "
                    + a.dim() + "-D " + a.shape() + " and " + b.dim() + "-D " + b.shape());
        }
        if (a.size(0) != b.size(0)) {
            throw new IllegalArgumentException("bmm: the batch sizes must be equal, got " + a.size(0) + " and "
                    + b.size(0) + " (shapes " + a.shape() + " and " + b.shape() + "); matmul broadcasts, bmm does not");
        }
        if (a.size(2) != b.size(1)) {
            throw new IllegalArgumentException("bmm: shapes " + a.shape() + " and " + b.shape()
                    + " cannot be multiplied: the last dimension of the first (" + a.size(2)
                    + ") must equal the second dimension of the second (" + b.size(1) + ")");
        }
        return product(a, b, new int[] {a.size(0)}, 1, 0, null);
    }

    /** {@code torch.addmm}: {@code beta * bias + alpha * (a @ b)}, the bias broadcast to {@code [m, n]}. */
    static NDArray addmm(NDArray bias, NDArray a, NDArray b, double beta, double alpha) {
        requireMm("addmm", a, b);
        requireSameType("addmm", bias, a);
        int[] shape = {a.size(0), b.size(1)};
        return product(a, b, new int[0], alpha, beta, broadcastBias("addmm", bias, shape));
    }

    /**
     * {@code torch.nn.functional.linear}: {@code x @ weight^T + bias} with {@code weight} of shape
     * {@code [out_features, in_features]} and {@code x} of shape {@code [*, in_features]}. The
     * weight is read through its transposed view, and the bias is the GEMM's {@code beta} term.
     */
    static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        requireMatmulOperands("linear", x, weight);
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("linear: weight must be 2-D [out_features, in_features], got shape "
                    + weight.shape());
        }
        if (x.dim() == 0) {
            throw new IllegalArgumentException("linear: input must have at least 1 dimension [*, in_features], got a 0-D tensor");
        }
        int in = weight.size(1);
        int outFeatures = weight.size(0);
        if (x.size(-1) != in) {
            throw new IllegalArgumentException("linear: the input's last dimension (" + x.size(-1)
                    + ") must equal the weight's in_features (" + in + "); input " + x.shape() + ", weight "
                    + weight.shape() + " [out_features, in_features]");
        }
        NDArray x2 = x.dim() == 1 ? x.unsqueeze(0) : x;
        int[] batch = batchShape(x2).dims();
        NDArray init = null;
        if (bias != null) {
            requireSameType("linear", bias, x);
            if (bias.dim() > 1 || (bias.numel() != outFeatures && bias.numel() != 1)) {
                throw new IllegalArgumentException("linear: bias must have shape [" + outFeatures
                        + "] (out_features), got " + bias.shape());
            }
            int[] outShape = Arrays.copyOf(x2.dims(), x2.dim());
            outShape[outShape.length - 1] = outFeatures;
            init = broadcastBias("linear", bias, outShape);
        }
        NDArray out = product(x2, weight.t(), batch, 1, bias == null ? 0 : 1, init);
        return x.dim() == 1 ? out.view(outFeatures) : out;
    }

    /**
     * {@code torch.cdist(x, y) ** 2}: {@code out[..., i, j] = |x[..., i, :] - y[..., j, :]|^2} for
     * {@code x} of shape {@code [*, n, d]} and {@code y} of shape {@code [*, m, d]}, batch
     * dimensions broadcast.
     */
    static NDArray pairwiseSquaredDistances(NDArray x, NDArray y) {
        String op = "pairwiseSquaredDistances";
        requireMatmulOperands(op, x, y);
        if (x.dim() < 2 || y.dim() < 2) {
            throw new IllegalArgumentException(op + ": expected x of shape [*, n, d] and y of shape [*, m, d]"
                    + " (at least 2-D), got " + x.shape() + " and " + y.shape());
        }
        if (x.size(-1) != y.size(-1)) {
            throw new IllegalArgumentException(op + ": x and y must have the same number of columns d, got "
                    + x.size(-1) + " and " + y.size(-1) + " (shapes " + x.shape() + " and " + y.shape() + ")");
        }
        int[] batch;
        try {
            batch = Shape.broadcast(batchShape(x), batchShape(y)).dims();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": the batch dimensions " + batchShape(x) + " and "
                    + batchShape(y) + " of " + x.shape() + " and " + y.shape() + " do not broadcast ("
                    + e.getMessage() + ")", e);
        }
        int n = x.size(-2);
        int m = y.size(-2);
        int d = x.size(-1);
        NDArray out = NDArray.zeros(x.dtype(), x.device(), withMatrix(batch, n, m));
        x.backend().linalg().pairwiseSquaredDistances(x.expand(withMatrix(batch, n, d)),
                y.expand(withMatrix(batch, m, d)), out);
        return out;
    }

    /**
     * {@code alpha * a @ b + beta * init} for {@code a [*, m, k]} and {@code b [*, k, n]} whose
     * batch dimensions broadcast to {@code batch}; {@code init} is a contiguous array of the
     * result's shape that becomes the result (null when beta is 0).
     */
    private static NDArray product(NDArray a, NDArray b, int[] batch, double alpha, double beta, NDArray init) {
        int m = a.size(-2);
        int k = a.size(-1);
        int n = b.size(-1);
        NDArray out = init != null ? init : NDArray.zeros(a.dtype(), a.device(), withMatrix(batch, m, n));
        a.backend().linalg().matmul(a.expand(withMatrix(batch, m, k)), b.expand(withMatrix(batch, k, n)),
                alpha, beta, out);
        return out;
    }

    /** A fresh contiguous copy of {@code bias} broadcast to {@code shape}: the result array to accumulate into. */
    private static NDArray broadcastBias(String op, NDArray bias, int[] shape) {
        NDArray out = NDArray.zeros(bias.dtype(), bias.device(), shape);
        try {
            out.copy_(bias.broadcastTo(new Shape(shape)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": the bias of shape " + bias.shape()
                    + " cannot be broadcast to the product's shape " + Arrays.toString(shape), e);
        }
        return out;
    }

    private static void requireMm(String op, NDArray a, NDArray b) {
        requireMatmulOperands(op, a, b);
        if (a.dim() != 2 || b.dim() != 2) {
            throw new IllegalArgumentException(op + ": expected 2-D matrices, got " + a.dim() + "-D " + a.shape()
                    + " and " + b.dim() + "-D " + b.shape());
        }
        if (a.size(1) != b.size(0)) {
            throw new IllegalArgumentException(op + ": mat1 and mat2 shapes cannot be multiplied (" + a.size(0) + "x"
                    + a.size(1) + " and " + b.size(0) + "x" + b.size(1) + "): mat1's columns must equal mat2's rows");
        }
    }

    /** The products compute in F32 or F64, both operands of one dtype on one device. */
    private static void requireMatmulOperands(String op, NDArray a, NDArray b) {
        NDArray.requireSameDevice(op, a, b);
        requireSameType(op, a, b);
    }

    private static void requireSameType(String op, NDArray a, NDArray b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": expected both operands to have the same dtype, got "
                    + a.dtype() + " and " + b.dtype());
        }
        if (a.dtype() != DType.F32 && a.dtype() != DType.F64) {
            throw new IllegalArgumentException(op + ": supports F32 and F64 operands, got " + a.dtype()
                    + "; convert with to(DType.F32) first");
        }
    }

    /** All dimensions but the last two. */
    private static Shape batchShape(NDArray x) {
        return new Shape(Arrays.copyOf(x.dims(), x.dim() - 2));
    }

    private static int[] withMatrix(int[] batch, int rows, int cols) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = rows;
        s[batch.length + 1] = cols;
        return s;
    }
}
