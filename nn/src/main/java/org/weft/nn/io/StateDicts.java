package org.weft.nn.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.weft.autograd.Tensor;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.io.SafeTensors;

/**
 * Loading and saving state dicts, whatever file they come in:
 * {@code model.loadStateDict(StateDicts.load(path), true)} reads safetensors or a PyTorch
 * {@code .pth}, and {@link #save} writes safetensors.
 *
 * <p>The format is told by the file's first bytes, not its name, so a safetensors file
 * named {@code .bin} still loads; the name only picks which reader explains an unreadable file.
 */
public final class StateDicts {

    /** The file formats Weft reads weights from. */
    public enum Format { SAFETENSORS, PTH }

    private StateDicts() {
    }

    /** The state dict in {@code path} (see {@link PthReader#stateDict(Path)} for checkpoints), as tensors. */
    public static Map<String, Tensor> load(Path path) throws IOException {
        return toTensors(loadArrays(path));
    }

    /** The state dict in {@code path} as arrays, in the dtypes saved. */
    public static Map<String, NDArray> loadArrays(Path path) throws IOException {
        return switch (detect(path)) {
            case SAFETENSORS -> SafeTensors.read(path);
            case PTH -> PthReader.stateDict(path);
        };
    }

    /** Writes {@code state} as safetensors, atomically replacing {@code path}. */
    public static void save(Path path, Map<String, Tensor> state) throws IOException {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".pth") || name.endsWith(".pt")) {
            throw new IllegalArgumentException(path + ": Weft writes state dicts as safetensors only (torch reads"
                    + " them with safetensors.torch.load_file); name the file .safetensors");
        }
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        state.forEach((k, t) -> arrays.put(k, t.data()));
        SafeTensors.write(path, arrays);
    }

    /** The format of {@code path}, from its first bytes, or its extension when those say nothing. */
    public static Format detect(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new java.nio.file.NoSuchFileException(path.toString(), null, "no such weights file");
        }
        byte[] head = new byte[9];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return Format.PTH;
        }
        // safetensors first: its 8-byte header length can begin with any byte, 0x80 included,
        // while a pickle's second byte is its protocol number, never followed by '{' at byte 8
        // in the files torch writes.
        if (n == 9 && head[8] == '{') {
            return Format.SAFETENSORS;
        }
        if (n >= 1 && (head[0] & 0xff) == 0x80) {
            return Format.PTH; // a bare pickle: the legacy torch format, which PthReader explains
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".safetensors")) {
            return Format.SAFETENSORS;
        }
        if (name.endsWith(".pth") || name.endsWith(".pt") || name.endsWith(".ckpt") || name.endsWith(".bin")) {
            return Format.PTH;
        }
        throw new CheckpointFormatException(path + ": neither a safetensors file nor a PyTorch zip archive"
                + " (the first bytes match neither format)");
    }

    /**
     * The same state with F16 and BF16 tensors widened to F32 (exactly: every half value is
     * an F32 value) and the others as they are.
     */
    public static Map<String, NDArray> halfToF32(Map<String, NDArray> state) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        state.forEach((k, a) -> out.put(k, a.dtype() == DType.F16 || a.dtype() == DType.BF16 ? a.to(DType.F32) : a));
        return out;
    }

    /** Wraps arrays as tensors that require no gradient. */
    public static Map<String, Tensor> toTensors(Map<String, NDArray> arrays) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        arrays.forEach((k, a) -> out.put(k, Tensor.of(a)));
        return out;
    }
}
