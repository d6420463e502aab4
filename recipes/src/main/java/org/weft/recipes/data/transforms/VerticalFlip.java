package org.weft.recipes.data.transforms;

import java.util.random.RandomGenerator;

import org.weft.recipes.data.Image;
import org.weft.recipes.data.Transform;

/** Mirrors an image top to bottom with probability p ({@code transforms.RandomVerticalFlip(p)}). */
public final class VerticalFlip implements Transform {

    private final double p;

    public VerticalFlip(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("VerticalFlip: p must be in [0, 1], got " + p);
        }
        this.p = p;
    }

    @Override
    public Image apply(Image image, RandomGenerator random) {
        return random.nextDouble() < p ? flip(image) : image;
    }

    /** The deterministic core ({@code F.vflip}). */
    public static Image flip(Image image) {
        int h = image.height();
        int w = image.width();
        float[] in = image.pixels();
        float[] out = new float[in.length];
        for (int ch = 0; ch < image.channels(); ch++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(in, (ch * h + h - 1 - y) * w, out, (ch * h + y) * w, w);
            }
        }
        return new Image(image.channels(), h, w, out);
    }
}
