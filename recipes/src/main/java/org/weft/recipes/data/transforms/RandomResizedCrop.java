package org.weft.recipes.data.transforms;

import java.util.random.RandomGenerator;

import org.weft.recipes.data.Image;
import org.weft.recipes.data.Transform;

/**
 * Cuts a window of random area and aspect ratio out of an image and resizes it to {@code height × width}
 * (bilinear, no antialiasing), the Inception-style augmentation ({@code transforms.RandomResizedCrop}).
 *
 * <p>The window is drawn as torchvision draws it: up to 10 tries of an area fraction uniform in {@code scale} and an
 * aspect ratio (width / height) log-uniform in {@code ratio}, the window's sides rounded to whole pixels; the first
 * window that fits is placed uniformly at random. If none fits, it falls back to the central crop of the whole
 * image clamped to the ratio range.
 */
public final class RandomResizedCrop implements Transform {

    private final int height;
    private final int width;
    private final double minScale;
    private final double maxScale;
    private final double minRatio;
    private final double maxRatio;

    /** The defaults: area 8 %–100 % of the image, aspect ratio 3/4–4/3. */
    public RandomResizedCrop(int size) {
        this(size, size, 0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0);
    }

    public RandomResizedCrop(int height, int width, double minScale, double maxScale, double minRatio,
                             double maxRatio) {
        Transforms.requirePositive("RandomResizedCrop", "height", height);
        Transforms.requirePositive("RandomResizedCrop", "width", width);
        if (!(0 < minScale && minScale <= maxScale) || !(0 < minRatio && minRatio <= maxRatio)) {
            throw new IllegalArgumentException("RandomResizedCrop: scale and ratio must be ranges (min, max) of"
                    + " positive numbers, got scale (" + minScale + ", " + maxScale + "), ratio (" + minRatio + ", "
                    + maxRatio + ")");
        }
        this.height = height;
        this.width = width;
        this.minScale = minScale;
        this.maxScale = maxScale;
        this.minRatio = minRatio;
        this.maxRatio = maxRatio;
    }

    @Override
    public Image apply(Image image, RandomGenerator random) {
        int[] box = window(image.height(), image.width(), random);
        return resizedCrop(image, box[0], box[1], box[2], box[3], height, width);
    }

    /** The window {top, left, height, width} for an imageH × imageW image, drawn as torchvision's get_params. */
    int[] window(int imageH, int imageW, RandomGenerator random) {
        double area = (double) imageH * imageW;
        double logLo = Math.log(minRatio);
        double logHi = Math.log(maxRatio);
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * Transforms.uniform(random, minScale, maxScale);
            double aspect = Math.exp(Transforms.uniform(random, logLo, logHi));
            int w = (int) Math.rint(Math.sqrt(target * aspect));
            int h = (int) Math.rint(Math.sqrt(target / aspect));
            if (0 < w && w <= imageW && 0 < h && h <= imageH) {
                int top = random.nextInt(imageH - h + 1);
                int left = random.nextInt(imageW - w + 1);
                return new int[] {top, left, h, w};
            }
        }
        return fallback(imageH, imageW, minRatio, maxRatio);
    }

    /** The central window of the whole image, narrowed to the nearest ratio in range when the image's is outside it. */
    static int[] fallback(int imageH, int imageW, double minRatio, double maxRatio) {
        double inRatio = (double) imageW / imageH;
        int w;
        int h;
        if (inRatio < minRatio) {
            w = imageW;
            h = (int) Math.rint(w / minRatio);
        } else if (inRatio > maxRatio) {
            h = imageH;
            w = (int) Math.rint(h * maxRatio);
        } else {
            w = imageW;
            h = imageH;
        }
        return new int[] {(imageH - h) / 2, (imageW - w) / 2, h, w};
    }

    /** The deterministic core ({@code F.resized_crop}): crop the window, then resize it bilinearly. */
    public static Image resizedCrop(Image image, int top, int left, int cropH, int cropW, int outH, int outW) {
        return Resize.resize(Crop.crop(image, top, left, cropH, cropW), outH, outW);
    }
}
