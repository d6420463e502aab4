package org.weft.recipes.data.transforms;

import java.util.random.RandomGenerator;

import org.weft.recipes.data.Image;
import org.weft.recipes.data.Transform;

/**
 * Cuts the central {@code height × width} window out of an image ({@code transforms.CenterCrop}); an image smaller
 * than the window is padded with zeros around it first, as torchvision does.
 */
public final class CenterCrop implements Transform {

    private final int height;
    private final int width;

    public CenterCrop(int size) {
        this(size, size);
    }

    public CenterCrop(int height, int width) {
        Transforms.requirePositive("CenterCrop", "height", height);
        Transforms.requirePositive("CenterCrop", "width", width);
        this.height = height;
        this.width = width;
    }

    @Override
    public Image apply(Image image, RandomGenerator random) {
        return centerCrop(image, height, width);
    }

    /**
     * torchvision's arithmetic: pad by (crop − size) / 2 before and the rest after when the image is smaller, then
     * start at round((size − crop) / 2) with Python's round-half-to-even.
     */
    public static Image centerCrop(Image image, int height, int width) {
        int h = image.height();
        int w = image.width();
        int padTop = height > h ? (height - h) / 2 : 0;
        int padLeft = width > w ? (width - w) / 2 : 0;
        int paddedH = height > h ? height : h;
        int paddedW = width > w ? width : w;
        int top = (int) Math.rint((paddedH - height) / 2.0) - padTop;
        int left = (int) Math.rint((paddedW - width) / 2.0) - padLeft;
        return Crop.crop(image, top, left, height, width);
    }
}
