package org.weft.tensor;

import java.util.Arrays;

/**
 * Resizing {@code [N, C, H, W]} arrays by bilinear interpolation and its gradient, as
 * PyTorch's {@code interpolate(mode="bilinear")} and {@code upsample_bilinear2d}: the checking
 * half, the output size, then the device's kernel.
 */
public final class Interpolation {

    private Interpolation() {
    }

    /**
     * PyTorch's {@code interpolate}: exactly one of {@code size} ({@code (oH, oW)} or one value
     * for both) and {@code scaleFactor} (likewise) is given, the other null. A scale factor gives
     * {@code floor(H * scale)} rows and, as with {@code recompute_scale_factor=None}, is also
     * what maps output rows to source rows (unless {@code alignCorners}). Only
     * {@code mode = "bilinear"} is implemented; other modes are refused by name.
     */
    public static NDArray interpolate(NDArray x, int[] size, double[] scaleFactor, String mode, boolean alignCorners) {
        if (!"bilinear".equals(mode)) {
            throw new IllegalArgumentException("interpolate: mode '" + mode + "' is not implemented; Weft has 'bilinear'");
        }
        int[] out = outputSize(x.shape(), size, scaleFactor);
        double[] scales = scaleFactor == null ? new double[] {0, 0} : pair(scaleFactor);
        return upsampleBilinear2d(x, out[0], out[1], alignCorners, scales[0], scales[1]);
    }

    /**
     * The {@code (oH, oW)} that {@link #interpolate} resizes a {@code [N, C, H, W]} input to,
     * after checking that exactly one of {@code size} and {@code scaleFactor} is given.
     */
    public static int[] outputSize(Shape input, int[] size, double[] scaleFactor) {
        if (input.rank() != 4) {
            throw new IllegalArgumentException("interpolate: bilinear mode needs a 4-d input [N, C, H, W], but got"
                    + " input of size " + input);
        }
        if (size != null && scaleFactor != null) {
            throw new IllegalArgumentException("interpolate: only one of size or scale_factor should be defined");
        }
        if (size == null && scaleFactor == null) {
            throw new IllegalArgumentException("interpolate: either size or scale_factor should be defined");
        }
        if (size != null) {
            return SpatialArgs.pair("interpolate", "size", size);
        }
        double[] s = pair(scaleFactor);
        return new int[] {(int) Math.floor(input.size(2) * s[0]), (int) Math.floor(input.size(3) * s[1])};
    }

    private static double[] pair(double[] scaleFactor) {
        if (scaleFactor.length != 1 && scaleFactor.length != 2) {
            throw new IllegalArgumentException("interpolate: scale_factor must either be a single number, or a tuple of"
                    + " two numbers, but got " + Arrays.toString(scaleFactor));
        }
        return scaleFactor.length == 1 ? new double[] {scaleFactor[0], scaleFactor[0]} : scaleFactor.clone();
    }

    /**
     * Bilinear resize of {@code x} to {@code (outH, outW)}, PyTorch's {@code upsample_bilinear2d}.
     * {@code scaleH}/{@code scaleW} are the user's scale factors, or 0 when the size was given.
     */
    public static NDArray upsampleBilinear2d(NDArray x, int outH, int outW, boolean alignCorners, double scaleH,
                                             double scaleW) {
        String op = "upsample_bilinear2d";
        if (x.dim() != 4) {
            throw new IllegalArgumentException(op + ": expected a 4-d input [N, C, H, W], but got input of size "
                    + x.shape());
        }
        requireSizes(op, x.shape(), outH, outW);
        SpatialArgs.requireFloat(op, "input", x);
        NDArray out = NDArray.zeros(x.dtype(), x.device(), x.size(0), x.size(1), outH, outW);
        x.backend().conv().upsampleBilinear2d(x, alignCorners, scaleH, scaleW, out);
        return out;
    }

    /** The gradient of {@link #upsampleBilinear2d} w.r.t. its input ({@code inputShape}, 4-d). */
    public static NDArray upsampleBilinear2dBackward(NDArray gradOut, Shape inputShape, boolean alignCorners,
                                                     double scaleH, double scaleW) {
        String op = "upsample_bilinear2d backward";
        SpatialArgs.requireFloat(op, "gradient", gradOut);
        if (inputShape.rank() != 4 || gradOut.dim() != 4 || gradOut.size(0) != inputShape.size(0)
                || gradOut.size(1) != inputShape.size(1)) {
            throw new IllegalArgumentException(op + ": expected a 4-d gradient [N, C, oH, oW] for the 4-d input "
                    + inputShape + ", but got " + gradOut.shape());
        }
        requireSizes(op, inputShape, gradOut.size(2), gradOut.size(3));
        NDArray gradIn = NDArray.zeros(gradOut.dtype(), gradOut.device(), inputShape.dims());
        gradOut.backend().conv().upsampleBilinear2dBackward(gradOut, alignCorners, scaleH, scaleW, gradIn);
        return gradIn;
    }

    private static void requireSizes(String op, Shape input, int outH, int outW) {
        if (input.size(2) <= 0 || input.size(3) <= 0 || outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException(op + ": Input and output sizes should be greater than 0, but got input"
                    + " (H: " + input.size(2) + ", W: " + input.size(3) + ") output (H: " + outH + ", W: " + outW + ")");
        }
    }
}
