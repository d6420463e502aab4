package org.weft.recipes.data.transforms;

import java.util.random.RandomGenerator;

import org.weft.recipes.data.Image;
import org.weft.recipes.data.Transform;

/**
 * Pads an image with {@code padding} zero pixels on every side, then cuts a {@code height × width} window at a
 * uniformly random position ({@code transforms.RandomCrop(size, padding)} with constant fill 0), the CIFAR-style
 * augmentation.
 */
public final class RandomCrop implements Transform {

    private final int height;
    private final int width;
    private final int padding;

    public RandomCrop(int size, int padding) {
        this(size, size, padding);
    }

    public RandomCrop(int height, int width, int padding) {
        Transforms.requirePositive("RandomCrop", "height", height);
        Transforms.requirePositive("RandomCrop", "width", width);
        if (padding < 0) {
            throw new IllegalArgumentException("RandomCrop: padding must be >= 0, got " + padding);
        }
        this.height = height;
        this.width = width;
        this.padding = padding;
    }

    @Override
    public Image apply(Image image, RandomGenerator random) {
        int paddedH = image.height() + 2 * padding;
        int paddedW = image.width() + 2 * padding;
        if (paddedH < height || paddedW < width) {
            throw new IllegalArgumentException("RandomCrop: required crop size (" + height + ", " + width
                    + ") is larger than the padded image size (" + paddedH + ", " + paddedW + ")");
        }
        int top = random.nextInt(paddedH - height + 1);
        int left = random.nextInt(paddedW - width + 1);
        return crop(image, padding, top, left, height, width);
    }

    /**
     * The deterministic core: the window at (top, left) of the image padded by {@code padding} zeros, which is the
     * window at (top − padding, left − padding) of the image with zeros outside it.
     */
    public static Image crop(Image image, int padding, int top, int left, int height, int width) {
        return Crop.crop(image, top - padding, left - padding, height, width);
    }
}
