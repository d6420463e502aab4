package org.weft.tensor.cuda;

import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/** How device arrays appear in launches: their pointers, and the suffixes of kernel names. */
final class Operands {

    private Operands() {
    }

    /**
     * The address of {@code a}'s first element: the storage's address plus the array's offset
     * in bytes (kernels never see offsets, ABI.md).
     */
    static DevicePointer pointer(NDArray a) {
        CudaStorage s = (CudaStorage) a.storage();
        return new DevicePointer(s.address() + (long) a.offset() * a.dtype().byteSize());
    }

    /** The null pointer of an absent optional operand. */
    static DevicePointer none() {
        return new DevicePointer(0);
    }

    /** The dtype part of a kernel name ({@code f32}, {@code i64}, ...); null for F16, which has no kernels. */
    static String suffix(DType t) {
        return switch (t) {
            case F32 -> "f32";
            case F64 -> "f64";
            case BF16 -> "bf16";
            case I64 -> "i64";
            case I32 -> "i32";
            case U8 -> "u8";
            case BOOL -> "bool";
            case F16 -> null;
        };
    }

    /** The element-width part of the names of kernels that move bits ({@code b1 b2 b4 b8}). */
    static String width(DType t) {
        return "b" + t.byteSize();
    }

    /** "F32 [3, 4]", for error messages. */
    static String describe(NDArray a) {
        return a.dtype() + " " + a.shape();
    }

    /** Returns a scratch array's device memory to the allocator (its launches are already queued). */
    static void release(NDArray scratch) {
        ((CudaStorage) scratch.storage()).release();
    }
}
