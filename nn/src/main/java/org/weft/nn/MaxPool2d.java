package org.weft.nn;

import org.weft.autograd.Functional;
import org.weft.autograd.Tensor;

/** Max pooling, as {@code nn.MaxPool2d}; the stride defaults to the kernel size. */
public class MaxPool2d extends Module {

    public final int[] kernelSize;
    public final int[] stride;
    public final int[] padding;
    public final int[] dilation;
    public final boolean ceilMode;

    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0, false);
    }

    public MaxPool2d(int kernelSize, int stride, int padding, boolean ceilMode) {
        this(new int[] {kernelSize, kernelSize}, new int[] {stride, stride}, new int[] {padding, padding},
                new int[] {1, 1}, ceilMode);
    }

    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        this.kernelSize = kernelSize.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.ceilMode = ceilMode;
    }

    @Override
    protected Tensor forward(Tensor x) {
        return Functional.maxPool2d(x, kernelSize, stride, padding, dilation, ceilMode);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + java.util.Arrays.toString(kernelSize) + ", stride=" + java.util.Arrays.toString(stride)
                + ", padding=" + java.util.Arrays.toString(padding) + ", ceil_mode=" + ceilMode;
    }
}
