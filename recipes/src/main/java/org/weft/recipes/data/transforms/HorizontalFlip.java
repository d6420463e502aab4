package org.weft.recipes.data.transforms;

import java.util.random.RandomGenerator;

import org.weft.recipes.data.Image;
import org.weft.recipes.data.Transform;

/** Mirrors an image left to right with probability p ({@code transforms.RandomHorizontalFlip(p)}). */
public final class HorizontalFlip implements Transform {

    private final double p;

    public HorizontalFlip(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("HorizontalFlip: p must be in [0, 1], got " + p);
        }
        this.p = p;
    }

    @Override
    public Image apply(Image image, RandomGenerator random) {
        return random.nextDouble() < p ? flip(image) : image;
    }

    /** The deterministic core ({@code F.hflip}). */
    public static Image flip(Image image) {
        int w = image.width();
        int rows = image.channels() * image.height();
        float[] in = image.pixels();
        float[] out = new float[in.length];
        for (int r = 0; r < rows; r++) {
            int base = r * w;
            for (int x = 0; x < w; x++) {
                out[base + x] = in[base + w - 1 - x];
            }
        }
        return new Image(image.channels(), image.height(), w, out);
    }
}
