package org.weft.nn.models;

import org.weft.autograd.Tensor;

/**
 * An image classifier seen as a feature extractor plus a head, the split that recipes
 * (linear probing, distillation, feature taps) rely on. For every implementation
 * {@code model.call(x)} computes {@code classify(features(x).pooled())} (the same numbers
 * in evaluation mode; in training, dropout draws its own masks each time).
 *
 * <p>The head is the submodule named {@link #headName()}; replacing it with
 * {@code model.replace(headName(), new Linear(featureDim(), k))} retargets the model to
 * {@code k} classes, and {@link #classify} then runs the new head.
 */
public interface Backbone {

    /** Stage outputs and the pooled feature vector of a batch of images {@code [N, 3, H, W]}. */
    Features features(Tensor images);

    /** The head applied to pooled features {@code [N, featureDim()]}: the logits. */
    Tensor classify(Tensor pooled);

    /** The submodule name of the classifier head ("fc" in torchvision's ResNet and GoogLeNet). */
    String headName();

    /** The width of the pooled feature vector, which a replacement head takes as input. */
    int featureDim();
}
