package org.weft.nn.models;

import org.weft.autograd.Tensor;
import org.weft.nn.BatchNorm2d;
import org.weft.nn.Conv2d;
import org.weft.nn.ConvBatchNorm;
import org.weft.nn.Module;

/** GoogLeNet's unit, as torchvision's {@code BasicConv2d}: a bias-free convolution, batch norm (eps 1e-3), ReLU. */
final class BasicConv2d extends Module {

    private final Conv2d conv;
    private final BatchNorm2d bn;

    BasicConv2d(int in, int out, int kernelSize, int stride, int padding) {
        this.conv = register("conv", new Conv2d(in, out, kernelSize, stride, padding, 1, 1, false));
        this.bn = register("bn", new BatchNorm2d(out, 0.001, 0.1, true));
    }

    BasicConv2d(int in, int out, int kernelSize) {
        this(in, out, kernelSize, 1, 0);
    }

    @Override
    protected Tensor forward(Tensor x) {
        return ConvBatchNorm.convBnRelu(conv, bn, null, x);
    }
}
