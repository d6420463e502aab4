package org.weft.tensor.backend;

import org.weft.tensor.NDArray;

/**
 * Convolution, pooling and interpolation, forward and backward, on 4-d arrays laid out
 * {@code [batch, channels, height, width]}.
 *
 * <p>Inputs that are read element by element may have any strides (a channels-last view
 * included); outputs are freshly allocated, contiguous and zero-filled. Where an operand is
 * fed to a matrix product as a whole (the convolution's weight and its incoming gradient) the
 * caller passes it contiguous. Output shapes already encode every size decision (ceil mode,
 * the interpolated size), so kernels never recompute them.
 */
public interface ConvKernels {

    /** {@code out[n, o] = bias[o] + sum over the group's channels and the kernel window}; bias may be null. */
    void conv2d(NDArray x, NDArray weight, NDArray bias, Conv2dParams p, NDArray out);

    /**
     * {@code conv2d} without bias followed, block by block while the output is still in cache,
     * by a per-channel affine map and optionally ReLU:
     * {@code out[n, o] = act(scale[o] * conv(x)[n, o] + shift[o])}, {@code act} ReLU or the
     * identity. A batch norm in eval mode folds into {@code scale} and {@code shift}, so a
     * convolution, its batch norm and its ReLU make one pass over the output instead of three.
     * {@code scale} and {@code shift} are {@code [O]}.
     */
    void conv2dAffine(NDArray x, NDArray weight, NDArray scale, NDArray shift, boolean relu, Conv2dParams p,
                      NDArray out);

    /**
     * The gradient of {@code conv2d} w.r.t. its input (a transposed convolution): every
     * output gradient flows back to the input elements its window read. {@code weight} and
     * {@code gradOut} are contiguous; {@code gradIn} has the input's shape.
     */
    void conv2dBackwardInput(NDArray gradOut, NDArray weight, Conv2dParams p, NDArray gradIn);

    /**
     * The gradient of {@code conv2d} w.r.t. its weight: the correlation of the output gradient
     * with the input, summed over the batch. {@code gradOut} is contiguous.
     */
    void conv2dBackwardWeight(NDArray gradOut, NDArray x, Conv2dParams p, NDArray gradWeight);

    /**
     * The maximum of each window (padding never wins) and where it was, as an I64 index
     * {@code h * W + w} into its input plane; the first maximum in window scan order wins ties,
     * a NaN wins over numbers.
     */
    void maxPool2d(NDArray x, PoolWindow window, NDArray out, NDArray indices);

    /** Adds each {@code gradOut} element into {@code gradIn} at its plane's saved index. */
    void maxPool2dBackward(NDArray gradOut, NDArray indices, NDArray gradIn);

    /**
     * The mean of each window. The divisor is {@code divisorOverride} when nonzero, else the
     * window's size clipped to the padded input ({@code countIncludePad}) or to the input.
     */
    void avgPool2d(NDArray x, PoolWindow window, boolean countIncludePad, int divisorOverride, NDArray out);

    /** Spreads each output gradient evenly (with the forward's divisor) over its window. */
    void avgPool2dBackward(NDArray gradOut, PoolWindow window, boolean countIncludePad, int divisorOverride,
                           NDArray gradIn);

    /** The mean over the window {@code [floor(i*H/oH), ceil((i+1)*H/oH))} for each output row, likewise columns. */
    void adaptiveAvgPool2d(NDArray x, NDArray out);

    void adaptiveAvgPool2dBackward(NDArray gradOut, NDArray gradIn);

    /**
     * Bilinear interpolation to {@code out}'s size. {@code scaleH}/{@code scaleW} are the
     * user's scale factors when they chose the size (PyTorch then maps output to source
     * coordinates by {@code 1/scale}), or 0 when the size was given.
     */
    void upsampleBilinear2d(NDArray x, boolean alignCorners, double scaleH, double scaleW, NDArray out);

    /** The adjoint of {@link #upsampleBilinear2d}: each output gradient is added to its four source pixels. */
    void upsampleBilinear2dBackward(NDArray gradOut, boolean alignCorners, double scaleH, double scaleW,
                                    NDArray gradIn);
}
