package org.weft.nn.io;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.weft.nn.io.Unpickler.Global;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.Shape;
import org.weft.tensor.cpu.CpuStorage;

/**
 * What the calls in a {@code torch.save} pickle mean: persistent ids load storages from the
 * archive, {@code torch._utils._rebuild_tensor_v2} makes a view (offset, sizes, strides) over
 * one, {@code collections.OrderedDict} makes a map, and any other class becomes a
 * {@link PythonObject} that is kept by name.
 *
 * <p>A storage is read once per key, so tensors that share one (a tensor and its transpose,
 * two slices of a buffer) share it here too, as after {@code torch.load}.
 */
final class TorchObjects implements Unpickler.Resolver {

    private final PthArchive archive;
    private final Map<String, CpuStorage> storages = new HashMap<>();

    TorchObjects(PthArchive archive) {
        this.archive = archive;
    }

    @Override
    public Object reduce(Object callable, List<Object> args, long offset) throws CheckpointFormatException {
        Global g = global(callable, "REDUCE", offset);
        switch (g.toString()) {
            case "collections.OrderedDict" -> {
                return new LinkedHashMap<Object, Object>();
            }
            case "torch._utils._rebuild_tensor_v2" -> {
                return rebuildTensor(args, offset);
            }
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                // (data, requires_grad, backward_hooks[, state]): a Parameter is its data here.
                if (args.isEmpty() || !(args.get(0) instanceof NDArray)) {
                    throw error(offset, g + " expects a tensor first, got " + args);
                }
                return args.get(0);
            }
            default -> {
                if (g.module().startsWith("torch") && g.name().startsWith("_rebuild")) {
                    throw error(offset, "tensors rebuilt by " + g + " (quantized, sparse or subclassed tensors)"
                            + " are not supported; Weft reads dense tensors saved from torch.Tensor and nn.Parameter");
                }
                return new PythonObject(g.toString(), args);
            }
        }
    }

    @Override
    public Object newObject(Object cls, List<Object> args, long offset) throws CheckpointFormatException {
        return new PythonObject(global(cls, "NEWOBJ", offset).toString(), args);
    }

    @Override
    public void build(Object obj, Object state, long offset) throws CheckpointFormatException {
        if (obj instanceof PythonObject p) {
            p.setState(state);
        } else if (!(obj instanceof Map) && !(obj instanceof NDArray)) {
            // A map's state is an OrderedDict's _metadata (module versions) and a tensor's is
            // Python attributes set on it; neither changes the values.
            throw error(offset, "BUILD on " + Unpickler.describe(obj));
        }
    }

    /** ('storage', storage_type, key, location, numel) -> the storage read from data/key. */
    @Override
    public Object persistentLoad(Object id, long offset) throws CheckpointFormatException {
        if (!(id instanceof List<?> t) || t.size() != 5 || !"storage".equals(t.get(0))
                || !(t.get(1) instanceof Global type) || !(t.get(2) instanceof String key)
                || !(t.get(4) instanceof Long numel)) {
            throw error(offset, "expected a persistent id ('storage', storage_type, key, location, numel), got "
                    + Unpickler.describe(id));
        }
        DType dtype = storageType(type, offset);
        CpuStorage s = storages.get(key);
        if (s == null) {
            try {
                s = archive.storage(key, dtype, numel);
            } catch (CheckpointFormatException e) {
                throw e;
            } catch (IOException e) {
                throw new CheckpointFormatException(archive.path() + ": cannot read storage '" + key + "': " + e);
            }
            storages.put(key, s);
        } else if (s.dtype() != dtype) {
            throw error(offset, "storage '" + key + "' is read as both " + s.dtype() + " and " + dtype);
        }
        return s;
    }

    private DType storageType(Global type, long offset) throws CheckpointFormatException {
        if (type.module().equals("torch")) {
            switch (type.name()) {
                case "FloatStorage": return DType.F32;
                case "DoubleStorage": return DType.F64;
                case "HalfStorage": return DType.F16;
                case "BFloat16Storage": return DType.BF16;
                case "LongStorage": return DType.I64;
                case "IntStorage": return DType.I32;
                case "ByteStorage": return DType.U8;
                case "BoolStorage": return DType.BOOL;
                default: break;
            }
        }
        throw error(offset, "storage type " + type + " is not supported; Weft reads Float, Double, Half, BFloat16,"
                + " Long, Int, Byte and Bool storages");
    }

    /** _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]). */
    private NDArray rebuildTensor(List<Object> args, long offset) throws CheckpointFormatException {
        if (args.size() < 4 || !(args.get(0) instanceof CpuStorage storage) || !(args.get(1) instanceof Long start)
                || !(args.get(2) instanceof List<?> size) || !(args.get(3) instanceof List<?> stride)
                || size.size() != stride.size()) {
            throw error(offset, "_rebuild_tensor_v2 expects (storage, offset, size, stride, ...), got " + args);
        }
        int[] dims = ints(size, "size", offset);
        int[] strides = ints(stride, "stride", offset);
        long last = start;
        boolean empty = false;
        for (int i = 0; i < dims.length; i++) {
            last += (long) (dims[i] - 1) * strides[i];
            empty |= dims[i] == 0;
        }
        if (start < 0 || (!empty && last >= storage.length())) {
            throw error(offset, "a tensor of size " + Arrays.toString(dims) + ", stride " + Arrays.toString(strides)
                    + " at offset " + start + " reaches past its storage of " + storage.length() + " elements");
        }
        return NDArray.fromStorage(storage, new Shape(dims), strides, empty ? 0 : (int) (long) start);
    }

    private int[] ints(List<?> values, String what, long offset) throws CheckpointFormatException {
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(values.get(i) instanceof Long v) || v < 0 || v > Integer.MAX_VALUE) {
                throw error(offset, "tensor " + what + " " + values + " must hold integers from 0 to "
                        + Integer.MAX_VALUE);
            }
            out[i] = (int) (long) v;
        }
        return out;
    }

    private Global global(Object o, String op, long offset) throws CheckpointFormatException {
        if (!(o instanceof Global g)) {
            throw error(offset, op + " needs a class or function, got " + Unpickler.describe(o));
        }
        return g;
    }

    private CheckpointFormatException error(long offset, String what) {
        return new CheckpointFormatException(archive.pickleSource() + ": byte " + offset + ": " + what);
    }
}
