package org.weft.tensor.cpu;

import org.weft.tensor.NDArray;
import org.weft.tensor.backend.Conv2dParams;
import org.weft.tensor.backend.ConvKernels;
import org.weft.tensor.backend.PoolWindow;

/**
 * Convolution, pooling and interpolation on the CPU: the family's entry point, handing each
 * op to the class that computes it ({@link CpuConv2d}, {@link CpuPool2d}, {@link CpuUpsample})
 * with its windows worked out.
 */
final class CpuConv implements ConvKernels {

    @Override
    public void conv2d(NDArray x, NDArray weight, NDArray bias, Conv2dParams p, NDArray out) {
        CpuConv2d.forward(x, weight, bias, p, out);
    }

    @Override
    public void conv2dAffine(NDArray x, NDArray weight, NDArray scale, NDArray shift, boolean relu, Conv2dParams p,
                             NDArray out) {
        CpuConv2d.forwardAffine(x, weight, scale, shift, relu, p, out);
    }

    @Override
    public void conv2dBackwardInput(NDArray gradOut, NDArray weight, Conv2dParams p, NDArray gradIn) {
        CpuConv2d.backwardInput(gradOut, weight, p, gradIn);
    }

    @Override
    public void conv2dBackwardWeight(NDArray gradOut, NDArray x, Conv2dParams p, NDArray gradWeight) {
        CpuConv2d.backwardWeight(gradOut, x, p, gradWeight);
    }

    @Override
    public void maxPool2d(NDArray x, PoolWindow window, NDArray out, NDArray indices) {
        CpuPool2d.maxPool2d(x, rows(window, x, out), cols(window, x, out), out, indices);
    }

    @Override
    public void maxPool2dBackward(NDArray gradOut, NDArray indices, NDArray gradIn) {
        CpuPool2d.maxPool2dBackward(gradOut, indices, gradIn);
    }

    @Override
    public void avgPool2d(NDArray x, PoolWindow window, boolean countIncludePad, int divisorOverride, NDArray out) {
        Windows rows = rows(window, x, out);
        Windows cols = cols(window, x, out);
        CpuPool2d.avgPool2d(x, rows, cols, Windows.divisors(rows, cols, countIncludePad, divisorOverride), out);
    }

    @Override
    public void avgPool2dBackward(NDArray gradOut, PoolWindow window, boolean countIncludePad, int divisorOverride,
                                  NDArray gradIn) {
        Windows rows = rows(window, gradIn, gradOut);
        Windows cols = cols(window, gradIn, gradOut);
        CpuPool2d.avgPool2dBackward(gradOut, rows, cols, Windows.divisors(rows, cols, countIncludePad, divisorOverride),
                gradIn);
    }

    @Override
    public void adaptiveAvgPool2d(NDArray x, NDArray out) {
        Windows rows = Windows.adaptive(x.size(2), out.size(2));
        Windows cols = Windows.adaptive(x.size(3), out.size(3));
        CpuPool2d.avgPool2d(x, rows, cols, Windows.divisors(rows, cols, false, 0), out);
    }

    @Override
    public void adaptiveAvgPool2dBackward(NDArray gradOut, NDArray gradIn) {
        Windows rows = Windows.adaptive(gradIn.size(2), gradOut.size(2));
        Windows cols = Windows.adaptive(gradIn.size(3), gradOut.size(3));
        CpuPool2d.avgPool2dBackward(gradOut, rows, cols, Windows.divisors(rows, cols, false, 0), gradIn);
    }

    @Override
    public void upsampleBilinear2d(NDArray x, boolean alignCorners, double scaleH, double scaleW, NDArray out) {
        CpuUpsample.forward(x, new CpuUpsample.Lerp(x.size(2), out.size(2), alignCorners, scaleH),
                new CpuUpsample.Lerp(x.size(3), out.size(3), alignCorners, scaleW), out);
    }

    @Override
    public void upsampleBilinear2dBackward(NDArray gradOut, boolean alignCorners, double scaleH, double scaleW,
                                           NDArray gradIn) {
        CpuUpsample.backward(gradOut, new CpuUpsample.Lerp(gradIn.size(2), gradOut.size(2), alignCorners, scaleH),
                new CpuUpsample.Lerp(gradIn.size(3), gradOut.size(3), alignCorners, scaleW), gradIn);
    }

    /** The row windows of a pooling from {@code input} to {@code output}. */
    private static Windows rows(PoolWindow w, NDArray input, NDArray output) {
        return Windows.sliding(input.size(2), output.size(2), w.kernelH(), w.strideH(), w.padH(), w.dilationH());
    }

    private static Windows cols(PoolWindow w, NDArray input, NDArray output) {
        return Windows.sliding(input.size(3), output.size(3), w.kernelW(), w.strideW(), w.padW(), w.dilationW());
    }
}
