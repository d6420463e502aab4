package org.weft.recipes.data.transforms;

import org.weft.recipes.data.Image;

/**
 * The four colour adjustments of {@link ColorJitter}, each at a given factor, with torchvision's semantics for float
 * tensors ({@code F.adjust_brightness/contrast/saturation/hue}): images of 1 or 3 channels with values in [0, 1];
 * brightness, contrast and saturation blend the image with black, its mean grey level, or its own grey version,
 * and clamp to [0, 1]; hue rotates the hue in HSV space. The arithmetic is float32 as in torchvision.
 */
public final class ColorAdjust {

    private ColorAdjust() {
    }

    /** {@code factor · image}, clamped to [0, 1]: 0 gives black, 1 the image. */
    public static Image brightness(Image image, double factor) {
        check("adjust_brightness", image, "brightness_factor", factor);
        float a = (float) factor;
        float[] in = image.pixels();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = clamp01(a * in[i]);
        }
        return with(image, out);
    }

    /**
     * Blends the image with its mean grey level (the mean of the luma 0.2989 R + 0.587 G + 0.114 B for RGB, of the
     * values for grey): 0 gives a flat grey image, 1 the image.
     */
    public static Image contrast(Image image, double factor) {
        check("adjust_contrast", image, "contrast_factor", factor);
        float[] in = image.pixels();
        int plane = image.height() * image.width();
        double sum = 0;
        if (image.channels() == 3) {
            float[] grey = luma(image);
            for (int i = 0; i < plane; i++) {
                sum += grey[i];
            }
        } else {
            for (int i = 0; i < plane; i++) {
                sum += in[i];
            }
        }
        float mean = (float) (sum / plane);
        float a = (float) factor;
        float b = (float) (1.0 - factor);
        float bMean = b * mean;
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = clamp01(a * in[i] + bMean);
        }
        return with(image, out);
    }

    /** Blends an RGB image with its luma: 0 gives grey, 1 the image, 2 doubles the saturation. Grey images pass. */
    public static Image saturation(Image image, double factor) {
        check("adjust_saturation", image, "saturation_factor", factor);
        if (image.channels() == 1) {
            return image;
        }
        float[] in = image.pixels();
        float[] grey = luma(image);
        int plane = grey.length;
        float a = (float) factor;
        float b = (float) (1.0 - factor);
        float[] out = new float[in.length];
        for (int ch = 0; ch < 3; ch++) {
            int base = ch * plane;
            for (int i = 0; i < plane; i++) {
                out[base + i] = clamp01(a * in[base + i] + b * grey[i]);
            }
        }
        return with(image, out);
    }

    /**
     * Shifts the hue of an RGB image by {@code factor} turns (in [−0.5, 0.5]) through HSV, as torchvision's
     * {@code _rgb2hsv}/{@code _hsv2rgb} do; values must be non-negative. Grey images pass unchanged.
     */
    public static Image hue(Image image, double factor) {
        if (!(factor >= -0.5 && factor <= 0.5)) {
            throw new IllegalArgumentException("adjust_hue: hue_factor (" + factor + ") is not in [-0.5, 0.5]");
        }
        checkChannels("adjust_hue", image);
        if (image.channels() == 1) {
            return image;
        }
        float shift = (float) factor;
        float[] in = image.pixels();
        int plane = image.height() * image.width();
        float[] out = new float[in.length];
        for (int i = 0; i < plane; i++) {
            float r = in[i];
            float g = in[plane + i];
            float bl = in[2 * plane + i];
            // RGB -> HSV (Pillow's formulas as torchvision writes them, with no division by zero for greys).
            float maxc = Math.max(r, Math.max(g, bl));
            float minc = Math.min(r, Math.min(g, bl));
            boolean flat = maxc == minc;
            float cr = maxc - minc;
            float s = cr / (flat ? 1f : maxc);
            float divisor = flat ? 1f : cr;
            float rc = (maxc - r) / divisor;
            float gc = (maxc - g) / divisor;
            float bc = (maxc - bl) / divisor;
            float h;
            if (maxc == r) {
                h = bc - gc;
            } else if (maxc == g) {
                h = 2f + rc - bc;
            } else {
                h = 4f + gc - rc;
            }
            h = (h / 6f + 1f) % 1f;
            // Shift (Python's modulo: the result has the sign of the divisor).
            h = (h + shift) % 1f;
            if (h < 0) {
                h += 1f;
            }
            // HSV -> RGB.
            float v = maxc;
            float sector = (float) Math.floor(h * 6f);
            float f = h * 6f - sector;
            int k = Math.floorMod((int) sector, 6);
            float p = clamp01(v * (1f - s));
            float q = clamp01(v * (1f - s * f));
            float t = clamp01(v * (1f - s * (1f - f)));
            float ro;
            float go;
            float bo;
            switch (k) {
                case 0 -> { ro = v; go = t; bo = p; }
                case 1 -> { ro = q; go = v; bo = p; }
                case 2 -> { ro = p; go = v; bo = t; }
                case 3 -> { ro = p; go = q; bo = v; }
                case 4 -> { ro = t; go = p; bo = v; }
                default -> { ro = v; go = p; bo = q; }
            }
            out[i] = ro;
            out[plane + i] = go;
            out[2 * plane + i] = bo;
        }
        return with(image, out);
    }

    /** torchvision's grey level of an RGB image: 0.2989 R + 0.587 G + 0.114 B, in float32. */
    static float[] luma(Image image) {
        float[] in = image.pixels();
        int plane = image.height() * image.width();
        float[] grey = new float[plane];
        for (int i = 0; i < plane; i++) {
            grey[i] = 0.2989f * in[i] + 0.587f * in[plane + i] + 0.114f * in[2 * plane + i];
        }
        return grey;
    }

    private static void check(String op, Image image, String name, double factor) {
        if (!(factor >= 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException(op + ": " + name + " (" + factor + ") is not non-negative");
        }
        checkChannels(op, image);
    }

    private static void checkChannels(String op, Image image) {
        if (image.channels() != 1 && image.channels() != 3) {
            throw new IllegalArgumentException(op + ": expected an image of 1 or 3 channels, got "
                    + image.channels());
        }
    }

    private static float clamp01(float x) {
        return x < 0f ? 0f : (x > 1f ? 1f : x);
    }

    private static Image with(Image like, float[] pixels) {
        return new Image(like.channels(), like.height(), like.width(), pixels);
    }
}
