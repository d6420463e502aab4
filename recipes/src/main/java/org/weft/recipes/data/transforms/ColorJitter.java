package org.weft.recipes.data.transforms;

import java.util.random.RandomGenerator;

import org.weft.recipes.data.Image;
import org.weft.recipes.data.Transform;

/**
 * Randomly changes brightness, contrast, saturation and hue, in a random order ({@code transforms.ColorJitter}):
 * brightness, contrast and saturation factors are uniform in [max(0, 1 − x), 1 + x], the hue shift uniform in
 * [−hue, hue] (hue ≤ 0.5); an amount of 0 turns that adjustment off. As in torchvision, the order is drawn first
 * (a random permutation of the four), then the enabled factors in the order brightness, contrast, saturation, hue.
 */
public final class ColorJitter implements Transform {

    private final double brightness;
    private final double contrast;
    private final double saturation;
    private final double hue;

    public ColorJitter(double brightness, double contrast, double saturation, double hue) {
        for (double amount : new double[] {brightness, contrast, saturation}) {
            if (!(amount >= 0) || Double.isInfinite(amount)) {
                throw new IllegalArgumentException("ColorJitter: brightness, contrast and saturation must be finite"
                        + " and >= 0, got " + brightness + ", " + contrast + ", " + saturation);
            }
        }
        if (!(hue >= 0 && hue <= 0.5)) {
            throw new IllegalArgumentException("ColorJitter: hue must be in [0, 0.5], got " + hue);
        }
        this.brightness = brightness;
        this.contrast = contrast;
        this.saturation = saturation;
        this.hue = hue;
    }

    @Override
    public Image apply(Image image, RandomGenerator random) {
        int[] order = {0, 1, 2, 3};
        for (int i = 3; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        double b = brightness > 0 ? Transforms.uniform(random, Math.max(0, 1 - brightness), 1 + brightness) : Double.NaN;
        double c = contrast > 0 ? Transforms.uniform(random, Math.max(0, 1 - contrast), 1 + contrast) : Double.NaN;
        double s = saturation > 0 ? Transforms.uniform(random, Math.max(0, 1 - saturation), 1 + saturation) : Double.NaN;
        double h = hue > 0 ? Transforms.uniform(random, -hue, hue) : Double.NaN;
        return jitter(image, order, b, c, s, h);
    }

    /**
     * The deterministic core: the adjustments in {@code order} (0 brightness, 1 contrast, 2 saturation, 3 hue) at
     * the given factors; a NaN factor skips its adjustment.
     */
    public static Image jitter(Image image, int[] order, double brightness, double contrast, double saturation,
                               double hue) {
        Image out = image;
        for (int op : order) {
            switch (op) {
                case 0 -> out = Double.isNaN(brightness) ? out : ColorAdjust.brightness(out, brightness);
                case 1 -> out = Double.isNaN(contrast) ? out : ColorAdjust.contrast(out, contrast);
                case 2 -> out = Double.isNaN(saturation) ? out : ColorAdjust.saturation(out, saturation);
                case 3 -> out = Double.isNaN(hue) ? out : ColorAdjust.hue(out, hue);
                default -> throw new IllegalArgumentException("ColorJitter: order holds " + op + ", expected 0..3");
            }
        }
        return out;
    }
}
