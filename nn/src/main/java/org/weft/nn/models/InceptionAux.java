package org.weft.nn.models;

import org.weft.autograd.Functional;
import org.weft.autograd.Tensor;
import org.weft.nn.Dropout;
import org.weft.nn.Linear;
import org.weft.nn.Module;

/**
 * A GoogLeNet auxiliary classifier, as torchvision's {@code InceptionAux}: adaptive average
 * pooling to 4x4, a 1x1 convolution to 128 channels, then {@code fc1} (2048 to 1024, ReLU),
 * dropout and {@code fc2} to the classes. It adds a loss on an intermediate stage in training.
 */
final class InceptionAux extends Module {

    private final BasicConv2d conv;
    private final Linear fc1;
    private final Linear fc2;

    InceptionAux(int in, int numClasses, double dropout) {
        this.conv = register("conv", new BasicConv2d(in, 128, 1));
        this.fc1 = register("fc1", new Linear(2048, 1024));
        this.fc2 = register("fc2", new Linear(1024, numClasses));
        register("dropout", new Dropout(dropout));
    }

    @Override
    protected Tensor forward(Tensor x) {
        x = conv.call(Functional.adaptiveAvgPool2d(x, new int[] {4, 4})).flatten(1, -1);
        x = child("dropout").call(fc1.call(x).relu());
        return fc2.call(x);
    }
}
