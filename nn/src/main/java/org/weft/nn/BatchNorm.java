package org.weft.nn;

import java.util.Map;

import org.weft.autograd.Functional;
import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/**
 * Batch normalisation over the channel dimension (dim 1), as PyTorch's {@code _BatchNorm}:
 * affine {@code weight}/{@code bias}, and the buffers {@code running_mean},
 * {@code running_var} and {@code num_batches_tracked} that torchvision checkpoints carry.
 * Subclasses fix the input rank.
 *
 * <p>In training the batch's statistics normalise and, when running statistics are tracked,
 * they move towards the batch's by {@code momentum} (a null momentum gives the cumulative
 * average {@code 1/num_batches_tracked}); in evaluation the running statistics normalise.
 * Without tracked statistics the batch's are used in both modes and there are no buffers.
 */
public abstract class BatchNorm extends Module {

    public final int numFeatures;
    public final double eps;
    /** The weight of the newest batch in the running statistics; null for a cumulative average. */
    public final Double momentum;
    public final boolean trackRunningStats;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor numBatchesTracked;

    protected BatchNorm(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": num_features must be positive, got "
                    + numFeatures);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.trackRunningStats = trackRunningStats;
        this.weight = affine ? registerParameter("weight", Tensor.ones(numFeatures)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(numFeatures)) : null;
        this.runningMean = trackRunningStats ? registerBuffer("running_mean", Tensor.zeros(numFeatures)) : null;
        this.runningVar = trackRunningStats ? registerBuffer("running_var", Tensor.ones(numFeatures)) : null;
        this.numBatchesTracked = trackRunningStats ? registerBuffer("num_batches_tracked", Tensor.zeros(DType.I64))
                : null;
    }

    /** The input ranks this layer accepts, for the error message. */
    protected abstract boolean acceptsRank(int rank);

    protected abstract String expectedRank();

    /** The scale, or null without affine parameters. */
    public Tensor weight() {
        return weight;
    }

    /** The shift, or null without affine parameters. */
    public Tensor bias() {
        return bias;
    }

    /** The running mean, or null when statistics are not tracked. */
    public Tensor runningMean() {
        return runningMean;
    }

    /** The running (unbiased) variance, or null when statistics are not tracked. */
    public Tensor runningVar() {
        return runningVar;
    }

    /** How many training batches updated the running statistics, or null when they are not tracked. */
    public Tensor numBatchesTracked() {
        return numBatchesTracked;
    }

    @Override
    protected Tensor forward(Tensor x) {
        if (!acceptsRank(x.dim())) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected " + expectedRank()
                    + " input, got shape " + x.shape());
        }
        if (x.size(1) != numFeatures) {
            throw new IllegalArgumentException(getClass().getSimpleName() + "(" + numFeatures + "): expected "
                    + numFeatures + " channels in dim 1, got shape " + x.shape());
        }
        double factor = momentum == null ? 0 : momentum;
        if (isTraining() && trackRunningStats) {
            try (var g = Grad.disabled()) {
                NDArray count = numBatchesTracked.data();
                count.copy_(count.add(NDArray.scalar(1, DType.I64)));
                if (momentum == null) {
                    factor = 1.0 / count.item();
                }
            }
        }
        // Without tracked statistics there is nothing to normalise by in evaluation but the batch.
        boolean useBatchStatistics = isTraining() || !trackRunningStats;
        return Functional.batchNorm(x, runningMean, runningVar, weight, bias, useBatchStatistics, factor, eps);
    }

    /**
     * Checkpoints written before {@code num_batches_tracked} existed (and a state dict without
     * PyTorch's version metadata) lack it; PyTorch then loads it as 0, and so does this.
     */
    @Override
    protected void upgradeState(String prefix, Map<String, Tensor> state) {
        if (trackRunningStats) {
            state.putIfAbsent(prefix + "num_batches_tracked", Tensor.zeros(DType.I64));
        }
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + eps + ", momentum=" + momentum + ", affine=" + (weight != null)
                + ", track_running_stats=" + trackRunningStats;
    }
}
