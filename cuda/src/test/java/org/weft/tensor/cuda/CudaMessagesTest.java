package org.weft.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The error messages of driver, launch and NVRTC failures name what a reader needs. */
class CudaMessagesTest {

    @Test
    void aDriverErrorNamesTheCallWhatWeftWasDoingAndTheError() {
        assertEquals("cuLaunchKernel failed in relu of x [64, 128] F32, kernel weft_relu_f32, grid (32, 1, 1),"
                        + " block (256, 1, 1), 0 shared bytes, 3 arguments: CUDA_ERROR_INVALID_VALUE (invalid argument)",
                CudaException.message("cuLaunchKernel",
                        describeLaunch("relu of x [64, 128] F32", "weft_relu_f32", Dim3.of(32), Dim3.of(256), 0, 3),
                        "CUDA_ERROR_INVALID_VALUE", "invalid argument"));
        assertEquals("cuCtxSynchronize failed: CUDA_ERROR_ILLEGAL_ADDRESS (an illegal memory access was encountered)",
                CudaException.message("cuCtxSynchronize", null, "CUDA_ERROR_ILLEGAL_ADDRESS",
                        "an illegal memory access was encountered"));
    }

    @Test
    void aCompileErrorCarriesTheCompilerLog() {
        String m = Nvrtc.message("nvrtcCompileProgram", "relu.cu", "sm_90", "NVRTC_ERROR_COMPILATION",
                "relu.cu(3): error: identifier \"y\" is undefined\n\n1 error detected\n");
        assertEquals("nvrtcCompileProgram failed for relu.cu (sm_90): NVRTC_ERROR_COMPILATION\ncompile log:\n"
                + "relu.cu(3): error: identifier \"y\" is undefined\n\n1 error detected", m);
        assertEquals("nvrtcGetCUBIN failed for a.cu (sm_80): NVRTC_ERROR_INVALID_INPUT",
                Nvrtc.message("nvrtcGetCUBIN", "a.cu", "sm_80", "NVRTC_ERROR_INVALID_INPUT", ""));
        assertEquals(java.util.List.of("--gpu-architecture=sm_90", "-std=c++17", "-lineinfo"), Nvrtc.options("sm_90"));
    }

    @Test
    void launchDimensionsMustBePositiveAndGridsCoverEveryElement() {
        assertEquals(Dim3.of(4), Dim3.blocksFor(1000, 256));
        assertEquals(Dim3.of(1), Dim3.blocksFor(0, 256));
        var e = assertThrows(IllegalArgumentException.class, () -> new Dim3(0, 1, 1));
        assertTrue(e.getMessage().contains("(0, 1, 1)"), e.getMessage());
    }

    @Test
    void byteSizesReadAsPeopleWriteThem() {
        assertEquals("512 bytes", ByteSizes.format(512));
        assertEquals("1.50 KiB", ByteSizes.format(1536));
        assertEquals("6.00 MiB", ByteSizes.format(6L << 20));
        assertEquals("79.65 GiB", ByteSizes.format(85_520_809_984L));
    }

    /** The launch description CudaKernel puts in its errors, built without a loaded kernel. */
    private static String describeLaunch(String what, String kernel, Dim3 grid, Dim3 block, int shared, int args) {
        return new CudaKernel(null, null, kernel).describe(what, grid, block, shared, args);
    }
}
