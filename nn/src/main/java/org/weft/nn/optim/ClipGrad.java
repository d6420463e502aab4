package org.weft.nn.optim;

import java.util.ArrayList;
import java.util.List;

import org.weft.autograd.Tensor;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/**
 * Gradient-norm clipping, as {@code torch.nn.utils.clip_grad_norm_}: the gradients of all
 * parameters are treated as one vector; if its norm exceeds {@code maxNorm}, every gradient
 * is scaled by the same factor so that it does not. Call it between {@code backward()} and
 * {@code optimizer.step()}.
 */
public final class ClipGrad {

    private ClipGrad() {
    }

    /** Clips by the 2-norm; returns the total norm before clipping. */
    public static double clipGradNorm(List<Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2.0, false);
    }

    /** Clips by the {@code normType}-norm (infinity: the largest |g|); returns the total norm before clipping. */
    public static double clipGradNorm(List<Tensor> params, double maxNorm, double normType) {
        return clipGradNorm(params, maxNorm, normType, false);
    }

    /**
     * Clips the gradients of {@code params} in place (parameters without a gradient are
     * skipped) and returns their total norm before clipping. With {@code errorIfNonfinite},
     * a NaN or infinite total norm is an error; without it, the gradients are scaled by the
     * resulting NaN factor, as in PyTorch, and the caller should skip the step.
     */
    public static double clipGradNorm(List<Tensor> params, double maxNorm, double normType, boolean errorIfNonfinite) {
        if (Double.isNaN(normType)) {
            throw new IllegalArgumentException("clipGradNorm: normType must be a number or infinity, got NaN");
        }
        if (!(maxNorm >= 0)) {
            // PyTorch accepts a negative maxNorm and flips every gradient's sign; that is never meant.
            throw new IllegalArgumentException("clipGradNorm: maxNorm must be non-negative, got " + maxNorm);
        }
        List<NDArray> grads = new ArrayList<>();
        DType dtype = null;
        for (Tensor p : params) {
            if (p.grad() != null) {
                NDArray g = p.grad().data();
                grads.add(g);
                dtype = dtype == null || g.dtype() == DType.F64 ? g.dtype() : dtype;
            }
        }
        if (grads.isEmpty()) {
            return 0.0;
        }
        // The norm of the per-parameter norms is the norm of all elements together, for any p
        // (for infinity too: the max of maxes); computing it this way needs no concatenation.
        List<NDArray> norms = new ArrayList<>();
        for (NDArray g : grads) {
            norms.add(g.norm(normType, null, false).to(dtype));
        }
        NDArray total = NDArray.stack(norms, 0).norm(normType, null, false);
        double totalNorm = total.item();
        if (errorIfNonfinite && !Double.isFinite(totalNorm)) {
            throw new IllegalArgumentException("clipGradNorm: the total norm of order " + normType + " for gradients"
                    + " is " + totalNorm + ", so it cannot be clipped; pass errorIfNonfinite=false to scale anyway");
        }
        // The 1e-6 keeps the factor finite for all-zero gradients; multiplying even when the
        // factor is 1 keeps the result identical to PyTorch's, and avoids a data-dependent branch.
        NDArray coef = total.add(1e-6).rdiv(maxNorm).clampMax(1.0);
        for (NDArray g : grads) {
            g.mul_(coef.to(g.dtype()));
        }
        return totalNorm;
    }
}
