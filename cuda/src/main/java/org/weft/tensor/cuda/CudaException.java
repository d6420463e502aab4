package org.weft.tensor.cuda;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.cuda.global.cudart;

/**
 * A CUDA driver call that failed: the message names the Weft operation, what it was doing
 * (the kernel, the shapes) and the driver's error name and description, for example
 * {@code "cuLaunchKernel failed in relu (kernel weft_relu_f32, x [64, 128]): CUDA_ERROR_INVALID_VALUE (invalid argument)"}.
 */
public final class CudaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int code;

    CudaException(String message, int code) {
        super(message);
        this.code = code;
    }

    /** The driver's CUresult. */
    public int code() {
        return code;
    }

    /** Throws unless {@code result} is CUDA_SUCCESS; {@code call} is the driver function. */
    static void check(int result, String call) {
        if (result != 0) {
            throw new CudaException(message(call, null, errorName(result), errorString(result)), result);
        }
    }

    /** As {@link #check(int, String)}, with what Weft was doing: op, kernel and shapes. */
    static void check(int result, String call, String context) {
        if (result != 0) {
            throw new CudaException(message(call, context, errorName(result), errorString(result)), result);
        }
    }

    /** The message, separate from the driver so that its form can be tested without a GPU. */
    static String message(String call, String context, String errorName, String errorString) {
        StringBuilder sb = new StringBuilder(call).append(" failed");
        if (context != null && !context.isEmpty()) {
            sb.append(" in ").append(context);
        }
        return sb.append(": ").append(errorName).append(" (").append(errorString).append(')').toString();
    }

    private static String errorName(int result) {
        // The driver points p at a static string of its own: nothing to free.
        BytePointer p = new BytePointer();
        return cudart.cuGetErrorName(result, p) == 0 && !p.isNull() ? p.getString() : "CUresult " + result;
    }

    private static String errorString(int result) {
        BytePointer p = new BytePointer();
        return cudart.cuGetErrorString(result, p) == 0 && !p.isNull() ? p.getString() : "unknown error";
    }
}
