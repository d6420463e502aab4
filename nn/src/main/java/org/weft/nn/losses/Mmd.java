package org.weft.nn.losses;

import java.util.Arrays;
import org.weft.autograd.Tensor;

/**
 * The squared maximum mean discrepancy between a source batch {@code s [n, d]} and a target
 * batch {@code t [m, d]} under a sum of Gaussian kernels, the domain-adaptation loss of DAN
 * (Long et al. 2015) that paper 000 uses:
 * <pre>
 *   k(x, y) = Σ_i exp(-|x - y|² / (β · m_i))
 *   biased     MMD² = mean_{i,j} k(s_i, s_j) + mean_{i,j} k(t_i, t_j) - 2 · mean_{i,j} k(s_i, t_j)
 *   unbiased   the same with the diagonal terms k(s_i, s_i), k(t_i, t_i) left out of the first two
 *              means (divided by n(n-1) and m(m-1)); needs n, m ≥ 2
 *   linear     (2/n) · Σ_{i < n/2} k(s_2i, s_2i+1) + k(t_2i, t_2i+1) - k(s_2i, t_2i+1) - k(s_2i+1, t_2i),
 *              Gretton et al.'s linear-time estimate from disjoint pairs; needs n = m, even
 * </pre>
 * The base bandwidth β is either fixed, or (the paper's rule) the mean squared distance
 * between distinct points of the joint batch {@code [s; t]}, taken as a constant: no gradient
 * flows through it, as in DAN and the usual PyTorch code. That mean needs no distance matrix:
 * {@code Σ_{a≠b} |z_a - z_b|² = 2N · Σ_a |z_a - z̄|²} over the N = n + m points, so
 * {@code β = 2 Σ_a |z_a - z̄|² / (N - 1)}, linear in N and free of cancellation.
 *
 * <p>Composed of differentiable ops ({@link Tensor#pairwiseSquaredDistances} for the full
 * estimators), so gradients of any order follow. With the joint-batch rule a finite-difference
 * check disagrees by design, since moving a point also moves β; the fixed rule is exactly
 * differentiable.
 */
public final class Mmd {

    static final String OP = "mmd";

    private Mmd() {
    }

    /** Which estimate of MMD² to compute. */
    public enum Estimator {
        /** All pairs, diagonal included: O((n + m)²), never negative. */
        BIASED,
        /** All pairs, the diagonal of the within-batch terms excluded: unbiased, can be negative. */
        UNBIASED,
        /** Disjoint consecutive pairs only: O(n), unbiased, high variance. */
        LINEAR
    }

    /** How the base bandwidth β is chosen. */
    public enum Bandwidth {
        /** β = the mean squared distance between distinct points of the joint batch, held constant. */
        JOINT_MEAN_DISTANCE,
        /** β given by the caller. */
        FIXED
    }

    /** The Gaussian kernels: the bandwidth rule, β where it is fixed, and the multipliers m_i. */
    public static final class Kernels {

        private final Bandwidth rule;
        private final double beta;
        private final double[] multipliers;

        private Kernels(Bandwidth rule, double beta, double[] multipliers) {
            if (multipliers == null || multipliers.length == 0) {
                throw new IllegalArgumentException(OP + ": expected at least one kernel multiplier, got none");
            }
            for (double m : multipliers) {
                if (!(m > 0) || Double.isInfinite(m)) {
                    throw new IllegalArgumentException(OP + ": kernel multipliers must be positive and finite, got "
                            + Arrays.toString(multipliers));
                }
            }
            if (rule == Bandwidth.FIXED && (!(beta > 0) || Double.isInfinite(beta))) {
                throw new IllegalArgumentException(OP + ": a fixed bandwidth must be positive and finite, got " + beta);
            }
            this.rule = rule;
            this.beta = beta;
            this.multipliers = multipliers.clone();
        }

        /** Paper 000's kernels: β by the joint-batch rule, m_i ∈ {1/4, 1/2, 1, 2, 4}. */
        public static Kernels paper() {
            return jointMeanDistance(0.25, 0.5, 1, 2, 4);
        }

        /** β by the joint-batch rule, one kernel per multiplier. */
        public static Kernels jointMeanDistance(double... multipliers) {
            return new Kernels(Bandwidth.JOINT_MEAN_DISTANCE, Double.NaN, multipliers);
        }

        /** A fixed β, one kernel per multiplier. */
        public static Kernels fixed(double beta, double... multipliers) {
            return new Kernels(Bandwidth.FIXED, beta, multipliers);
        }

        /** The single Gaussian kernel {@code exp(-|x - y|² / (2σ²))}, i.e. β = 2σ², one multiplier 1. */
        public static Kernels fixedSigma(double sigma) {
            if (!(sigma > 0) || Double.isInfinite(sigma)) {
                throw new IllegalArgumentException(OP + ": sigma must be positive and finite, got " + sigma);
            }
            return fixed(2 * sigma * sigma, 1);
        }

        public Bandwidth rule() {
            return rule;
        }

        /** The fixed β; NaN under the joint-batch rule. */
        public double beta() {
            return beta;
        }

        public double[] multipliers() {
            return multipliers.clone();
        }

        @Override
        public String toString() {
            return "Kernels(" + rule + (rule == Bandwidth.FIXED ? ", beta=" + beta : "") + ", multipliers="
                    + Arrays.toString(multipliers) + ")";
        }
    }

