package org.weft.tensor.cuda;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Kernel arguments packed as {@code cuLaunchKernel} wants them: an array of pointers, the
 * k-th pointing at the value of the kernel's k-th parameter.
 *
 * <p>Java types map to C parameter types: Integer to {@code int}, Long to {@code long long},
 * Float to {@code float}, Double to {@code double}, Boolean to {@code bool}, a
 * {@link DevicePointer} or {@link CudaStorage} to {@code T*}, a {@code byte[]} or
 * {@link ByteBuffer} to a struct passed by value (its bytes in the struct's layout, which
 * native/ABI.md fixes). The values are copied: the caller may change its objects at once.
 */
final class KernelArgs implements AutoCloseable {

    private final PointerPointer<Pointer> pointers;
    private final List<Pointer> values;

    private KernelArgs(PointerPointer<Pointer> pointers, List<Pointer> values) {
        this.pointers = pointers;
        this.values = values;
    }

    static KernelArgs pack(Object... args) {
        List<Pointer> values = new ArrayList<>(args.length);
        try {
            for (int i = 0; i < args.length; i++) {
                values.add(value(i, args[i]));
            }
        } catch (RuntimeException e) {
            values.forEach(Pointer::close);
            throw e;
        }
        PointerPointer<Pointer> pp = new PointerPointer<>(Math.max(1, args.length));
        for (int i = 0; i < values.size(); i++) {
            pp.put(i, values.get(i));
        }
        return new KernelArgs(pp, values);
    }

    private static Pointer value(int index, Object a) {
        if (a instanceof Integer v) {
            return new IntPointer(1).put(v.intValue());
        } else if (a instanceof Long v) {
            return new LongPointer(1).put(v.longValue());
        } else if (a instanceof Float v) {
            return new FloatPointer(1).put(v.floatValue());
        } else if (a instanceof Double v) {
            return new DoublePointer(1).put(v.doubleValue());
        } else if (a instanceof Boolean v) {
            return new BytePointer(1).put((byte) (v ? 1 : 0));
        } else if (a instanceof DevicePointer p) {
            return new LongPointer(1).put(p.address());
        } else if (a instanceof CudaStorage s) {
            return new LongPointer(1).put(s.address());
        } else if (a instanceof byte[] struct) {
            return new BytePointer(Math.max(1, struct.length)).put(struct);
        } else if (a instanceof ByteBuffer struct) {
            byte[] b = new byte[struct.remaining()];
            struct.duplicate().get(b);
            return new BytePointer(Math.max(1, b.length)).put(b);
        }
        throw new IllegalArgumentException("kernel argument " + index + ": cannot pass "
                + (a == null ? "null" : a.getClass().getName()) + "; pass Integer, Long, Float, Double, Boolean,"
                + " DevicePointer, CudaStorage, or byte[] / ByteBuffer for a struct by value");
    }

    /** The array of argument pointers, for cuLaunchKernel's kernelParams. */
    PointerPointer<Pointer> pointers() {
        return pointers;
    }

    int count() {
        return values.size();
    }

    /** Frees the copies; only after the launch call returned (the driver copies them at launch). */
    @Override
    public void close() {
        values.forEach(Pointer::close);
        pointers.close();
    }
}
