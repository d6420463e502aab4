package org.weft.nn.models;

import java.util.LinkedHashMap;
import java.util.Map;

import org.weft.autograd.Tensor;
import org.weft.nn.AdaptiveAvgPool2d;
import org.weft.nn.BatchNorm2d;
import org.weft.nn.Conv2d;
import org.weft.nn.Dropout;
import org.weft.nn.Init;
import org.weft.nn.Linear;
import org.weft.nn.MaxPool2d;
import org.weft.nn.Module;

/**
 * GoogLeNet (Inception v1, Szegedy et al. 2015) as torchvision builds it: batch norm after
 * every convolution, nine inception blocks {@code inception3a..inception5b}, global average
 * pooling, dropout and the linear head {@code fc}, plus two auxiliary classifiers
 * {@code aux1} (after inception4a) and {@code aux2} (after inception4d) that run in training
 * only. Parameter names and order are torchvision's, so its state dicts load unchanged.
 */
public final class GoogLeNet extends Module implements Backbone {

    /** The logits and, in training with auxiliary heads, the two auxiliary logits (otherwise null). */
    public record Outputs(Tensor logits, Tensor aux1, Tensor aux2) {
    }

    private static final String[] STAGES = {"inception3a", "inception3b", "inception4a", "inception4b",
        "inception4c", "inception4d", "inception4e", "inception5a", "inception5b"};

    public final boolean auxLogits;
    public final boolean transformInput;
    private final BasicConv2d conv1;
    private final MaxPool2d maxpool1;
    private final BasicConv2d conv2;
    private final BasicConv2d conv3;
    private final MaxPool2d maxpool2;
    private final Inception[] blocks = new Inception[STAGES.length];
    private final MaxPool2d maxpool3;
    private final MaxPool2d maxpool4;
    private final InceptionAux aux1;
    private final InceptionAux aux2;
    private final AdaptiveAvgPool2d avgpool;

    /**
     * A GoogLeNet as {@code torchvision.models.GoogLeNet(num_classes, aux_logits,
     * transform_input, init_weights=True, dropout, dropout_aux)}: convolution and linear
     * weights start truncated normal (std 0.01, bounds ±2), batch norms at weight 1 and bias
     * 0, linear biases as {@code nn.Linear}'s default. {@code transformInput} re-normalises
     * inputs given with the ImageNet mean and std to the (x - 0.5) / 0.5 scaling the original
     * weights were trained with.
     */
    public GoogLeNet(int numClasses, boolean auxLogits, boolean transformInput, double dropout, double dropoutAux) {
        this.auxLogits = auxLogits;
        this.transformInput = transformInput;
        this.conv1 = register("conv1", new BasicConv2d(3, 64, 7, 2, 3));
        this.maxpool1 = register("maxpool1", new MaxPool2d(3, 2, 0, true));
        this.conv2 = register("conv2", new BasicConv2d(64, 64, 1));
        this.conv3 = register("conv3", new BasicConv2d(64, 192, 3, 1, 1));
        this.maxpool2 = register("maxpool2", new MaxPool2d(3, 2, 0, true));
        blocks[0] = register("inception3a", new Inception(192, 64, 96, 128, 16, 32, 32));
        blocks[1] = register("inception3b", new Inception(256, 128, 128, 192, 32, 96, 64));
        this.maxpool3 = register("maxpool3", new MaxPool2d(3, 2, 0, true));
        blocks[2] = register("inception4a", new Inception(480, 192, 96, 208, 16, 48, 64));
        blocks[3] = register("inception4b", new Inception(512, 160, 112, 224, 24, 64, 64));
        blocks[4] = register("inception4c", new Inception(512, 128, 128, 256, 24, 64, 64));
        blocks[5] = register("inception4d", new Inception(512, 112, 144, 288, 32, 64, 64));
        blocks[6] = register("inception4e", new Inception(528, 256, 160, 320, 32, 128, 128));
        this.maxpool4 = register("maxpool4", new MaxPool2d(2, 2, 0, true));
        blocks[7] = register("inception5a", new Inception(832, 256, 160, 320, 32, 128, 128));
        blocks[8] = register("inception5b", new Inception(832, 384, 192, 384, 48, 128, 128));
        this.aux1 = auxLogits ? register("aux1", new InceptionAux(512, numClasses, dropoutAux)) : null;
        this.aux2 = auxLogits ? register("aux2", new InceptionAux(528, numClasses, dropoutAux)) : null;
        this.avgpool = register("avgpool", new AdaptiveAvgPool2d(1, 1));
        register("dropout", new Dropout(dropout));
        register("fc", new Linear(1024, numClasses));

        apply(m -> {
            if (m instanceof Conv2d) {
                Init.truncNormal_(((Conv2d) m).weight(), 0, 0.01, -2, 2, null);
            } else if (m instanceof Linear) {
                Init.truncNormal_(((Linear) m).weight(), 0, 0.01, -2, 2, null);
            } else if (m instanceof BatchNorm2d) {
                Init.ones_(((BatchNorm2d) m).weight());
                Init.zeros_(((BatchNorm2d) m).bias());
            }
        });
    }

