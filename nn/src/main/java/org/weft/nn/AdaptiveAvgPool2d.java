package org.weft.nn;

import org.weft.autograd.Functional;
import org.weft.autograd.Tensor;

/** Average pooling to a fixed output size, as {@code nn.AdaptiveAvgPool2d}; (1, 1) is global average pooling. */
public class AdaptiveAvgPool2d extends Module {

    public final int[] outputSize;

    /** A square output, {@code nn.AdaptiveAvgPool2d(size)}. */
    public AdaptiveAvgPool2d(int outputSize) {
        this(outputSize, outputSize);
    }

    public AdaptiveAvgPool2d(int outputH, int outputW) {
        this.outputSize = new int[] {outputH, outputW};
    }

    @Override
    protected Tensor forward(Tensor x) {
        return Functional.adaptiveAvgPool2d(x, outputSize);
    }

    @Override
    protected String extraRepr() {
        return "output_size=" + java.util.Arrays.toString(outputSize);
    }
}