    /** MMD² of {@code source [n, d]} and {@code target [m, d]} (one floating dtype) by {@code estimator}. */
    public static Tensor mmd(Tensor source, Tensor target, Estimator estimator, Kernels kernels) {
        check(source, target, estimator);
        Tensor beta = kernels.rule == Bandwidth.FIXED ? Tensor.scalar(kernels.beta, source.dtype())
                : jointMeanDistance(source, target);
        int n = source.size(0);
        int m = target.size(0);
        switch (estimator) {
            case BIASED: {
                Tensor ss = kernel(source.pairwiseSquaredDistances(source), beta, kernels).sum().div((double) n * n);
                Tensor tt = kernel(target.pairwiseSquaredDistances(target), beta, kernels).sum().div((double) m * m);
                Tensor st = kernel(source.pairwiseSquaredDistances(target), beta, kernels).sum().div((double) n * m);
                return ss.add(tt).sub(st.mul(2.0));
            }
            case UNBIASED: {
                Tensor ss = offDiagonalSum(kernel(source.pairwiseSquaredDistances(source), beta, kernels))
                        .div((double) n * (n - 1));
                Tensor tt = offDiagonalSum(kernel(target.pairwiseSquaredDistances(target), beta, kernels))
                        .div((double) m * (m - 1));
                Tensor st = kernel(source.pairwiseSquaredDistances(target), beta, kernels).sum().div((double) n * m);
                return ss.add(tt).sub(st.mul(2.0));
            }
            case LINEAR: {
                Tensor s0 = source.slice(0, 0, n, 2);
                Tensor s1 = source.slice(0, 1, n, 2);
                Tensor t0 = target.slice(0, 0, n, 2);
                Tensor t1 = target.slice(0, 1, n, 2);
                Tensor h = rowKernel(s0, s1, beta, kernels).add(rowKernel(t0, t1, beta, kernels))
                        .sub(rowKernel(s0, t1, beta, kernels)).sub(rowKernel(s1, t0, beta, kernels));
                return h.sum().div(n / 2.0);
            }
            default:
                throw new AssertionError(estimator);
        }
    }

    private static void check(Tensor source, Tensor target, Estimator estimator) {
        Checks.floating(OP, "source", source);
        Checks.sameDtype(OP, "target", target, "source", source);
        if (estimator == null) {
            throw new NullPointerException(OP + ": estimator is null");
        }
        if (source.dim() != 2 || target.dim() != 2 || source.size(1) != target.size(1)) {
            throw new IllegalArgumentException(OP + ": expected source [n, d] and target [m, d] with one feature size d, "
                    + "got " + source.shape() + " and " + target.shape());
        }
        int n = source.size(0);
        int m = target.size(0);
        switch (estimator) {
            case BIASED -> {
                if (n < 1 || m < 1) {
                    throw new IllegalArgumentException(OP + ": the biased estimator needs at least 1 source and 1 target "
                            + "sample, got n=" + n + ", m=" + m);
                }
            }
            case UNBIASED -> {
                if (n < 2 || m < 2) {
                    throw new IllegalArgumentException(OP + ": the unbiased estimator needs at least 2 source and 2 "
                            + "target samples, got n=" + n + ", m=" + m);
                }
            }
            case LINEAR -> {
                if (n != m || n < 2 || n % 2 != 0) {
                    throw new IllegalArgumentException(OP + ": the linear-time estimator needs source and target batches "
                            + "of one even size, got n=" + n + ", m=" + m);
                }
            }
        }
    }

    /**
     * The joint-batch β, detached: {@code 2 Σ_a |z_a - z̄|² / (N - 1)}. Points that all coincide
     * give 0, and then every distance is 0 too; β = 1 there gives each kernel the value 1 (and
     * MMD² = 0) instead of 0/0.
     */
    static Tensor jointMeanDistance(Tensor source, Tensor target) {
        Tensor z = Tensor.cat(new Tensor[] {source.detach(), target.detach()}, 0);
        Tensor centred = z.sub(z.mean(0, true));
        Tensor beta = centred.mul(centred).sum().mul(2.0 / (z.size(0) - 1));
        return Tensor.where(beta.eq(0.0), beta.onesLike(), beta);
    }

    /** {@code Σ_i exp(-d / (β · m_i))} elementwise over squared distances {@code d}. */
    private static Tensor kernel(Tensor squaredDistances, Tensor beta, Kernels kernels) {
        Tensor k = null;
        for (double multiplier : kernels.multipliers) {
            Tensor term = squaredDistances.div(beta.mul(multiplier)).neg().exp();
            k = k == null ? term : k.add(term);
        }
        return k;
    }

    /** The kernel between the rows of {@code a} and the rows of {@code b}, pair by pair. */
    private static Tensor rowKernel(Tensor a, Tensor b, Tensor beta, Kernels kernels) {
        Tensor diff = a.sub(b);
        return kernel(diff.mul(diff).sum(1, false), beta, kernels);
    }

    /** The sum of a square matrix's elements off its diagonal. */
    private static Tensor offDiagonalSum(Tensor k) {
        Tensor offDiagonal = Tensor.eye(k.size(0)).to(k.dtype()).rsub(1.0);
        return k.mul(offDiagonal).sum();
    }
}
