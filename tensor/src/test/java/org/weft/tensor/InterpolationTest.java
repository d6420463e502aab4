package org.weft.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** interpolate's size arguments and checks, and two closed-form values. */
class InterpolationTest {

    @Test
    void exactlyOneOfSizeAndScaleFactor() {
        NDArray x = NDArray.zeros(1, 4, 5, 5);
        assertEquals("interpolate: only one of size or scale_factor should be defined",
                assertThrows(IllegalArgumentException.class, () -> Interpolation.interpolate(x, new int[] {2},
                        new double[] {2}, "bilinear", false)).getMessage());
        assertEquals("interpolate: either size or scale_factor should be defined",
                assertThrows(IllegalArgumentException.class, () -> Interpolation.interpolate(x, null, null,
                        "bilinear", false)).getMessage());
    }

    @Test
    void onlyBilinearFourDimensionalInputs() {
        assertEquals("interpolate: bilinear mode needs a 4-d input [N, C, H, W], but got input of size [4, 5, 5]",
                assertThrows(IllegalArgumentException.class, () -> Interpolation.interpolate(NDArray.zeros(4, 5, 5),
                        new int[] {3}, null, "bilinear", false)).getMessage());
        assertEquals("interpolate: mode 'nearest' is not implemented; Weft has 'bilinear'",
                assertThrows(IllegalArgumentException.class, () -> Interpolation.interpolate(NDArray.zeros(1, 1, 5, 5),
                        new int[] {3}, null, "nearest", false)).getMessage());
    }

    @Test
    void sizesMustBePositive() {
        assertEquals("upsample_bilinear2d: Input and output sizes should be greater than 0, but got input (H: 5, W: 5)"
                        + " output (H: 0, W: 2)",
                assertThrows(IllegalArgumentException.class, () -> Interpolation.interpolate(NDArray.zeros(1, 1, 5, 5),
                        null, new double[] {0.1, 0.5}, "bilinear", false)).getMessage());
    }

    @Test
    void scaleFactorGivesTheFlooredSize() {
        assertArrayEquals(new int[] {7, 2}, Interpolation.outputSize(Shape.of(1, 1, 5, 5), null, new double[] {1.5, 0.5}));
    }

    @Test
    void alignedCornersKeepTheEndsAndBlendLinearly() {
        // [0, 3] to 4 samples with aligned corners: 0, 1, 2, 3. Without: source x = (o + 0.5) / 2 - 0.5,
        // clamped at 0: 0, 0.25, 0.75, 1 of the way -> 0, 0.75, 2.25, 3.
        NDArray x = NDArray.of(new float[] {0, 3}, 1, 1, 1, 2);
        assertArrayEquals(new float[] {0, 1, 2, 3},
                Interpolation.interpolate(x, new int[] {1, 4}, null, "bilinear", true).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {0, 0.75f, 2.25f, 3},
                Interpolation.interpolate(x, new int[] {1, 4}, null, "bilinear", false).toFloatArray(), 1e-6f);
    }
}
