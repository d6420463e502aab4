package org.weft.nn.models;

import java.util.List;

import org.weft.autograd.Tensor;
import org.weft.nn.MaxPool2d;
import org.weft.nn.Module;
import org.weft.nn.Sequential;

/**
 * GoogLeNet's inception block, as torchvision builds it: four parallel branches (1x1; 1x1
 * then 3x3; 1x1 then 3x3; 3x3 max pool then 1x1) concatenated along the channels.
 */
final class Inception extends Module {

    private final Module branch1;
    private final Module branch2;
    private final Module branch3;
    private final Module branch4;
    final int outChannels;

    Inception(int in, int ch1x1, int ch3x3red, int ch3x3, int ch5x5red, int ch5x5, int poolProj) {
        this.branch1 = register("branch1", new BasicConv2d(in, ch1x1, 1));
        this.branch2 = register("branch2",
                new Sequential(new BasicConv2d(in, ch3x3red, 1), new BasicConv2d(ch3x3red, ch3x3, 3, 1, 1)));
        // The "5x5" branch has a 3x3 kernel: a known slip in torchvision that its pretrained
        // weights were trained with, so it is kept for their names and shapes to match.
        this.branch3 = register("branch3",
                new Sequential(new BasicConv2d(in, ch5x5red, 1), new BasicConv2d(ch5x5red, ch5x5, 3, 1, 1)));
        this.branch4 = register("branch4",
                new Sequential(new MaxPool2d(3, 1, 1, true), new BasicConv2d(in, poolProj, 1)));
        this.outChannels = ch1x1 + ch3x3 + ch5x5 + poolProj;
    }

    @Override
    protected Tensor forward(Tensor x) {
        return Tensor.cat(List.of(branch1.call(x), branch2.call(x), branch3.call(x), branch4.call(x)), 1);
    }
}
