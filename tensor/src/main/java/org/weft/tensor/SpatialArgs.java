package org.weft.tensor;

import java.util.Arrays;

/** The argument checks that convolution, pooling and interpolation share. */
final class SpatialArgs {

    private SpatialArgs() {
    }

    /** A (height, width) pair from one value for both or two values, as PyTorch's int-or-tuple arguments. */
    static int[] pair(String op, String name, int[] v) {
        if (v == null || (v.length != 1 && v.length != 2)) {
            throw new IllegalArgumentException(op + ": " + name + " must either be a single int, or a tuple of two ints,"
                    + " but got " + Arrays.toString(v));
        }
        return v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
    }

    /** The kernels exist for F32 and F64; other dtypes are refused by name. */
    static void requireFloat(String op, String what, NDArray a) {
        if (a.dtype() != DType.F32 && a.dtype() != DType.F64) {
            throw new IllegalArgumentException(op + ": expected " + what + " of dtype F32 or F64, but got " + a.dtype());
        }
    }

    static void requireSameDtype(String op, String whatA, NDArray a, String whatB, NDArray b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": expected " + whatA + " and " + whatB + " to have the same dtype,"
                    + " but got " + whatA + " " + a.dtype() + " and " + whatB + " " + b.dtype());
        }
        NDArray.requireSameDevice(op, a, b);
    }
}
