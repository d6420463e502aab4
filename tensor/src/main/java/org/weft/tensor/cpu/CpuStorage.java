package org.weft.tensor.cpu;

import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.Storage;

/**
 * Host storage: one Java primitive array per buffer (float[] for F32, double[] for F64,
 * long[] for I64, int[] for I32, byte[] for U8 and BOOL, short[] for the bit patterns of BF16
 * and F16).
 *
 * <p>Kernels take the typed array once and loop over it; the per-element accessors
 * ({@link #getDouble}, {@link #setDouble}, ...) are for code that is not hot.
 */
public final class CpuStorage extends Storage {

    private final Object array;

    public CpuStorage(DType dtype, int length) {
        super(dtype, length);
        this.array = switch (dtype) {
            case F32 -> new float[length];
            case F64 -> new double[length];
            case I64 -> new long[length];
            case I32 -> new int[length];
            case U8, BOOL -> new byte[length];
            case BF16, F16 -> new short[length];
        };
    }

    /** Wraps an existing array without copying; its type must match the dtype. */
    public CpuStorage(DType dtype, Object array) {
        super(dtype, lengthOf(dtype, array));
        this.array = array;
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    /** The backing array: cast it to the type the dtype names. */
    public Object array() {
        return array;
    }

    public float[] floats() {
        return (float[]) array;
    }

    public double[] doubles() {
        return (double[]) array;
    }

    public long[] longs() {
        return (long[]) array;
    }

    public int[] ints() {
        return (int[]) array;
    }

    public byte[] bytes() {
        return (byte[]) array;
    }

    public short[] shorts() {
        return (short[]) array;
    }

    /** Element {@code i} as a double; integers convert exactly up to 2^53. */
    public double getDouble(int i) {
        return switch (dtype()) {
            case F32 -> floats()[i];
            case F64 -> doubles()[i];
            case I64 -> longs()[i];
            case I32 -> ints()[i];
            case U8 -> bytes()[i] & 0xFF;
            case BOOL -> bytes()[i] != 0 ? 1 : 0;
            case BF16 -> HalfFloats.bf16ToFloat(shorts()[i]);
            case F16 -> HalfFloats.f16ToFloat(shorts()[i]);
        };
    }

    /** Element {@code i} as a long; floating values truncate toward zero, as a C cast does. */
    public long getLong(int i) {
        return switch (dtype()) {
            case I64 -> longs()[i];
            case I32 -> ints()[i];
            case U8 -> bytes()[i] & 0xFF;
            case BOOL -> bytes()[i] != 0 ? 1 : 0;
            default -> (long) getDouble(i);
        };
    }

    /** Stores {@code v} converted to this dtype (rounded to nearest for floats, truncated for integers). */
    public void setDouble(int i, double v) {
        switch (dtype()) {
            case F32 -> floats()[i] = (float) v;
            case F64 -> doubles()[i] = v;
            case I64 -> longs()[i] = (long) v;
            case I32 -> ints()[i] = (int) (long) v;
            case U8 -> bytes()[i] = (byte) (long) v;
            case BOOL -> bytes()[i] = (byte) (v != 0 ? 1 : 0);
            case BF16 -> shorts()[i] = HalfFloats.floatToBf16((float) v);
            case F16 -> shorts()[i] = HalfFloats.floatToF16((float) v);
        }
    }

    /**
     * Stores {@code v} converted to this dtype: exact for every integer dtype (wrapping into
     * the narrower ones), rounded once to nearest for the float types, as C++ converts. Going
     * through {@link #setDouble} would round twice above 2^53: 2^60 + 2^36 + 1 becomes
     * 2^60 + 2^36 in double, a tie that F32 then rounds down to 2^60 instead of up.
     */
    public void setLong(int i, long v) {
        switch (dtype()) {
            case I64 -> longs()[i] = v;
            case I32 -> ints()[i] = (int) v;
            case U8 -> bytes()[i] = (byte) v;
            case BOOL -> bytes()[i] = (byte) (v != 0 ? 1 : 0);
            case F32 -> floats()[i] = v;
            case F64 -> doubles()[i] = v;
            case BF16 -> shorts()[i] = HalfFloats.floatToBf16(v);
            case F16 -> shorts()[i] = HalfFloats.floatToF16(v);
        }
    }

    private static int lengthOf(DType dtype, Object array) {
        boolean ok = switch (dtype) {
            case F32 -> array instanceof float[];
            case F64 -> array instanceof double[];
            case I64 -> array instanceof long[];
            case I32 -> array instanceof int[];
            case U8, BOOL -> array instanceof byte[];
            case BF16, F16 -> array instanceof short[];
        };
        if (!ok) {
            throw new IllegalArgumentException("a " + array.getClass().getSimpleName()
                    + " cannot back a " + dtype + " storage");
        }
        return java.lang.reflect.Array.getLength(array);
    }
}
