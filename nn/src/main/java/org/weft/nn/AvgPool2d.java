package org.weft.nn;

import org.weft.autograd.Functional;
import org.weft.autograd.Tensor;

/** Average pooling, as {@code nn.AvgPool2d}; the stride defaults to the kernel size. */
public class AvgPool2d extends Module {

    public final int[] kernelSize;
    public final int[] stride;
    public final int[] padding;
    public final boolean ceilMode;
    public final boolean countIncludePad;

    public AvgPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0, false, true);
    }

    public AvgPool2d(int kernelSize, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        this.kernelSize = new int[] {kernelSize, kernelSize};
        this.stride = new int[] {stride, stride};
        this.padding = new int[] {padding, padding};
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    protected Tensor forward(Tensor x) {
        return Functional.avgPool2d(x, kernelSize, stride, padding, ceilMode, countIncludePad, null);
    }
}
