package org.weft.recipes.data.transforms;

import java.util.random.RandomGenerator;

import org.weft.recipes.data.Image;
import org.weft.recipes.data.Transform;

/**
 * Cuts a fixed window out of an image ({@code F.crop}): rows top .. top+height−1, columns left .. left+width−1.
 * Parts of the window outside the image are filled with zeros, as torchvision pads them.
 */
public final class Crop implements Transform {

    private final int top;
    private final int left;
    private final int height;
    private final int width;

    public Crop(int top, int left, int height, int width) {
        Transforms.requirePositive("Crop", "height", height);
        Transforms.requirePositive("Crop", "width", width);
        this.top = top;
        this.left = left;
        this.height = height;
        this.width = width;
    }

    @Override
    public Image apply(Image image, RandomGenerator random) {
        return crop(image, top, left, height, width);
    }

    /** The {@code height × width} window at (top, left), zero outside the image. */
    public static Image crop(Image image, int top, int left, int height, int width) {
        Transforms.requirePositive("crop", "height", height);
        Transforms.requirePositive("crop", "width", width);
        int c = image.channels();
        int h = image.height();
        int w = image.width();
        float[] in = image.pixels();
        float[] out = new float[c * height * width];
        // The columns of the window that lie inside the image; the rest stay zero.
        int firstX = Math.max(0, -left);
        int lastX = Math.min(width, w - left);
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < height; y++) {
                int sy = top + y;
                if (sy < 0 || sy >= h || firstX >= lastX) {
                    continue;
                }
                System.arraycopy(in, (ch * h + sy) * w + left + firstX, out, (ch * height + y) * width + firstX,
                        lastX - firstX);
            }
        }
        return new Image(c, height, width, out);
    }
}