    /** torchvision's defaults: dropout 0.2 before the head and 0.7 in the auxiliary heads. */
    public static GoogLeNet googlenet(int numClasses, boolean auxLogits, boolean transformInput) {
        return new GoogLeNet(numClasses, auxLogits, transformInput, 0.2, 0.7);
    }

    /**
     * Sets the dropout probability before the head and in the auxiliary heads (by replacing
     * the dropout modules); 0 and 0 make training mode deterministic, as parity checks need.
     */
    public GoogLeNet setDropout(double p, double pAux) {
        replace("dropout", new Dropout(p));
        if (auxLogits) {
            aux1.replace("dropout", new Dropout(pAux));
            aux2.replace("dropout", new Dropout(pAux));
        }
        return this;
    }

    @Override
    public Features features(Tensor images) {
        return run(images, false).features;
    }

    /** Dropout, then the head {@code fc}, as torchvision applies them to the pooled features. */
    @Override
    public Tensor classify(Tensor pooled) {
        return child("fc").call(child("dropout").call(pooled));
    }

    @Override
    public String headName() {
        return "fc";
    }

    @Override
    public int featureDim() {
        return 1024;
    }

    /**
     * The logits and, in training mode with auxiliary heads, the auxiliary logits: the three
     * terms of GoogLeNet's training loss, what torchvision's model returns in training.
     */
    public Outputs forwardWithAux(Tensor images) {
        Trunk trunk = run(images, isTraining() && auxLogits);
        return new Outputs(classify(trunk.features.pooled()), trunk.aux1, trunk.aux2);
    }

    /**
     * The logits. In training the auxiliary heads still run, as in torchvision, so their
     * batch-norm statistics follow the same batches; use {@link #forwardWithAux} to get them.
     */
    @Override
    protected Tensor forward(Tensor images) {
        return forwardWithAux(images).logits();
    }

    private static final class Trunk {
        Features features;
        Tensor aux1;
        Tensor aux2;
    }

    private Trunk run(Tensor images, boolean withAux) {
        Trunk out = new Trunk();
        Tensor x = transformInput ? transform(images) : images;
        x = maxpool2.call(conv3.call(conv2.call(maxpool1.call(conv1.call(x)))));
        Map<String, Tensor> stages = new LinkedHashMap<>();
        for (int i = 0; i < blocks.length; i++) {
            if (i == 2) {
                x = maxpool3.call(x);
            } else if (i == 7) {
                x = maxpool4.call(x);
            }
            x = blocks[i].call(x);
            stages.put(STAGES[i], x);
            if (withAux && i == 2) {
                out.aux1 = aux1.call(x);
            } else if (withAux && i == 5) {
                out.aux2 = aux2.call(x);
            }
        }
        out.features = new Features(stages, avgpool.call(x).flatten(1, -1));
        return out;
    }

    /** Maps ImageNet-normalised channels c = (v - mean) / std to (v - 0.5) / 0.5 = c·std/0.5 + (mean - 0.5)/0.5. */
    private static Tensor transform(Tensor x) {
        double[] mean = {0.485, 0.456, 0.406};
        double[] std = {0.229, 0.224, 0.225};
        Tensor[] channels = new Tensor[3];
        for (int c = 0; c < 3; c++) {
            channels[c] = x.narrow(1, c, 1).mul(std[c] / 0.5).add((mean[c] - 0.5) / 0.5);
        }
        return Tensor.cat(channels, 1);
    }
}
