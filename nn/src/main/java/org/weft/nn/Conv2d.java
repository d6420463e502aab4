package org.weft.nn;

import java.util.Arrays;

import org.weft.autograd.Functional;
import org.weft.autograd.Tensor;
import org.weft.tensor.random.Generator;

/**
 * 2-D convolution, as {@code nn.Conv2d}: {@code weight [out, in/groups, kh, kw]} and an
 * optional {@code bias [out]}.
 */
public class Conv2d extends Module {

    public final int inChannels;
    public final int outChannels;
    public final int[] kernelSize;
    public final int[] stride;
    public final int[] padding;
    public final int[] dilation;
    public final int groups;
    private final Tensor weight;
    private final Tensor bias;

    /** A square kernel with stride 1, no padding and a bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0, 1, 1, true);
    }

    /** Square kernel, stride, padding and dilation; {@code bias} false for the conv before a BN. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups,
                  boolean bias) {
        this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, new int[] {stride, stride},
                new int[] {padding, padding}, new int[] {dilation, dilation}, groups, bias);
    }

    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                  int groups, boolean bias) {
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("Conv2d: in_channels (" + inChannels + ") and out_channels ("
                    + outChannels + ") must both be divisible by groups (" + groups + ")");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.groups = groups;
        this.weight = registerParameter("weight",
                Tensor.zeros(outChannels, inChannels / groups, kernelSize[0], kernelSize[1]));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(outChannels)) : null;
        resetParameters(null);
    }

    /** PyTorch's default: Kaiming uniform with a = √5, and U(±1/√fan_in) for the bias. */
    public void resetParameters(Generator generator) {
        Init.kaimingUniform_(weight, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu", generator);
        if (bias != null) {
            long fanIn = Init.fanIn(weight);
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            Init.uniform_(bias, -bound, bound, generator);
        }
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null when built without one. */
    public Tensor bias() {
        return bias;
    }

    @Override
    protected Tensor forward(Tensor x) {
        return Functional.conv2d(x, weight, bias, stride, padding, dilation, groups);
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=" + Arrays.toString(kernelSize) + ", stride="
                + Arrays.toString(stride) + (padding[0] != 0 || padding[1] != 0 ? ", padding=" + Arrays.toString(padding) : "")
                + (groups != 1 ? ", groups=" + groups : "") + (bias == null ? ", bias=false" : "");
    }
}
