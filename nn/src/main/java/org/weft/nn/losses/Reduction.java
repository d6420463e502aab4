package org.weft.nn.losses;

import org.weft.autograd.Tensor;

/**
 * How a loss turns its per-element values into what it returns, by PyTorch's names:
 * {@code "none"} keeps them, {@code "sum"} adds them, {@code "mean"} averages them, and
 * {@code "batchmean"} (KL divergence and distillation only) adds them and divides by the
 * batch size, which makes a sum of per-sample divergences a per-sample average.
 */
enum Reduction {
    NONE, MEAN, SUM, BATCHMEAN;

    /** The reduction named {@code name}; "batchmean" only where {@code batchMeanAllowed}. */
    static Reduction of(String name, boolean batchMeanAllowed) {
        if (name != null) {
            switch (name) {
                case "none":
                    return NONE;
                case "mean":
                    return MEAN;
                case "sum":
                    return SUM;
                case "batchmean":
                    if (batchMeanAllowed) {
                        return BATCHMEAN;
                    }
                    break;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException(name + " is not a valid value for reduction");
    }

    static Reduction of(String name) {
        return of(name, false);
    }

    /** Reduces {@code loss}; "batchmean" divides by its first size (by one for a 0-d loss). */
    Tensor apply(Tensor loss) {
        return apply(loss, loss.dim() == 0 ? 1 : loss.size(0));
    }

    /**
     * Reduces {@code loss}, with {@code batchSize} the divisor of "batchmean". The mean of no
     * elements is NaN (0/0), as in PyTorch.
     */
    Tensor apply(Tensor loss, int batchSize) {
        return switch (this) {
            case NONE -> loss;
            case SUM -> loss.sum();
            case MEAN -> loss.sum().div((double) loss.numel());
            case BATCHMEAN -> loss.sum().div((double) batchSize);
        };
    }
}
