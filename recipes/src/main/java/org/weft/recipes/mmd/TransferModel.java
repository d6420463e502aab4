package org.weft.recipes.mmd;

import java.util.ArrayList;
import java.util.List;

import org.weft.autograd.Tensor;
import org.weft.nn.Conv2d;
import org.weft.nn.Linear;
import org.weft.nn.Module;
import org.weft.nn.losses.WeightConstraint;
import org.weft.nn.models.Features;
import org.weft.nn.models.ResNet;

/**
 * The networks of one training of paper 000 under one root, so that one state dict holds all of it: a source
 * branch {@code source} (a ResNet whose {@code fc} is the source head), a target branch {@code target} (a ResNet
 * whose {@code fc} is the target head), or, weight-shared, the source branch with a second head
 * {@code target_head}; and, with the weight constraint, {@code constraint} holding its a_j and b_j.
 */
public final class TransferModel extends Module {

    private final ResNet source;
    private final ResNet target;
    private final Linear targetHead;
    private final WeightConstraint constraint;
    private final List<String> constrainedLayers;

    private TransferModel(ResNet source, ResNet target, Linear targetHead, List<String> constrainedLayers,
                          WeightConstraint.Form form) {
        this.source = source == null ? null : register("source", source);
        this.target = target == null ? null : register("target", target);
        this.targetHead = targetHead == null ? null : register("target_head", targetHead);
        this.constrainedLayers = constrainedLayers == null ? List.of() : List.copyOf(constrainedLayers);
        if (constrainedLayers != null) {
            List<Tensor> s = new ArrayList<>();
            List<Tensor> t = new ArrayList<>();
            for (String name : constrainedLayers) {
                s.add(((Conv2d) source.module(name)).weight());
                t.add(((Conv2d) target.module(name)).weight());
            }
            this.constraint = register("constraint", new WeightConstraint(s, t, form));
        } else {
            this.constraint = null;
        }
    }

    /** The source network alone (source pretraining). */
    public static TransferModel sourceOnly(ResNet source) {
        return new TransferModel(source, null, null, null, null);
    }

    /** The target network alone (settings 1 and 2). */
    public static TransferModel targetOnly(ResNet target) {
        return new TransferModel(null, target, null, null, null);
    }

    /** One backbone, its own head for the source and a new {@code targetClasses}-way head (setting 3). */
    public static TransferModel shared(ResNet backbone, int targetClasses) {
        return new TransferModel(backbone, null, new Linear(backbone.featureDim(), targetClasses), null, null);
    }

    /** Two branches, without a weight constraint (setting 4). */
    public static TransferModel twoBranch(ResNet source, ResNet target) {
        return new TransferModel(source, target, null, null, null);
    }

    /**
     * Two branches whose convolutions {@code layers} (module paths such as {@code layer3.0.conv1}, see
     * {@link #convolutions}) are tied by the weight constraint (settings 5 and 6).
     */
    public static TransferModel constrained(ResNet source, ResNet target, List<String> layers,
                                            WeightConstraint.Form form) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("the weight constraint needs at least one layer, got none");
        }
        return new TransferModel(source, target, null, layers, form);
    }

    /**
     * The paths of the convolutions of {@code network} whose path starts with one of {@code prefixes} (a whole
     * path component: "layer3" takes layer3.0.conv1 but "layer" alone takes nothing), in network order; a prefix
     * "all" takes every convolution.
     */
    public static List<String> convolutions(ResNet network, List<String> prefixes) {
        List<String> names = new ArrayList<>();
        network.namedModules().forEach((path, m) -> {
            if (m instanceof Conv2d && matches(path, prefixes)) {
                names.add(path);
            }
        });
        if (names.isEmpty()) {
            throw new IllegalArgumentException("constraint_layers " + prefixes + " name no convolution of the network;"
                    + " give module path prefixes such as layer3, layer4.2 or conv1, or 'all'");
        }
        return names;
    }

    private static boolean matches(String path, List<String> prefixes) {
        for (String p : prefixes) {
            String prefix = p.trim();
            if (prefix.equals("all") || prefix.equals("all conv") || path.equals(prefix) || path.startsWith(prefix + ".")) {
                return true;
            }
        }
        return false;
    }

    /** Whether this model has a source head (every layout but target-only). */
    public boolean hasSource() {
        return source != null;
    }

    /** Whether this model has a target head (every layout but source-only). */
    public boolean hasTarget() {
        return target != null || targetHead != null;
    }

    public boolean isShared() {
        return targetHead != null;
    }

    /** The source branch (the one backbone when weight-shared); null for target-only. */
    public ResNet sourceBranch() {
        return source;
    }

    /** The target branch; null for source-only and weight-shared models. */
    public ResNet targetBranch() {
        return target;
    }

    /** The weight constraint; null when the model has none. */
    public WeightConstraint constraint() {
        return constraint;
    }

    /** The convolutions the constraint ties, empty when there is none. */
    public List<String> constrainedLayers() {
        return constrainedLayers;
    }

    /** Stage outputs and pooled features of source images, from the source branch. */
    public Features sourceFeatures(Tensor images) {
        return source.features(images);
    }

    /** Stage outputs and pooled features of target images, from the target branch (or the shared backbone). */
    public Features targetFeatures(Tensor images) {
        return target != null ? target.features(images) : source.features(images);
    }

    public Tensor sourceLogits(Tensor pooled) {
        return source.classify(pooled);
    }

    public Tensor targetLogits(Tensor pooled) {
        return target != null ? target.classify(pooled) : targetHead.call(pooled);
    }

    /** The target logits of a target-domain batch, or the source logits when there is no target head. */
    @Override
    protected Tensor forward(Tensor images) {
        return hasTarget() ? targetLogits(targetFeatures(images).pooled()) : sourceLogits(sourceFeatures(images).pooled());
    }
}
