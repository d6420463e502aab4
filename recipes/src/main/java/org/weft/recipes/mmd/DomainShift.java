package org.weft.recipes.mmd;

import java.util.SplittableRandom;

/**
 * The target domain of the Fashion-MNIST proxy: a fixed change of an image's low-level statistics that keeps
 * what it shows. Every pixel x in [0, 1] becomes
 * <pre>
 *   y = clip(0.15 + 0.6 · (1 - x) + 0.08 · sin(2π (u·col + v·row) / 32 + φ) + 0.05 · n,  0, 1)
 * </pre>
 * inverted polarity (dark garments on a light ground), contrast cut to 0.6 and the black ground lifted to a
 * grey, a striped texture of the image's own frequency (u, v in 1..4), orientation and phase, and Gaussian
 * noise n. Stripe and noise come from a generator seeded by (seed, image index): the same image always gets
 * the same texture, whichever thread or run decodes it, and two images get different ones.
 *
 * <p>What changes, measured on the padded 32×32 Fashion-MNIST images (checked in the tests): the mean
 * brightness rises from about 0.29 to about 0.58, the pixels' correlation with the original is strongly
 * negative, and the ground, exactly 0 in every source image, becomes a texture with a spread of about 0.07.
 */
final class DomainShift {

    static final double OFFSET = 0.15;
    static final double CONTRAST = 0.6;
    static final double STRIPE = 0.08;
    static final double NOISE = 0.05;

    private DomainShift() {
    }

    /** The shifted copy of a {@code height × width} grey image, for the image {@code index} under {@code seed}. */
    static float[] apply(float[] pixels, int height, int width, long seed, int index) {
        SplittableRandom random = new SplittableRandom(mix(seed, index));
        int u = 1 + random.nextInt(4);
        int v = random.nextInt(4) * (random.nextBoolean() ? 1 : -1);
        double phase = random.nextDouble() * 2 * Math.PI;
        float[] out = new float[pixels.length];
        for (int row = 0; row < height; row++) {
            for (int col = 0; col < width; col++) {
                int p = row * width + col;
                double stripe = Math.sin(2 * Math.PI * (u * col + v * row) / 32.0 + phase);
                double y = OFFSET + CONTRAST * (1 - pixels[p]) + STRIPE * stripe + NOISE * gaussian(random);
                out[p] = (float) Math.min(1, Math.max(0, y));
            }
        }
        return out;
    }

    /** A standard normal draw (Box-Muller); SplittableRandom has none of its own in Java 17. */
    private static double gaussian(SplittableRandom random) {
        double u1 = 1 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** One 64-bit seed per (seed, index) pair, so neighbouring indices get unrelated textures. */
    static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
