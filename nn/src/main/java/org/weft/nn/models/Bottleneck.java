package org.weft.nn.models;

import org.weft.autograd.Functional;
import org.weft.autograd.Tensor;
import org.weft.nn.BatchNorm2d;
import org.weft.nn.Conv2d;
import org.weft.nn.ConvBatchNorm;
import org.weft.nn.Module;
import org.weft.nn.ReLU;

/**
 * ResNet-50/101/152's residual block, as torchvision's {@code Bottleneck} (ResNet v1.5): a 1x1
 * convolution narrowing to {@code planes} channels, a 3x3 convolution carrying the stride,
 * and a 1x1 convolution widening to {@code 4 * planes}, each followed by batch norm; the sum
 * with the (projected) input goes through ReLU.
 */
final class Bottleneck extends Module {

    static final int EXPANSION = 4;

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Conv2d conv3;
    private final BatchNorm2d bn3;
    private final ReLU relu;
    private final Module downsample;

    /** {@code downsample} is null when the input can be added unchanged. */
    Bottleneck(int inplanes, int planes, int stride, Module downsample) {
        this.conv1 = register("conv1", ResNet.conv1x1(inplanes, planes, 1));
        this.bn1 = register("bn1", new BatchNorm2d(planes));
        // The stride sits on the 3x3 convolution (v1.5), not on the first 1x1 as in the paper.
        this.conv2 = register("conv2", ResNet.conv3x3(planes, planes, stride));
        this.bn2 = register("bn2", new BatchNorm2d(planes));
        this.conv3 = register("conv3", ResNet.conv1x1(planes, planes * EXPANSION, 1));
        this.bn3 = register("bn3", new BatchNorm2d(planes * EXPANSION));
        this.relu = register("relu", new ReLU());
        this.downsample = downsample == null ? null : register("downsample", downsample);
    }

    /** The norm whose weight zero_init_residual zeroes, so that the block starts as the identity. */
    BatchNorm2d lastNorm() {
        return bn3;
    }

    @Override
    protected Tensor forward(Tensor x) {
        Tensor out = ConvBatchNorm.convBnRelu(conv1, bn1, relu, x);
        out = ConvBatchNorm.convBnRelu(conv2, bn2, relu, out);
        out = ConvBatchNorm.convBn(conv3, bn3, out);
        Tensor identity = downsample == null ? x : downsample.call(x);
        // One op, unless a hook on the ReLU module wants to see it run.
        return relu.hasHooks() ? relu.call(out.add(identity)) : Functional.addRelu(out, identity);
    }
}
