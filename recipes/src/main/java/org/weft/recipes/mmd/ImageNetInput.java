package org.weft.recipes.mmd;

import java.util.random.RandomGenerator;

import org.weft.recipes.data.Image;
import org.weft.recipes.data.Transform;

/**
 * The input a torchvision ResNet expects: three channels (a grey image repeated in each), standardised with the
 * ImageNet mean and standard deviation, so that ImageNet weights, when given, see inputs of the scale they were
 * trained on. Deterministic: it draws nothing from the generator.
 */
final class ImageNetInput implements Transform {

    static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    static final float[] STD = {0.229f, 0.224f, 0.225f};

    @Override
    public Image apply(Image image, RandomGenerator random) {
        if (image.channels() != 1 && image.channels() != 3) {
            throw new IllegalArgumentException("expected a grey or an RGB image, got " + image.channels() + " channels");
        }
        int plane = image.height() * image.width();
        float[] in = image.pixels();
        float[] out = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            int from = image.channels() == 1 ? 0 : c * plane;
            for (int p = 0; p < plane; p++) {
                out[c * plane + p] = (in[from + p] - MEAN[c]) / STD[c];
            }
        }
        return new Image(3, image.height(), image.width(), out);
    }
}
