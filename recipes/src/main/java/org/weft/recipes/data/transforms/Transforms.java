package org.weft.recipes.data.transforms;

import java.util.random.RandomGenerator;

import org.weft.recipes.data.Image;
import org.weft.recipes.data.Transform;

/** Builds pipelines out of single transforms, as torchvision's {@code transforms.Compose} does. */
public final class Transforms {

    private Transforms() {
    }

    /** The transforms applied in order, all drawing from the one generator the loader gives the example. */
    public static Transform compose(Transform... steps) {
        Transform[] chain = steps.clone();
        for (int i = 0; i < chain.length; i++) {
            if (chain[i] == null) {
                throw new IllegalArgumentException("Transforms.compose: transform " + i + " is null");
            }
        }
        return (image, random) -> {
            Image out = image;
            for (Transform t : chain) {
                out = t.apply(out, random);
            }
            return out;
        };
    }

    /** uniform(lo, hi) as torch's {@code Tensor.uniform_} draws it: lo + (hi − lo) · u with u in [0, 1). */
    static double uniform(RandomGenerator random, double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    static void requirePositive(String who, String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(who + ": " + what + " must be >= 1, got " + value);
        }
    }
}
