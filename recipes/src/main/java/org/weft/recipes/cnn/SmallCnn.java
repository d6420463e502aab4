package org.weft.recipes.cnn;

import org.weft.autograd.Tensor;
import org.weft.nn.BatchNorm1d;
import org.weft.nn.BatchNorm2d;
import org.weft.nn.Conv2d;
import org.weft.nn.Dropout;
import org.weft.nn.Flatten;
import org.weft.nn.Linear;
import org.weft.nn.MaxPool2d;
import org.weft.nn.Module;
import org.weft.nn.ReLU;
import org.weft.nn.Sequential;

/**
 * The "2 conv + pooling (+BN)" network of the Fashion-MNIST benchmark: two 3x3 conv layers
 * (32 and 64 channels) each with BN, ReLU and 2x2 max pooling, then a 128-unit hidden layer
 * with BN and dropout, and a 10-way classifier. About 0.4 M parameters and 6 MFLOP per
 * 28x28 image forward.
 */
public final class SmallCnn extends Module {

    private final Sequential features = register("features", new Sequential(
            new Conv2d(1, 32, 3, 1, 1, 1, 1, false), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
            new Conv2d(32, 64, 3, 1, 1, 1, 1, false), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2)));
    private final Sequential classifier = register("classifier", new Sequential(
            new Flatten(), new Linear(64 * 7 * 7, 128, false), new BatchNorm1d(128), new ReLU(), new Dropout(0.25),
            new Linear(128, 10)));

    @Override
    protected Tensor forward(Tensor images) {
        return classifier.call(features.call(images));
    }
}
