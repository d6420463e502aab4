package org.weft.recipes.data.transforms;

import java.util.random.RandomGenerator;

import org.weft.recipes.data.Image;
import org.weft.recipes.data.Transform;

/** Standardises each channel: (x − mean[c]) / std[c] ({@code transforms.Normalize}); one value serves all channels. */
public final class Normalize implements Transform {

    private final float[] mean;
    private final float[] std;

    public Normalize(double[] mean, double[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalize: mean and std need the same, non-zero number of values, got "
                    + mean.length + " and " + std.length);
        }
        this.mean = new float[mean.length];
        this.std = new float[std.length];
        for (int i = 0; i < mean.length; i++) {
            this.mean[i] = (float) mean[i];
            this.std[i] = (float) std[i];
            if (this.std[i] == 0f) {
                throw new IllegalArgumentException("Normalize: std[" + i + "] = " + std[i]
                        + " evaluates to zero in float32, leading to division by zero");
            }
        }
    }

    @Override
    public Image apply(Image image, RandomGenerator random) {
        int c = image.channels();
        if (mean.length != 1 && mean.length != c) {
            throw new IllegalArgumentException("Normalize: " + mean.length + " means and stds for an image of " + c
                    + " channels (expected 1 or " + c + ")");
        }
        int plane = image.height() * image.width();
        float[] in = image.pixels();
        float[] out = new float[in.length];
        for (int ch = 0; ch < c; ch++) {
            float m = mean[mean.length == 1 ? 0 : ch];
            float s = std[std.length == 1 ? 0 : ch];
            int base = ch * plane;
            for (int i = base; i < base + plane; i++) {
                out[i] = (in[i] - m) / s;
            }
        }
        return new Image(c, image.height(), image.width(), out);
    }
}
