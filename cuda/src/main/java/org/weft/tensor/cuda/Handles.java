package org.weft.tensor.cuda;

import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.Pointer;

/**
 * Driver handles as plain numbers and back: the allocator and the launch code keep streams
 * and events as {@code long}s, the bindings want typed pointers.
 */
final class Handles {

    private Handles() {
    }

    /** A pointer whose address is {@code value}: also how the driver API passes small integers as {@code void*}. */
    static Pointer pointer(long value) {
        return new Pointer() {
            {
                address = value;
            }
        };
    }

    /** The stream with this handle; null (the legacy default stream) for 0. */
    static CUstream_st stream(long handle) {
        return handle == 0 ? null : new CUstream_st(pointer(handle));
    }
}
