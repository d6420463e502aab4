package org.weft.recipes.data.transforms;

import java.util.random.RandomGenerator;

import org.weft.recipes.data.Image;
import org.weft.recipes.data.Transform;

/**
 * Resizes an image with bilinear interpolation, exactly as torchvision resizes a tensor with
 * {@code antialias=False} ({@code F.interpolate(mode='bilinear', align_corners=False)}): output pixel centres are
 * mapped back to input coordinates by the ratio of the sizes and the four nearest input pixels are blended. Without
 * antialiasing a strong downscale skips pixels (it aliases) just as PyTorch's does.
 *
 * <p>{@code new Resize(h, w)} gives an h × w image; {@code new Resize(size)} scales the shorter side to
 * {@code size} and the longer one in proportion (rounded down), as {@code transforms.Resize(size)} does.
 */
public final class Resize implements Transform {

    private final int height;
    private final int width;
    private final int shorter;

    /** Resize to exactly {@code height × width}. */
    public Resize(int height, int width) {
        Transforms.requirePositive("Resize", "height", height);
        Transforms.requirePositive("Resize", "width", width);
        this.height = height;
        this.width = width;
        this.shorter = -1;
    }

    /** Resize so that the shorter side is {@code shorterSide}, keeping the aspect ratio. */
    public Resize(int shorterSide) {
        Transforms.requirePositive("Resize", "the shorter side", shorterSide);
        this.height = -1;
        this.width = -1;
        this.shorter = shorterSide;
    }

    @Override
    public Image apply(Image image, RandomGenerator random) {
        if (shorter < 0) {
            return resize(image, height, width);
        }
        int[] size = shorterSideSize(image.height(), image.width(), shorter);
        return resize(image, size[0], size[1]);
    }

    /**
     * The {h, w} that torchvision gives an h × w image whose shorter side becomes {@code size}: the longer side is
     * {@code int(size * long / short)}, truncated.
     */
    public static int[] shorterSideSize(int h, int w, int size) {
        if (w <= h) {
            return new int[] {(int) ((double) size * h / w), size};
        }
        return new int[] {size, (int) ((double) size * w / h)};
    }

    /** Bilinear resize to {@code outH × outW} (align_corners=False, no antialiasing); the image itself if unchanged. */
    public static Image resize(Image image, int outH, int outW) {
        Transforms.requirePositive("resize", "height", outH);
        Transforms.requirePositive("resize", "width", outW);
        int c = image.channels();
        int h = image.height();
        int w = image.width();
        if (outH == h && outW == w) {
            return image;
        }
        // Per output row and column: the two input lines and their weights, computed once.
        int[] y0 = new int[outH];
        int[] y1 = new int[outH];
        float[] wy1 = new float[outH];
        sourceLines(h, outH, y0, y1, wy1);
        int[] x0 = new int[outW];
        int[] x1 = new int[outW];
        float[] wx1 = new float[outW];
        sourceLines(w, outW, x0, x1, wx1);
        float[] in = image.pixels();
        float[] out = new float[c * outH * outW];
        for (int ch = 0; ch < c; ch++) {
            int plane = ch * h * w;
            int o = ch * outH * outW;
            for (int oy = 0; oy < outH; oy++) {
                int row0 = plane + y0[oy] * w;
                int row1 = plane + y1[oy] * w;
                float b = wy1[oy];
                float a = 1f - b;
                for (int ox = 0; ox < outW; ox++) {
                    float r = wx1[ox];
                    float l = 1f - r;
                    float top = l * in[row0 + x0[ox]] + r * in[row0 + x1[ox]];
                    float bottom = l * in[row1 + x0[ox]] + r * in[row1 + x1[ox]];
                    out[o++] = a * top + b * bottom;
                }
            }
        }
        return new Image(c, outH, outW, out);
    }

    /**
     * PyTorch's source index for align_corners=False: {@code src = (in/out) · (dst + 0.5) − 0.5}, clamped at 0;
     * the lower line is floor(src), the upper one the next (or the same at the last line), weighted by the fraction.
     */
    private static void sourceLines(int in, int out, int[] lo, int[] hi, float[] weightHi) {
        float scale = (float) in / out;
        for (int d = 0; d < out; d++) {
            float src = scale * (d + 0.5f) - 0.5f;
            if (src < 0) {
                src = 0;
            }
            int i = (int) src;
            lo[d] = i;
            hi[d] = i < in - 1 ? i + 1 : i;
            weightHi[d] = src - i;
        }
    }
}
