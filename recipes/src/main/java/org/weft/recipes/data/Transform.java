package org.weft.recipes.data;

import java.util.random.RandomGenerator;

/**
 * A change made to an image as it is decoded: resize, crop, flip, erase, normalise and the like.
 * Random transforms draw only from the generator they are given; the loader seeds that generator from
 * (seed, epoch, example index), so an epoch's images are the same whichever thread made them and
 * however often the run was resumed.
 */
@FunctionalInterface
public interface Transform {

    Image apply(Image image, RandomGenerator random);

    /** This transform followed by {@code next}. */
    default Transform andThen(Transform next) {
        return (image, random) -> next.apply(apply(image, random), random);
    }
}
