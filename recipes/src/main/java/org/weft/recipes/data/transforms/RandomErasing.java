package org.weft.recipes.data.transforms;

import java.util.random.RandomGenerator;

import org.weft.recipes.data.Image;
import org.weft.recipes.data.Transform;

/**
 * Random Erasing (Zhong et al., 2017): with probability p, overwrites a random rectangle of the image with a fixed
 * colour, so that the network learns from partly occluded examples.
 *
 * <p>Defaults are the original paper's: p = 0.5, erased area 2 %–40 % of the image, aspect ratio (height / width)
 * 0.3–1/0.3, fill the per-channel mean (0.4914, 0.4822, 0.4465) of its CIFAR-10 experiments. Fill values are in the
 * units of the image at this point of the pipeline (the original erases after normalising, with these raw means);
 * a one-channel image uses the first fill value, as the original code does. The rectangle is drawn by
 * torchvision's procedure: up to 10 tries of an area uniform in the range and a ratio log-uniform in its range,
 * sides rounded to whole pixels; the first that fits strictly inside the image is placed uniformly at random; if
 * none fits, the image is left as it is.
 */
public final class RandomErasing implements Transform {

    /** The per-channel means of CIFAR-10 that the original implementation fills with. */
    public static final float[] ORIGINAL_MEAN = {0.4914f, 0.4822f, 0.4465f};

    private final double p;
    private final double minArea;
    private final double maxArea;
    private final double minRatio;
    private final double maxRatio;
    private final float[] fill;

    /** The original paper's defaults. */
    public RandomErasing() {
        this(0.5, 0.02, 0.4, 0.3, 1 / 0.3, ORIGINAL_MEAN);
    }

    public RandomErasing(double p, double minArea, double maxArea, double minRatio, double maxRatio, float[] fill) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("RandomErasing: p must be in [0, 1], got " + p);
        }
        if (!(0 <= minArea && minArea <= maxArea && maxArea <= 1) || !(0 < minRatio && minRatio <= maxRatio)) {
            throw new IllegalArgumentException("RandomErasing: the area range must lie in [0, 1] and the ratio range"
                    + " be positive, got area (" + minArea + ", " + maxArea + "), ratio (" + minRatio + ", "
                    + maxRatio + ")");
        }
        if (fill.length == 0) {
            throw new IllegalArgumentException("RandomErasing: fill needs one value per channel, or one for all");
        }
        this.p = p;
        this.minArea = minArea;
        this.maxArea = maxArea;
        this.minRatio = minRatio;
        this.maxRatio = maxRatio;
        this.fill = fill.clone();
    }

    @Override
    public Image apply(Image image, RandomGenerator random) {
        if (!(random.nextDouble() < p)) {
            return image;
        }
        int[] box = rectangle(image.height(), image.width(), random);
        return box == null ? image : erase(image, box[0], box[1], box[2], box[3], fill);
    }

    /** The rectangle {top, left, height, width}, or null when 10 tries found none that fits. */
    int[] rectangle(int imageH, int imageW, RandomGenerator random) {
        double area = (double) imageH * imageW;
        double logLo = Math.log(minRatio);
        double logHi = Math.log(maxRatio);
        for (int attempt = 0; attempt < 10; attempt++) {
            double erase = area * Transforms.uniform(random, minArea, maxArea);
            double aspect = Math.exp(Transforms.uniform(random, logLo, logHi));
            int h = (int) Math.rint(Math.sqrt(erase * aspect));
            int w = (int) Math.rint(Math.sqrt(erase / aspect));
            if (h < imageH && w < imageW) {
                int top = random.nextInt(imageH - h + 1);
                int left = random.nextInt(imageW - w + 1);
                return new int[] {top, left, h, w};
            }
        }
        return null;
    }

    /**
     * The deterministic core ({@code F.erase}): a copy of the image with the rectangle set to {@code fill}, one value
     * per channel or one for all (a one-channel image takes the first).
     */
    public static Image erase(Image image, int top, int left, int height, int width, float[] fill) {
        int c = image.channels();
        int h = image.height();
        int w = image.width();
        if (fill.length != 1 && fill.length != c && c != 1) {
            throw new IllegalArgumentException("RandomErasing: fill has " + fill.length + " values for an image of "
                    + c + " channels (expected 1 or " + c + ")");
        }
        if (top < 0 || left < 0 || height < 0 || width < 0 || top + height > h || left + width > w) {
            throw new IllegalArgumentException("erase: rectangle at (" + top + ", " + left + ") of " + height + "x"
                    + width + " does not fit in an image of " + h + "x" + w);
        }
        float[] out = image.pixels().clone();
        for (int ch = 0; ch < c; ch++) {
            float v = fill[fill.length == 1 || c == 1 ? 0 : ch];
            for (int y = top; y < top + height; y++) {
                int row = (ch * h + y) * w;
                for (int x = left; x < left + width; x++) {
                    out[row + x] = v;
                }
            }
        }
        return new Image(c, h, w, out);
    }
}
