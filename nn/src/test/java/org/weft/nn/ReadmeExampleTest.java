package org.weft.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.autograd.Tensor;
import org.weft.nn.io.StateDicts;
import org.weft.nn.losses.Losses;
import org.weft.nn.models.ResNet;
import org.weft.nn.optim.SGD;

/** The fine-tuning example of README.md, line for line, on a small input; its promises checked. */
class ReadmeExampleTest {

    @TempDir
    Path dir;

    @Test
    void fineTuningTheHeadOfAPretrainedResNet() throws IOException {
        // Stands in for torchvision's file: a ResNet-50 state dict saved to disk.
        Path weights = dir.resolve("resnet50.safetensors");
        StateDicts.save(weights, ResNet.resnet50(1000).stateDict());
        Tensor images = Tensor.randn(2, 3, 32, 32);
        Tensor labels = Tensor.of(new long[] {3, 7}, 2);

        ResNet model = ResNet.resnet50(1000);
        model.loadStateDict(StateDicts.load(weights), true);
        model.replace("fc", new Linear(model.featureDim(), 10));
        model.requiresGrad_(false);
        model.module("fc").requiresGrad_(true);
        SGD optimizer = new SGD(model.parameters(), SGD.options().lr(0.01).momentum(0.9));

        float[] backboneBefore = model.module("layer4").parameters().get(0).data().toFloatArray();
        float[] headBefore = model.module("fc").parameters().get(0).data().toFloatArray();
        Tensor loss = Losses.crossEntropy(model.call(images), labels);
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();

        assertEquals(10, model.call(images).size(1));
        assertNull(model.module("layer4").parameters().get(0).grad(), "a frozen parameter got a gradient");
        assertEquals(Arrays.toString(backboneBefore),
                Arrays.toString(model.module("layer4").parameters().get(0).data().toFloatArray()));
        assertNotEquals(Arrays.toString(headBefore),
                Arrays.toString(model.module("fc").parameters().get(0).data().toFloatArray()));
    }
}
