package org.weft.tensor;

/**
 * The element types of an {@link NDArray}.
 *
 * <p>BF16 and F16 are storage types: arrays of them can be created, saved, loaded and
 * converted with {@link NDArray#to(DType)}, but arithmetic runs in F32 or F64.
 */
public enum DType {
    F32(4, "F32", Kind.FLOAT),
    F64(8, "F64", Kind.FLOAT),
    I64(8, "I64", Kind.INTEGER),
    I32(4, "I32", Kind.INTEGER),
    U8(1, "U8", Kind.INTEGER),
    BOOL(1, "BOOL", Kind.BOOL),
    BF16(2, "BF16", Kind.FLOAT),
    F16(2, "F16", Kind.FLOAT);

    /** The category that drives type promotion: bool < integer < floating point. */
    public enum Kind { BOOL, INTEGER, FLOAT }

    private final int byteSize;
    private final String safetensorsName;
    private final Kind kind;

    DType(int byteSize, String safetensorsName, Kind kind) {
        this.byteSize = byteSize;
        this.safetensorsName = safetensorsName;
        this.kind = kind;
    }

    public int byteSize() {
        return byteSize;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isFloatingPoint() {
        return kind == Kind.FLOAT;
    }

    /** Whether kernels compute in this type, rather than only store it. */
    public boolean isComputeType() {
        return this != BF16 && this != F16;
    }

    /** The name used in safetensors headers ("F32", "I64", ...). */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** The dtype of a safetensors header name, or an error naming the supported ones. */
    public static DType fromSafetensorsName(String name) {
        for (DType t : values()) {
            if (t.safetensorsName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported safetensors dtype '" + name
                + "'; expected one of F32, F64, I64, I32, U8, BOOL, BF16, F16");
    }

    /**
     * The dtype both operands are converted to before a binary op, as PyTorch promotes two
     * tensors: the higher category wins; within floating point the wider type; within
     * integers the wider type (U8 with a signed type gives the signed one).
     */
    public static DType promote(DType a, DType b) {
        if (a == b) {
            return a;
        }
        if (a.kind != b.kind) {
            return a.kind.compareTo(b.kind) > 0 ? a : b;
        }
        return switch (a.kind) {
            case BOOL -> BOOL;
            case INTEGER -> rank(a) >= rank(b) ? a : b;
            case FLOAT -> {
                if (a == F64 || b == F64) {
                    yield F64;
                }
                // BF16 with F16 has no common 16-bit type; PyTorch gives F32, and so do we.
                yield (a == F32 || b == F32 || a != b) ? F32 : a;
            }
        };
    }

    /**
     * Whether an in-place op may write a result of dtype {@code from} into an array of
     * {@code to}, as {@code torch.can_cast}: never floating point into integers or bool, nor
     * integers into bool. (Explicit conversion with {@code to} or {@code copy_} allows any.)
     */
    public static boolean canCast(DType from, DType to) {
        return from.kind.compareTo(to.kind) <= 0;
    }

    private static int rank(DType t) {
        return switch (t) {
            case U8 -> 0;
            case I32 -> 1;
            case I64 -> 2;
            default -> throw new AssertionError(t);
        };
    }
}
