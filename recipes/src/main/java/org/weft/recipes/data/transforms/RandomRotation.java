package org.weft.recipes.data.transforms;

import java.util.random.RandomGenerator;

import org.weft.recipes.data.Image;
import org.weft.recipes.data.Transform;

/**
 * Rotates an image about its centre by an angle drawn uniformly from [−degrees, +degrees], counter-clockwise for
 * positive angles ({@code transforms.RandomRotation(degrees)} with its defaults): the output keeps the input's
 * size, each output pixel takes the nearest input pixel (nearest-neighbour interpolation), and pixels whose source
 * falls outside the image are filled with 0.
 */
public final class RandomRotation implements Transform {

    private final double degrees;

    public RandomRotation(double degrees) {
        if (!(degrees >= 0) || Double.isInfinite(degrees)) {
            throw new IllegalArgumentException("RandomRotation: degrees must be a finite number >= 0, got " + degrees);
        }
        this.degrees = degrees;
    }

    @Override
    public Image apply(Image image, RandomGenerator random) {
        return rotate(image, Transforms.uniform(random, -degrees, degrees), 0f);
    }

    /**
     * The deterministic core ({@code F.rotate(img, angle, NEAREST, expand=False, center=None, fill)}). The
     * arithmetic follows torchvision's grid in float32 step by step (inverse rotation of the pixel centre relative
     * to the image centre, normalised to [−1, 1], then grid_sample's un-normalisation and round-half-to-even), so
     * that a source coordinate within rounding of a half pixel picks the same neighbour as PyTorch.
     */
    public static Image rotate(Image image, double angleDegrees, float fill) {
        int c = image.channels();
        int h = image.height();
        int w = image.width();
        // The inverse map of a rotation by +angle (counter-clockwise on screen, y pointing down):
        // source = [cos, -sin; sin, cos] · output, about the centre.
        double rad = Math.toRadians(-angleDegrees);
        float m0 = (float) Math.cos(rad);
        float m1 = (float) Math.sin(rad);
        float m3 = (float) -Math.sin(rad);
        float m4 = (float) Math.cos(rad);
        float halfW = 0.5f * w;
        float halfH = 0.5f * h;
        float r00 = m0 / halfW;
        float r10 = m1 / halfW;
        float r01 = m3 / halfH;
        float r11 = m4 / halfH;
        // grid_sample (align_corners=False) un-normalises g to (g + 1) · size/2 − 0.5.
        float scaleX = w / 2f;
        float scaleY = h / 2f;
        int[] source = new int[h * w];
        for (int oy = 0; oy < h; oy++) {
            float y = oy - h * 0.5f + 0.5f;
            for (int ox = 0; ox < w; ox++) {
                float x = ox - w * 0.5f + 0.5f;
                float gx = x * r00 + y * r10;
                float gy = x * r01 + y * r11;
                int sx = (int) Math.rint((gx + 1f) * scaleX - 0.5f);
                int sy = (int) Math.rint((gy + 1f) * scaleY - 0.5f);
                source[oy * w + ox] = sx >= 0 && sx < w && sy >= 0 && sy < h ? sy * w + sx : -1;
            }
        }
        float[] in = image.pixels();
        float[] out = new float[in.length];
        int plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            int base = ch * plane;
            for (int p = 0; p < plane; p++) {
                int s = source[p];
                out[base + p] = s >= 0 ? in[base + s] : fill;
            }
        }
        return new Image(c, h, w, out);
    }
}
