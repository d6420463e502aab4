package org.weft.nn;

import org.weft.autograd.Functional;
import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;
import org.weft.tensor.DType;

/**
 * Batch normalisation over the channel dimension (dim 1), as PyTorch's {@code _BatchNorm}:
 * affine {@code weight}/{@code bias}, and the buffers {@code running_mean},
 * {@code running_var} and {@code num_batches_tracked} that torchvision checkpoints carry.
 * Subclasses fix the input rank.
 */
public abstract class BatchNorm extends Module {

    public final int numFeatures;
    public final double eps;
    public final double momentum;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor numBatchesTracked;

    protected BatchNorm(int numFeatures, double eps, double momentum, boolean affine) {
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = affine ? registerParameter("weight", Tensor.ones(numFeatures)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(numFeatures)) : null;
        this.runningMean = registerBuffer("running_mean", Tensor.zeros(numFeatures));
        this.runningVar = registerBuffer("running_var", Tensor.ones(numFeatures));
        this.numBatchesTracked = registerBuffer("num_batches_tracked", Tensor.zeros(DType.I64));
    }

    /** The input ranks this layer accepts, for the error message. */
    protected abstract boolean acceptsRank(int rank);

    protected abstract String expectedRank();

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    public Tensor runningMean() {
        return runningMean;
    }

    public Tensor runningVar() {
        return runningVar;
    }

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
        if (isTraining()) {
            try (var g = Grad.disabled()) {
                numBatchesTracked.data().copy_(numBatchesTracked.data().add(org.weft.tensor.NDArray.scalar(1, DType.I64)));
            }
        }
        return Functional.batchNorm(x, runningMean, runningVar, weight, bias, isTraining(), momentum, eps);
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + eps + ", momentum=" + momentum + ", affine=" + (weight != null);
    }
}
