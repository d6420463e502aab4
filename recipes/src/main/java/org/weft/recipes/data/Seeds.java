package org.weft.recipes.data;

import java.util.SplittableRandom;

/**
 * Derives independent seeds from a run's seed and coordinates such as (epoch, example), so that every random
 * choice of the data pipeline is a pure function of where it happens and not of which thread or run made it.
 */
final class Seeds {

    /** Tags that keep the streams of different uses apart even when their coordinates coincide. */
    static final long SAMPLER = 0x5A3D_1E55_0000_0001L;
    static final long TRANSFORM = 0x5A3D_1E55_0000_0002L;

    private Seeds() {
    }

    /**
     * One 64-bit seed from several: each part is folded in through SplitMix64's finaliser, a bijection with
     * good avalanche, so neighbouring coordinates (epoch 3 and 4, example 10 and 11) give unrelated seeds.
     */
    static long mix(long... parts) {
        long h = 0x9E37_79B9_7F4A_7C15L;
        for (long p : parts) {
            h = finalise(h ^ finalise(p + 0x9E37_79B9_7F4A_7C15L));
        }
        return h;
    }

    /** A generator for the coordinates {@code parts}. */
    static SplittableRandom random(long... parts) {
        return new SplittableRandom(mix(parts));
    }

    private static long finalise(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
