package org.weft.tensor.cuda;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * Compiles CUDA C++ to machine code at run time: the fallback when the build carried no
 * fatbin, and compiled for exactly the GPU at hand.
 */
final class Nvrtc {

    private Nvrtc() {
    }

    /** The options every kernel is compiled with; no fast-math, so results match the CPU reference. */
    static List<String> options(String arch) {
        return List.of("--gpu-architecture=" + arch, "-std=c++17", "-lineinfo");
    }

    /**
     * Compiles {@code source} (named {@code name} in messages) for {@code arch} ("sm_90") and
     * returns the cubin. {@code headers} maps include names to their text, for
     * {@code #include "name"} in the source.
     */
    static byte[] compile(String name, String source, Map<String, String> headers, String arch) {
        _nvrtcProgram program = new _nvrtcProgram();
        String[] includeNames = headers.keySet().toArray(new String[0]);
        String[] headerTexts = new String[includeNames.length];
        for (int i = 0; i < includeNames.length; i++) {
            headerTexts[i] = headers.get(includeNames[i]);
        }
        List<String> options = options(arch);
        try (PointerPointer<BytePointer> texts = new PointerPointer<>(headerTexts);
             PointerPointer<BytePointer> names = new PointerPointer<>(includeNames);
             PointerPointer<BytePointer> opts = new PointerPointer<>(options.toArray(new String[0]))) {
            check(nvrtc.nvrtcCreateProgram(program, new BytePointer(source, StandardCharsets.UTF_8),
                    new BytePointer(name, StandardCharsets.UTF_8),
                    includeNames.length, texts, names), "nvrtcCreateProgram", name, arch, "");
            try {
                int rc = nvrtc.nvrtcCompileProgram(program, options.size(), opts);
                if (rc != 0) {
                    check(rc, "nvrtcCompileProgram", name, arch, log(program));
                }
                try (SizeTPointer size = new SizeTPointer(1)) {
                    check(nvrtc.nvrtcGetCUBINSize(program, size), "nvrtcGetCUBINSize", name, arch, "");
                    byte[] cubin = new byte[(int) size.get()];
                    check(nvrtc.nvrtcGetCUBIN(program, cubin), "nvrtcGetCUBIN", name, arch, "");
                    return cubin;
                }
            } finally {
                nvrtc.nvrtcDestroyProgram(program);
            }
        }
    }

    private static String log(_nvrtcProgram program) {
        try (SizeTPointer size = new SizeTPointer(1)) {
            if (nvrtc.nvrtcGetProgramLogSize(program, size) != 0 || size.get() <= 1) {
                return "";
            }
            byte[] text = new byte[(int) size.get()];
            nvrtc.nvrtcGetProgramLog(program, text);
            return new String(text, 0, text.length - 1, StandardCharsets.UTF_8);
        }
    }

    private static void check(int rc, String call, String name, String arch, String log) {
        if (rc != 0) {
            throw new CudaException(message(call, name, arch, nvrtc.nvrtcGetErrorString(rc).getString(), log), rc);
        }
    }

    /** The error message: which file, for which GPU, the NVRTC error and the compiler's log. */
    static String message(String call, String name, String arch, String error, String log) {
        String m = call + " failed for " + name + " (" + arch + "): " + error;
        return log == null || log.isBlank() ? m : m + "\ncompile log:\n" + log.strip();
    }
}
