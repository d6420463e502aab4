package org.weft.nn.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.weft.tensor.NDArray;

/**
 * Reads PyTorch {@code .pth}/{@code .pt} files, the zip archives {@code torch.save} writes,
 * without Python: state dicts and the checkpoints that wrap them.
 *
 * <p>Tensors come back as {@link NDArray} views over their storages with PyTorch's offsets
 * and strides, in the saved dtype (F32, F64, F16, BF16, I64, I32, U8, BOOL); tensors that
 * shared a storage when saved share it here.
 */
public final class PthReader {

    /** Where checkpoints usually keep the model's weights, most likely first. */
    private static final List<String> STATE_DICT_KEYS =
            List.of("state_dict", "model_state_dict", "model", "module", "net", "network");

    private PthReader() {
    }

    /**
     * The whole saved object: maps for dicts (with their keys as saved), lists for lists and
     * tuples, {@link NDArray} for tensors, Long/Double/Boolean/String/null for scalars, and
     * {@link PythonObject} for instances of other classes.
     */
    public static Object read(Path path) throws IOException {
        try (PthArchive archive = PthArchive.open(path)) {
            return Unpickler.load(archive.pickleSource(), archive.pickle(), new TorchObjects(archive));
        }
    }

    /**
     * The state dict in {@code path}: the saved object itself if it is a map of names to
     * tensors, or else the one such map among its entries (a checkpoint
     * {@code {"epoch": 3, "state_dict": ...}}, timm's {@code {"model": ...}}). Where there
     * are several, the one under "state_dict", "model_state_dict", "model", "module", "net"
     * or "network" wins, in that order; otherwise the error lists them so the caller can
     * pick one with {@link #stateDict(Path, String)}.
     */
    public static Map<String, NDArray> stateDict(Path path) throws IOException {
        Object root = read(path);
        Map<String, NDArray> direct = asTensorMap(root);
        if (direct != null) {
            return direct;
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new CheckpointFormatException(path + ": holds " + describeRoot(root)
                    + ", not a state dict (a dict of names to tensors)" + hintForObject(root));
        }
        Map<String, Map<String, NDArray>> found = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Map<String, NDArray> tensors = asTensorMap(e.getValue());
            if (tensors != null && e.getKey() instanceof String key) {
                found.put(key, tensors);
            }
        }
        if (found.size() == 1) {
            return found.values().iterator().next();
        }
        for (String key : STATE_DICT_KEYS) {
            if (found.containsKey(key)) {
                return found.get(key);
            }
        }
        if (found.isEmpty()) {
            throw new CheckpointFormatException(path + ": no state dict found: the file holds a dict with keys "
                    + keysOf(map) + " and none of them is a dict of names to tensors");
        }
        throw new CheckpointFormatException(path + ": several state dicts found, under keys " + found.keySet()
                + "; name the one to read (PthReader.stateDict(path, key), or weft convert --key KEY)");
    }

    /** The state dict under top-level key {@code key} of a checkpoint. */
    public static Map<String, NDArray> stateDict(Path path, String key) throws IOException {
        Object root = read(path);
        if (!(root instanceof Map<?, ?> map)) {
            throw new CheckpointFormatException(path + ": holds " + describeRoot(root) + ", not a dict with key '"
                    + key + "'");
        }
        if (!map.containsKey(key)) {
            throw new CheckpointFormatException(path + ": no key '" + key + "'; the file's keys are " + keysOf(map));
        }
        Map<String, NDArray> tensors = asTensorMap(map.get(key));
        if (tensors == null) {
            throw new CheckpointFormatException(path + ": '" + key + "' holds " + describeRoot(map.get(key))
                    + ", not a dict of names to tensors");
        }
        return tensors;
    }

    /** The map as names to tensors if every key is a string and every value a tensor; else null. */
    private static Map<String, NDArray> asTensorMap(Object o) {
        if (!(o instanceof Map<?, ?> map) || map.isEmpty()) {
            return null;
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key) || !(e.getValue() instanceof NDArray t)) {
                return null;
            }
            out.put(key, t);
        }
        return out;
    }

    private static List<String> keysOf(Map<?, ?> map) {
        List<String> keys = new ArrayList<>();
        for (Object k : map.keySet()) {
            keys.add(String.valueOf(k));
        }
        return keys;
    }

    private static String describeRoot(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Map<?, ?> m) {
            return m.isEmpty() ? "an empty dict" : "a dict with keys " + keysOf(m);
        }
        if (o instanceof List<?> l) {
            return "a list or tuple of " + l.size();
        }
        if (o instanceof NDArray a) {
            return "a single tensor of shape " + a.shape();
        }
        return o instanceof PythonObject p ? "a Python object of class " + p.className() : o.getClass().getSimpleName();
    }

    /** A pickled object at the top is most often a whole module saved instead of its weights. */
    private static String hintForObject(Object o) {
        return o instanceof PythonObject
                ? " (a whole model saved with torch.save(model)? save model.state_dict() instead)" : "";
    }
}
