package org.weft.nn.models;

import org.weft.autograd.Functional;
import org.weft.autograd.Tensor;
import org.weft.nn.BatchNorm2d;
import org.weft.nn.Conv2d;
import org.weft.nn.ConvBatchNorm;
import org.weft.nn.Module;
import org.weft.nn.ReLU;

/**
 * ResNet-18/34's residual block, as torchvision's {@code BasicBlock}: two 3x3 convolutions
 * with batch norm, added to the input (projected by {@code downsample} when the shape
 * changes), then ReLU. The channel count does not expand.
 */
final class BasicBlock extends Module {

    static final int EXPANSION = 1;

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final ReLU relu;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Module downsample;

    /** {@code downsample} is null when the input can be added unchanged. */
    BasicBlock(int inplanes, int planes, int stride, Module downsample) {
        this.conv1 = register("conv1", ResNet.conv3x3(inplanes, planes, stride));
        this.bn1 = register("bn1", new BatchNorm2d(planes));
        this.relu = register("relu", new ReLU());
        this.conv2 = register("conv2", ResNet.conv3x3(planes, planes, 1));
        this.bn2 = register("bn2", new BatchNorm2d(planes));
        this.downsample = downsample == null ? null : register("downsample", downsample);
    }

    /** The norm whose weight zero_init_residual zeroes, so that the block starts as the identity. */
    BatchNorm2d lastNorm() {
        return bn2;
    }

    @Override
    protected Tensor forward(Tensor x) {
        Tensor out = ConvBatchNorm.convBnRelu(conv1, bn1, relu, x);
        out = ConvBatchNorm.convBn(conv2, bn2, out);
        Tensor identity = downsample == null ? x : downsample.call(x);
        // One op, unless a hook on the ReLU module wants to see it run.
        return relu.hasHooks() ? relu.call(out.add(identity)) : Functional.addRelu(out, identity);
    }
}
