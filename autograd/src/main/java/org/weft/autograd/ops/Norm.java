package org.weft.autograd.ops;

import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;

/**
 * The vector p-norm over dimensions, {@code (sum |x|^p)^(1/p)}, with the gradients PyTorch
 * gives, including at zero: the 2-norm of an all-zero input has gradient 0 (not 0/0), and the
 * infinity-norms split the gradient among the elements whose |x| is the result. The
 * gradients are PyTorch's formulas written with tensor ops (the masks are constants), so
 * second derivatives follow.
 */
public final class Norm extends Function {

    private final double p;
    private final int[] dims;
    private final boolean keepdim;
    private Reduced shapes;

    /** "fro" (or null for a numeric p): the name the forward checks and computes. */
    private final String name;

    /** {@code dims} null or empty reduces every dimension. */
    public Norm(double p, int[] dims, boolean keepdim) {
        this(p, null, dims, keepdim);
    }

    private Norm(double p, String name, int[] dims, boolean keepdim) {
        this.p = p;
        this.name = name;
        this.dims = dims == null ? null : dims.clone();
        this.keepdim = keepdim;
    }

    /** The norm named by a string: "fro", the 2-norm over at most two dimensions (or all). */
    public static Norm named(String p, int[] dims, boolean keepdim) {
        return new Norm(2, p, dims, keepdim);
    }

    @Override
    protected Tensor forward(Tensor... in) {
        NDArray x = in[0].data();
        Tensor out = result(name != null ? x.norm(name, dims, keepdim) : x.norm(p, dims, keepdim));
        shapes = new Reduced(in[0].shape(), dims);
        saveForBackward(in[0], out);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor x = saved(0);
        Tensor norm = shapes.keep(saved(1));
        Tensor g = shapes.keep(grad);
        NDArray xd = x.data();
        if (p == 0) {
            return grads(Tensor.of(xd.zerosLike()));
        }
        Tensor sign = x.sign();
        if (p == 1) {
            return grads(g.mul(sign));
        }
        if (Double.isInfinite(p)) {
            NDArray abs = xd.abs();
            NDArray hit = abs.eq(norm.data()).to(xd.dtype()).add(abs.ne(abs).to(xd.dtype()));
            return grads(g.mul(sign.mul(Tensor.of(hit.div(hit.sum(dims, true))))));
        }
        NDArray normZero = norm.data().eq(0).to(xd.dtype());
        if (p == 2) {
            return grads(x.mul(Reduced.divideOrZero(g, norm, normZero)));
        }
        Tensor abs = x.abs();
        if (p < 1) {
            // |x|^(p-1) is infinite at x = 0, where PyTorch puts 0: compute it at 1 there, then mask.
            NDArray xZero = xd.eq(0).to(xd.dtype());
            Tensor scaled = abs.add(Tensor.of(xZero)).pow(p - 1).mul(sign);
            return grads(scaled.mul(g).mul(norm.pow(1 - p)));
        }
        Tensor scaled = p < 2 ? abs.pow(p - 1).mul(sign) : x.mul(abs.pow(p - 2));
        Tensor normPow = norm.add(Tensor.of(normZero)).pow(p - 1);
        return grads(scaled.mul(Reduced.divideOrZero(g, normPow, normZero)));
    }
}
