package org.weft.nn.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.weft.autograd.Tensor;
import org.weft.nn.AdaptiveAvgPool2d;
import org.weft.nn.BatchNorm2d;
import org.weft.nn.Conv2d;
import org.weft.nn.ConvBatchNorm;
import org.weft.nn.Init;
import org.weft.nn.Linear;
import org.weft.nn.MaxPool2d;
import org.weft.nn.Module;
import org.weft.nn.ReLU;
import org.weft.nn.Sequential;

/**
 * A residual network as torchvision builds it (He et al. 2016, with the stride of a
 * bottleneck on its 3x3 convolution): a 7x7 stride-2 stem with max pooling, four stages
 * {@code layer1..layer4} of residual blocks at 64, 128, 256 and 512 base channels (each
 * later stage halving the resolution), global average pooling and the linear head
 * {@code fc}. Parameter names and order are torchvision's, so its state dicts load unchanged.
 */
public final class ResNet extends Module implements Backbone {

    /** The residual block a ResNet is built from, with its channel expansion. */
    public enum Block {
        /** Two 3x3 convolutions (ResNet-18/34). */
        BASIC(BasicBlock.EXPANSION),
        /** 1x1, 3x3, 1x1 convolutions widening the channels four times (ResNet-50/101/152). */
        BOTTLENECK(Bottleneck.EXPANSION);

        public final int expansion;

        Block(int expansion) {
            this.expansion = expansion;
        }
    }

    private static final String[] STAGES = {"layer1", "layer2", "layer3", "layer4"};

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final ReLU relu;
    private final MaxPool2d maxpool;
    private final List<Sequential> layers = new ArrayList<>();
    private final AdaptiveAvgPool2d avgpool;
    private final int featureDim;
    private int inplanes = 64;

    /**
     * A ResNet of {@code blocks[i]} blocks in stage i, as {@code torchvision.models.ResNet}.
     * Convolutions start Kaiming normal (fan out, ReLU gain), batch norms at weight 1 and
     * bias 0, the head as {@code nn.Linear}'s default; with {@code zeroInitResidual} the last
     * norm of each block starts at weight 0, so every block starts as the identity.
     */
    public ResNet(Block block, int[] blocks, int numClasses, boolean zeroInitResidual) {
        if (blocks.length != 4) {
            throw new IllegalArgumentException("ResNet: expected block counts for 4 stages, got " + blocks.length);
        }
        this.conv1 = register("conv1", new Conv2d(3, 64, 7, 2, 3, 1, 1, false));
        this.bn1 = register("bn1", new BatchNorm2d(64));
        this.relu = register("relu", new ReLU());
        this.maxpool = register("maxpool", new MaxPool2d(3, 2, 1, false));
        int[] planes = {64, 128, 256, 512};
        for (int i = 0; i < 4; i++) {
            layers.add(register(STAGES[i], makeStage(block, planes[i], blocks[i], i == 0 ? 1 : 2)));
        }
        this.avgpool = register("avgpool", new AdaptiveAvgPool2d(1, 1));
        this.featureDim = 512 * block.expansion;
        register("fc", new Linear(featureDim, numClasses));

        apply(m -> {
            if (m instanceof Conv2d) {
                Init.kaimingNormal_(((Conv2d) m).weight(), 0, Init.FanMode.FAN_OUT, "relu", null);
            } else if (m instanceof BatchNorm2d) {
                Init.ones_(((BatchNorm2d) m).weight());
                Init.zeros_(((BatchNorm2d) m).bias());
            }
        });
        if (zeroInitResidual) {
            apply(m -> {
                if (m instanceof Bottleneck) {
                    Init.zeros_(((Bottleneck) m).lastNorm().weight());
                } else if (m instanceof BasicBlock) {
                    Init.zeros_(((BasicBlock) m).lastNorm().weight());
                }
            });
        }
    }

    public static ResNet resnet18(int numClasses) {
        return new ResNet(Block.BASIC, new int[] {2, 2, 2, 2}, numClasses, false);
    }

    public static ResNet resnet34(int numClasses) {
        return new ResNet(Block.BASIC, new int[] {3, 4, 6, 3}, numClasses, false);
    }

    /** The ResNet of the papers' experiments: bottleneck blocks, 3-4-6-3, 2048 pooled features. */
    public static ResNet resnet50(int numClasses) {
        return new ResNet(Block.BOTTLENECK, new int[] {3, 4, 6, 3}, numClasses, false);
    }

    public static ResNet resnet101(int numClasses) {
        return new ResNet(Block.BOTTLENECK, new int[] {3, 4, 23, 3}, numClasses, false);
    }

    public static ResNet resnet152(int numClasses) {
        return new ResNet(Block.BOTTLENECK, new int[] {3, 8, 36, 3}, numClasses, false);
    }

    /** One stage: the first block changes stride and width (projecting the shortcut), the rest keep them. */
    private Sequential makeStage(Block block, int planes, int count, int stride) {
        int outplanes = planes * block.expansion;
        Module downsample = null;
        if (stride != 1 || inplanes != outplanes) {
            downsample = new Sequential(conv1x1(inplanes, outplanes, stride), new BatchNorm2d(outplanes));
        }
        Sequential stage = new Sequential();
        stage.add(newBlock(block, inplanes, planes, stride, downsample));
        inplanes = outplanes;
        for (int i = 1; i < count; i++) {
            stage.add(newBlock(block, inplanes, planes, 1, null));
        }
        return stage;
    }

    private static Module newBlock(Block block, int inplanes, int planes, int stride, Module downsample) {
        return block == Block.BASIC
                ? new BasicBlock(inplanes, planes, stride, downsample)
                : new Bottleneck(inplanes, planes, stride, downsample);
    }

    static Conv2d conv3x3(int in, int out, int stride) {
        return new Conv2d(in, out, 3, stride, 1, 1, 1, false);
    }

    static Conv2d conv1x1(int in, int out, int stride) {
        return new Conv2d(in, out, 1, stride, 0, 1, 1, false);
    }

    /** The outputs of layer1..layer4 and the globally average-pooled layer4 output {@code [N, featureDim]}. */
    @Override
    public Features features(Tensor images) {
        Tensor x = maxpool.call(ConvBatchNorm.convBnRelu(conv1, bn1, relu, images));
        Map<String, Tensor> stages = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            x = layers.get(i).call(x);
            stages.put(STAGES[i], x);
        }
        return new Features(stages, avgpool.call(x).flatten(1, -1));
    }

    @Override
    public Tensor classify(Tensor pooled) {
        return child("fc").call(pooled);
    }

    @Override
    public String headName() {
        return "fc";
    }

    @Override
    public int featureDim() {
        return featureDim;
    }

    @Override
    protected Tensor forward(Tensor images) {
        return classify(features(images).pooled());
    }
}
