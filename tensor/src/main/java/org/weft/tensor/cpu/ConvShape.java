package org.weft.tensor.cpu;

import org.weft.tensor.backend.Conv2dParams;

/**
 * One 2-d convolution seen as matrix products: for each batch item and group, the output
 * {@code [groupOut, pixels]} is the group's weight {@code [groupOut, patch]} times the column
 * matrix {@code [patch, pixels]}, whose column {@code j} holds the input patch that output
 * pixel {@code j} sees (im2col).
 */
final class ConvShape {

    final int batch;
    final int inChannels;
    final int height;
    final int width;
    final int outChannels;
    final int kernelH;
    final int kernelW;
    final int outH;
    final int outW;
    final int groups;
    final int groupIn;
    final int groupOut;
    /** Rows of the column matrix: one per (channel of the group, kernel row, kernel column). */
    final int patch;
    /** Columns of the column matrix: one per output pixel. */
    final int pixels;
    final Conv2dParams p;

    /** From the input's, the weight's and the output's dimensions, all [N, C, H, W]-style. */
    ConvShape(int[] input, int[] weight, int[] output, Conv2dParams p) {
        this.batch = input[0];
        this.inChannels = input[1];
        this.height = input[2];
        this.width = input[3];
        this.outChannels = weight[0];
        this.kernelH = weight[2];
        this.kernelW = weight[3];
        this.outH = output[2];
        this.outW = output[3];
        this.groups = p.groups();
        this.groupIn = weight[1];
        this.groupOut = outChannels / groups;
        this.patch = groupIn * kernelH * kernelW;
        this.pixels = outH * outW;
        this.p = p;
    }

    /**
     * Whether the column matrix is the input itself: a 1x1 kernel with stride 1 and no padding
     * reads each input pixel exactly once, in order, so im2col would only copy.
     */
    boolean pointwise() {
        return kernelH == 1 && kernelW == 1 && p.strideH() == 1 && p.strideW() == 1
                && p.padH() == 0 && p.padW() == 0;
    }
}
