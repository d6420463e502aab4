package org.weft.nn.models;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.weft.autograd.Tensor;

/**
 * What a {@link Backbone} computes before its classifier head: the feature map after each
 * named stage, in network order ({@code layer1..layer4} for a ResNet), and the pooled
 * feature vector {@code [N, featureDim]} the head reads. The tensors are part of the graph,
 * so losses on them (distillation, feature matching) backpropagate into the network.
 */
public record Features(Map<String, Tensor> stages, Tensor pooled) {

    public Features {
        stages = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(stages, "stages")));
        Objects.requireNonNull(pooled, "pooled");
    }

    /** The output of stage {@code name}; an unknown name is an error listing the stages there are. */
    public Tensor stage(String name) {
        Tensor t = stages.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no stage '" + name + "'; the stages are " + stages.keySet());
        }
        return t;
    }
}
