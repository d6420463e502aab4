package org.weft.recipes.data.transforms;

import java.util.random.RandomGenerator;

import org.weft.recipes.data.Image;
import org.weft.recipes.data.Transform;

/**
 * Makes a grey image three-channel by repeating its one channel, so that greyscale data (Fashion-MNIST) can feed a
 * network built for RGB (an ImageNet-pretrained ResNet). A three-channel image passes unchanged, so a dataset that
 * mixes grey and colour files comes out uniformly RGB.
 */
public final class GreyToRgb implements Transform {

    @Override
    public Image apply(Image image, RandomGenerator random) {
        if (image.channels() == 3) {
            return image;
        }
        if (image.channels() != 1) {
            throw new IllegalArgumentException("GreyToRgb: expected an image of 1 (or 3) channels, got "
                    + image.channels());
        }
        float[] in = image.pixels();
        int plane = in.length;
        float[] out = new float[3 * plane];
        System.arraycopy(in, 0, out, 0, plane);
        System.arraycopy(in, 0, out, plane, plane);
        System.arraycopy(in, 0, out, 2 * plane, plane);
        return new Image(3, image.height(), image.width(), out);
    }
}
