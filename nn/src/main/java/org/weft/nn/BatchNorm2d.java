package org.weft.nn;

/** Batch normalisation of {@code [N, C, H, W]} feature maps, as {@code nn.BatchNorm2d}. */
public class BatchNorm2d extends BatchNorm {

    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true);
    }

    public BatchNorm2d(int numFeatures, double eps, double momentum, boolean affine) {
        this(numFeatures, eps, momentum, affine, true);
    }

    /** All of PyTorch's options; a null {@code momentum} keeps a cumulative average. */
    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    protected boolean acceptsRank(int rank) {
        return rank == 4;
    }

    @Override
    protected String expectedRank() {
        return "4D";
    }
}
