package org.weft.nn;

/** Batch normalisation of {@code [N, C]} or {@code [N, C, L]} inputs, as {@code nn.BatchNorm1d}. */
public class BatchNorm1d extends BatchNorm {

    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true);
    }

    public BatchNorm1d(int numFeatures, double eps, double momentum, boolean affine) {
        this(numFeatures, eps, momentum, affine, true);
    }

    /** All of PyTorch's options; a null {@code momentum} keeps a cumulative average. */
    public BatchNorm1d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    protected boolean acceptsRank(int rank) {
        return rank == 2 || rank == 3;
    }

    @Override
    protected String expectedRank() {
        return "2D or 3D";
    }
}
