package org.weft.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.weft.tensor.backend.Backend;
import org.weft.tensor.backend.Backends;
import org.weft.tensor.backend.BinaryOp;
import org.weft.tensor.backend.CompareOp;
import org.weft.tensor.backend.UnaryOp;
import org.weft.tensor.cpu.CpuStorage;
import org.weft.tensor.random.Generator;

/**
 * A strided n-dimensional array: a {@link Storage} seen through a shape, strides and an
 * offset. Element {@code (i0, i1, ...)} lives at {@code offset + i0*strides[0] + i1*strides[1] + ...}.
 *
 * <p>Views (reshape of a contiguous array, transpose, permute, narrow, slice, select, expand,
 * squeeze, unsqueeze) share the storage and only compute new strides. Ops check their
 * arguments, allocate a result and hand the work to the device's {@link Backend}. This class
 * knows nothing of gradients; {@code org.weft.autograd.Tensor} wraps it for that.
 */
public final class NDArray {

    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;

    private NDArray(Storage storage, int[] shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    /**
     * An array over existing storage; for backends and I/O. The caller guarantees that every
     * element the shape and strides reach lies inside the storage.
     */
    public static NDArray fromStorage(Storage storage, Shape shape, int[] strides, int offset) {
        int[] dims = shape.dims();
        if (strides.length != dims.length) {
            throw new IllegalArgumentException("strides " + Arrays.toString(strides)
                    + " do not match shape " + shape);
        }
        return new NDArray(storage, dims, strides.clone(), offset);
    }

    // ---------------------------------------------------------------- metadata

    /** The element type, as {@code tensor.dtype}. */
    public DType dtype() {
        return storage.dtype();
    }

    /** Where the elements live, as {@code tensor.device}. */
    public Device device() {
        return storage.device();
    }

    /** The storage the elements are read from (shared by views). */
    public Storage storage() {
        return storage;
    }

    /** The kernels of this array's device. */
    public Backend backend() {
        return Backends.of(storage.device());
    }

    /** The sizes of the dimensions, as {@code tensor.shape}. */
    public Shape shape() {
        return new Shape(shape);
    }

    /** The sizes of the dimensions, as a fresh array. */
    public int[] dims() {
        return shape.clone();
    }

    /** The number of dimensions. */
    public int dim() {
        return shape.length;
    }

    /** The size of dimension {@code d}; negative {@code d} counts from the end. */
    public int size(int d) {
        return shape[Shape.normalizeDim(d, shape.length)];
    }

    /** The number of elements, as {@code tensor.numel()}. */
    public int numel() {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    /** The step in storage elements of each dimension, as a fresh array ({@code tensor.stride()}). */
    public int[] strides() {
        return strides.clone();
    }

    /** The step in storage elements of dimension {@code d}; negative {@code d} counts from the end. */
    public int stride(int d) {
        return strides[Shape.normalizeDim(d, shape.length)];
    }

    /** Where element {@code (0, 0, ...)} lies in the storage, as {@code tensor.storage_offset()}. */
    public int offset() {
        return offset;
    }

    /** Whether the elements lie in row-major order without gaps (size-1 dims may have any stride). */
    public boolean isContiguous() {
        int expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) {
                return numel() == 0;
            }
            expected *= shape[d];
        }
        return true;
    }

    /** The row-major strides of a contiguous array of {@code shape}, in elements (a size-0 dimension counts as 1). */
    public static int[] contiguousStrides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            st[d] = s;
            s *= Math.max(shape[d], 1);
        }
        return st;
    }

    // ---------------------------------------------------------------- creation

    /** A zero-filled contiguous array. */
    public static NDArray zeros(DType dtype, Device device, int... shape) {
        Shape s = new Shape(shape);
        Storage storage = Backends.of(device).allocate(dtype, s.numel());
        return new NDArray(storage, s.dims(), contiguousStrides(shape), 0);
    }

    /** A zero-filled CPU array of {@code dtype}, as {@code torch.zeros}. */
    public static NDArray zeros(DType dtype, int... shape) {
        return zeros(dtype, Device.CPU, shape);
    }

    /** An F32 array of zeros. */
    public static NDArray zeros(int... shape) {
        return zeros(DType.F32, Device.CPU, shape);
    }

    /** A CPU array of {@code dtype} filled with ones, as {@code torch.ones}. */
    public static NDArray ones(DType dtype, int... shape) {
        return full(1, dtype, shape);
    }

    /** An F32 array of ones. */
    public static NDArray ones(int... shape) {
        return full(1, DType.F32, shape);
    }

    /** A CPU array of {@code dtype} filled with {@code value}, as {@code torch.full}. */
    public static NDArray full(double value, DType dtype, int... shape) {
        NDArray a = zeros(dtype, Device.CPU, shape);
        a.backend().copy().fill(a, value);
        return a;
    }

    /** An array of this one's shape, dtype and device, filled with {@code value}. */
    public NDArray fullLike(double value) {
        NDArray a = zeros(dtype(), device(), shape);
        if (value != 0) {
            a.backend().copy().fill(a, value);
        }
        return a;
    }

    /** Zeros of this array's shape, dtype and device, as {@code torch.zeros_like}. */
    public NDArray zerosLike() {
        return zeros(dtype(), device(), shape);
    }

    /** Ones of this array's shape, dtype and device, as {@code torch.ones_like}. */
    public NDArray onesLike() {
        return fullLike(1);
    }

    /** {@code [0, 1, ..., end-1]} as I64. */
    public static NDArray arange(long end) {
        return arange(0, end, 1, DType.I64);
    }

    /**
     * {@code start, start+step, ...} up to but excluding {@code end}, as PyTorch computes it:
     * {@code ceil((end-start)/step)} elements, element i being {@code start + i*step}.
     */
    public static NDArray arange(double start, double end, double step, DType dtype) {
        if (step == 0 || Double.isNaN(step)) {
            throw new IllegalArgumentException("arange: step must be nonzero, got " + step);
        }
        if ((end - start) / step < 0) {
            throw new IllegalArgumentException("arange: upper bound and larger bound inconsistent with step sign"
                    + " (start " + start + ", end " + end + ", step " + step + ")");
        }
        long n = (long) Math.ceil((end - start) / step);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("arange: " + n + " elements is more than an array holds");
        }
        NDArray a = zeros(dtype, (int) n);
        CpuStorage s = (CpuStorage) a.storage;
        for (int i = 0; i < n; i++) {
            s.setDouble(i, start + i * step);
        }
        return a;
    }

    /** {@code steps} evenly spaced values from {@code start} to {@code end} inclusive. */
    public static NDArray linspace(double start, double end, int steps, DType dtype) {
        if (steps < 0) {
            throw new IllegalArgumentException("linspace: number of steps must be non-negative, got " + steps);
        }
        NDArray a = zeros(dtype, steps);
        CpuStorage s = (CpuStorage) a.storage;
        if (steps == 1) {
            s.setDouble(0, start); // PyTorch's single step is start, not end
            return a;
        }
        double step = (end - start) / (steps - 1);
        // Fill from both ends, as PyTorch does, so the last value is exactly end.
        int half = steps / 2;
        for (int i = 0; i < steps; i++) {
            s.setDouble(i, i < half ? start + step * i : end - step * (steps - 1 - i));
        }
        return a;
    }

    /** {@code steps} evenly spaced F32 values from {@code start} to {@code end} inclusive. */
    public static NDArray linspace(double start, double end, int steps) {
        return linspace(start, end, steps, DType.F32);
    }

    /** The n x m matrix with ones on the diagonal. */
    public static NDArray eye(int n, int m, DType dtype) {
        NDArray a = zeros(dtype, n, m);
        CpuStorage s = (CpuStorage) a.storage;
        for (int i = 0; i < Math.min(n, m); i++) {
            s.setDouble(i * m + i, 1);
        }
        return a;
    }

    /** The F32 n x n identity matrix, as {@code torch.eye(n)}. */
    public static NDArray eye(int n) {
        return eye(n, n, DType.F32);
    }

    /** Wraps a copy of {@code data} as an F32 array of the given shape (a flat vector if none). */
    public static NDArray of(float[] data, int... shape) {
        return wrap(DType.F32, data.clone(), data.length, shape);
    }

    /** Wraps a copy of {@code data} as an F64 array of the given shape (a flat vector if none). */
    public static NDArray of(double[] data, int... shape) {
        return wrap(DType.F64, data.clone(), data.length, shape);
    }

    /** Wraps a copy of {@code data} as an I64 array of the given shape (a flat vector if none). */
    public static NDArray of(long[] data, int... shape) {
        return wrap(DType.I64, data.clone(), data.length, shape);
    }

    /** Wraps a copy of {@code data} as an I32 array of the given shape (a flat vector if none). */
    public static NDArray of(int[] data, int... shape) {
        return wrap(DType.I32, data.clone(), data.length, shape);
    }

    /** Wraps a copy of {@code data} as a BOOL array of the given shape (a flat vector if none). */
    public static NDArray of(boolean[] data, int... shape) {
        byte[] bytes = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            bytes[i] = (byte) (data[i] ? 1 : 0);
        }
        return wrap(DType.BOOL, bytes, data.length, shape);
    }

    /** Wraps a copy of unsigned bytes as a U8 array. */
    public static NDArray ofUnsignedBytes(byte[] data, int... shape) {
        return wrap(DType.U8, data.clone(), data.length, shape);
    }

    /** A 0-dimensional array holding {@code value}. */
    public static NDArray scalar(double value, DType dtype) {
        NDArray a = zeros(dtype, Device.CPU);
        ((CpuStorage) a.storage).setDouble(0, value);
        return a;
    }

    /** A 0-dimensional F32 array holding {@code value}. */
    public static NDArray scalar(double value) {
        return scalar(value, DType.F32);
    }

    private static NDArray wrap(DType dtype, Object array, int length, int[] shape) {
        int[] dims = shape.length == 0 ? new int[] {length} : shape.clone();
        Shape s = new Shape(dims);
        if (s.numel() != length) {
            throw new IllegalArgumentException("shape " + s + " holds " + s.numel()
                    + " elements but the data has " + length);
        }
        return new NDArray(new CpuStorage(dtype, array), dims, contiguousStrides(dims), 0);
    }

    // ---------------------------------------------------------------- reading values

    /** The elements in row-major order, converted to float. */
    public float[] toFloatArray() {
        return ((CpuStorage) contiguousAs(DType.F32).storage).floats().clone();
    }

    /** The elements in row-major order, converted to double. */
    public double[] toDoubleArray() {
        return ((CpuStorage) contiguousAs(DType.F64).storage).doubles().clone();
    }

    /** The elements in row-major order, converted to long. */
    public long[] toLongArray() {
        return ((CpuStorage) contiguousAs(DType.I64).storage).longs().clone();
    }

    /** The elements in row-major order, converted to int. */
    public int[] toIntArray() {
        return ((CpuStorage) contiguousAs(DType.I32).storage).ints().clone();
    }

    /** The elements in row-major order, nonzero as true. */
    public boolean[] toBooleanArray() {
        byte[] b = ((CpuStorage) contiguousAs(DType.BOOL).storage).bytes();
        boolean[] out = new boolean[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] != 0;
        }
        return out;
    }

    /** A fresh contiguous CPU array of the given dtype whose storage holds exactly the elements. */
    private NDArray contiguousAs(DType dtype) {
        NDArray cpu = toDevice(Device.CPU);
        NDArray out = zeros(dtype, Device.CPU, shape);
        out.backend().copy().copy(cpu, out);
        return out;
    }

    /** The value of a one-element array. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("a Tensor with " + numel()
                    + " elements cannot be converted to Scalar");
        }
        return toDevice(Device.CPU).getDouble(new int[shape.length]);
    }

    /** The value of a one-element integer array, exactly. */
    public long itemLong() {
        if (numel() != 1) {
            throw new IllegalArgumentException("a Tensor with " + numel()
                    + " elements cannot be converted to Scalar");
        }
        NDArray cpu = toDevice(Device.CPU);
        return ((CpuStorage) cpu.storage).getLong(cpu.offset);
    }

    /** One element of a CPU array, by index. */
    public double getDouble(int... index) {
        if (!(storage instanceof CpuStorage cpu)) {
            throw new IllegalStateException("getDouble reads host memory; this array is on " + device());
        }
        return cpu.getDouble(elementOffset(index));
    }

    private int elementOffset(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " has "
                    + index.length + " entries for an array of " + shape.length + " dimensions");
        }
        int off = offset;
        for (int d = 0; d < shape.length; d++) {
            int i = index[d] < 0 ? index[d] + shape[d] : index[d];
            if (i < 0 || i >= shape[d]) {
                throw new IndexOutOfBoundsException("index " + index[d] + " is out of bounds for dimension "
                        + d + " with size " + shape[d]);
            }
            off += i * strides[d];
        }
        return off;
    }

    // ---------------------------------------------------------------- views

    /**
     * The same elements under a new shape, sharing storage; one size may be -1 to be inferred.
     * Fails, as PyTorch's view does, when the strides cannot express it; {@link #reshape} copies then.
     */
    public NDArray view(int... newShape) {
        int[] dims = inferSize(newShape);
        int[] st = viewStrides(dims);
        if (st == null) {
            throw new IllegalArgumentException("view size is not compatible with input tensor's size and stride"
                    + " (shape " + shape() + ", strides " + Arrays.toString(strides)
                    + ", requested " + Arrays.toString(newShape) + "); use reshape(...) instead");
        }
        return new NDArray(storage, dims, st, offset);
    }

    /** {@link #view} when the strides allow it, otherwise a contiguous copy in the new shape. */
    public NDArray reshape(int... newShape) {
        int[] dims = inferSize(newShape);
        int[] st = viewStrides(dims);
        if (st != null) {
            return new NDArray(storage, dims, st, offset);
        }
        return contiguous().view(dims);
    }

    private int[] inferSize(int[] requested) {
        int[] dims = requested.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("only one dimension can be inferred, got "
                            + Arrays.toString(requested));
                }
                infer = i;
            } else if (dims[i] < 0) {
                throw new IllegalArgumentException("invalid shape dimension " + dims[i] + " in "
                        + Arrays.toString(requested));
            } else {
                known *= dims[i];
            }
        }
        int n = numel();
        if (infer >= 0 && known != 0 && n % known == 0) {
            dims[infer] = (int) (n / known);
        } else if (infer >= 0 || known != n) {
            throw new IllegalArgumentException("shape '" + Arrays.toString(requested)
                    + "' is invalid for input of size " + n);
        }
        return dims;
    }

    /**
     * Strides that give this array's elements in row-major order under {@code newShape}, or
     * null if none exist. Groups of old dimensions that are laid out as one block can be split
     * or merged freely; a new dimension may not straddle two blocks.
     */
    private int[] viewStrides(int[] newShape) {
        int[] result = new int[newShape.length];
        if (numel() == 0 || shape.length == 0) {
            return contiguousStrides(newShape);
        }
        int viewD = newShape.length - 1;
        int blockStride = strides[shape.length - 1];
        long blockNumel = 1;
        long viewNumel = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            blockNumel *= shape[d];
            boolean blockEnds = d == 0
                    || (shape[d - 1] != 1 && strides[d - 1] != blockNumel * blockStride);
            if (!blockEnds) {
                continue;
            }
            while (viewD >= 0 && (viewNumel < blockNumel || newShape[viewD] == 1)) {
                result[viewD] = (int) (viewNumel * blockStride);
                viewNumel *= newShape[viewD];
                viewD--;
            }
            if (viewNumel != blockNumel) {
                return null;
            }
            if (d > 0) {
                blockStride = strides[d - 1];
                blockNumel = 1;
                viewNumel = 1;
            }
        }
        return viewD == -1 ? result : null;
    }

    /** Swaps two dimensions. */
    public NDArray transpose(int dim0, int dim1) {
        int a = Shape.normalizeDim(dim0, shape.length);
        int b = Shape.normalizeDim(dim1, shape.length);
        int[] s = shape.clone();
        int[] st = strides.clone();
        if (shape.length > 0) {
            s[a] = shape[b];
            s[b] = shape[a];
            st[a] = strides[b];
            st[b] = strides[a];
        }
        return new NDArray(storage, s, st, offset);
    }

    /** The transpose of a matrix (a vector is its own transpose). */
    public NDArray t() {
        if (shape.length > 2) {
            throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is "
                    + shape.length + "D");
        }
        return shape.length < 2 ? this : transpose(0, 1);
    }

    /** Reorders the dimensions: dimension i of the result is dimension {@code dims[i]} of this one. */
    public NDArray permute(int... dims) {
        if (dims.length != shape.length) {
            throw new IllegalArgumentException("permute: number of dims don't match: the tensor has "
                    + shape.length + " dimensions but dims is " + Arrays.toString(dims));
        }
        int[] s = new int[dims.length];
        int[] st = new int[dims.length];
        boolean[] seen = new boolean[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int d = Shape.normalizeDim(dims[i], shape.length);
            if (seen[d]) {
                throw new IllegalArgumentException("permute: repeated dim " + dims[i] + " in "
                        + Arrays.toString(dims));
            }
            seen[d] = true;
            s[i] = shape[d];
            st[i] = strides[d];
        }
        return new NDArray(storage, s, st, offset);
    }

    /** Elements {@code [start, start+length)} of dimension {@code dim}. */
    public NDArray narrow(int dim, int start, int length) {
        int d = Shape.normalizeDim(dim, shape.length);
        requireDims("narrow", 1);
        int st = start < 0 ? start + shape[d] : start;
        if (st < 0 || length < 0 || st + length > shape[d]) {
            throw new IndexOutOfBoundsException("narrow: start (" + start + ") + length (" + length
                    + ") exceeds dimension size (" + shape[d] + ") of dimension " + dim);
        }
        int[] s = shape.clone();
        s[d] = length;
        return new NDArray(storage, s, strides.clone(), offset + st * strides[d]);
    }

    /**
     * {@code x[..., start:end:step, ...]} along {@code dim}, with Python's clamping of
     * out-of-range bounds and negative indices counting from the end.
     */
    public NDArray slice(int dim, int start, int end, int step) {
        requireDims("slice", 1);
        int d = Shape.normalizeDim(dim, shape.length);
        if (step <= 0) {
            throw new IllegalArgumentException("slice step must be positive, got " + step);
        }
        int n = shape[d];
        int lo = clampIndex(start, n);
        int hi = clampIndex(end, n);
        int len = hi > lo ? (hi - lo + step - 1) / step : 0;
        int[] s = shape.clone();
        int[] st = strides.clone();
        s[d] = len;
        st[d] = strides[d] * step;
        return new NDArray(storage, s, st, offset + (len > 0 ? lo * strides[d] : 0));
    }

    private static int clampIndex(int i, int n) {
        int j = i < 0 ? i + n : i;
        return Math.max(0, Math.min(j, n));
    }

    /** Index {@code index} of dimension {@code dim}, removing that dimension. */
    public NDArray select(int dim, int index) {
        requireDims("select", 1);
        int d = Shape.normalizeDim(dim, shape.length);
        int i = index < 0 ? index + shape[d] : index;
        if (i < 0 || i >= shape[d]) {
            throw new IndexOutOfBoundsException("select(): index " + index
                    + " out of range for tensor of size " + shape() + " at dimension " + dim);
        }
        int[] s = new int[shape.length - 1];
        int[] st = new int[shape.length - 1];
        for (int k = 0, j = 0; k < shape.length; k++) {
            if (k != d) {
                s[j] = shape[k];
                st[j++] = strides[k];
            }
        }
        return new NDArray(storage, s, st, offset + i * strides[d]);
    }

    /**
     * A view with size-1 dimensions repeated (stride 0) to {@code sizes}; new leading dimensions
     * may be added, and -1 keeps a size.
     */
    public NDArray expand(int... sizes) {
        if (sizes.length < shape.length) {
            throw new IllegalArgumentException("expand: the number of sizes provided (" + sizes.length
                    + ") must be greater or equal to the number of dimensions in the tensor (" + shape.length + ")");
        }
        int lead = sizes.length - shape.length;
        int[] s = new int[sizes.length];
        int[] st = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            if (i < lead) {
                if (sizes[i] < 0) {
                    throw new IllegalArgumentException("expand: the expanded size " + sizes[i]
                            + " is not allowed in a leading, non-existing dimension " + i);
                }
                s[i] = sizes[i];
                st[i] = 0;
                continue;
            }
            int old = shape[i - lead];
            int want = sizes[i] == -1 ? old : sizes[i];
            if (old == want) {
                s[i] = old;
                st[i] = strides[i - lead];
            } else if (old == 1 && want >= 0) {
                s[i] = want;
                st[i] = 0;
            } else {
                throw new IllegalArgumentException("The expanded size of the tensor (" + want
                        + ") must match the existing size (" + old + ") at non-singleton dimension " + i
                        + ".  Target sizes: " + Arrays.toString(sizes) + ".  Tensor sizes: " + shape());
            }
        }
        new Shape(s); // the one view that adds elements: refuse more than numel() can count
        return new NDArray(storage, s, st, offset);
    }

    /** This array expanded to {@code target} by PyTorch's broadcasting rules, as {@code torch.broadcast_to}. */
    public NDArray broadcastTo(Shape target) {
        return expand(target.dims());
    }

    /** Removes every dimension of size one. */
    public NDArray squeeze() {
        int n = 0;
        for (int s : shape) {
            if (s != 1) {
                n++;
            }
        }
        int[] s = new int[n];
        int[] st = new int[n];
        for (int k = 0, j = 0; k < shape.length; k++) {
            if (shape[k] != 1) {
                s[j] = shape[k];
                st[j++] = strides[k];
            }
        }
        return new NDArray(storage, s, st, offset);
    }

    /** Removes dimension {@code dim} if its size is one; otherwise returns this array. */
    public NDArray squeeze(int dim) {
        if (shape.length == 0) {
            Shape.normalizeDim(dim, 0);
            return this;
        }
        int d = Shape.normalizeDim(dim, shape.length);
        return shape[d] == 1 ? select(d, 0) : this;
    }

    /** Inserts a dimension of size one at position {@code dim} (in the result). */
    public NDArray unsqueeze(int dim) {
        int d = Shape.normalizeDim(dim, shape.length + 1);
        int[] s = new int[shape.length + 1];
        int[] st = new int[shape.length + 1];
        for (int k = 0, j = 0; k < s.length; k++) {
            if (k == d) {
                s[k] = 1;
                st[k] = d < shape.length ? strides[d] * shape[d] : 1;
            } else {
                s[k] = shape[j];
                st[k] = strides[j++];
            }
        }
        return new NDArray(storage, s, st, offset);
    }

    /** Merges dimensions {@code start..end} (inclusive) into one; a view when the strides allow. */
    public NDArray flatten(int startDim, int endDim) {
        if (shape.length == 0) {
            return reshape(1);
        }
        int a = Shape.normalizeDim(startDim, shape.length);
        int b = Shape.normalizeDim(endDim, shape.length);
        if (a > b) {
            throw new IllegalArgumentException("flatten() has invalid args: start_dim (" + startDim
                    + ") cannot come after end_dim (" + endDim + ")");
        }
        int[] s = new int[shape.length - (b - a)];
        int merged = 1;
        for (int k = a; k <= b; k++) {
            merged *= shape[k];
        }
        for (int k = 0, j = 0; k < shape.length; k++) {
            if (k < a || k > b) {
                s[j++] = shape[k];
            } else if (k == a) {
                s[j++] = merged;
            }
        }
        return reshape(s);
    }

    /** All elements as one dimension, as {@code tensor.flatten()}. */
    public NDArray flatten() {
        return flatten(0, -1);
    }

    private void requireDims(String op, int min) {
        if (shape.length < min) {
            throw new IllegalArgumentException(op + "() cannot be applied to a " + shape.length
                    + "-dim tensor.");
        }
    }

    // ---------------------------------------------------------------- copies and conversions

    /** This array if it is already contiguous, otherwise a contiguous copy. */
    public NDArray contiguous() {
        return isContiguous() ? this : copyAs(dtype());
    }

    /** A contiguous copy that shares nothing with this array. */
    public NDArray copy() {
        return copyAs(dtype());
    }

    /** This array converted to {@code dtype}; this array itself if it already has it. */
    public NDArray to(DType dtype) {
        return dtype == dtype() ? this : copyAs(dtype);
    }

    /**
     * This array on {@code device}, contiguous; this array itself if it is already there. Every
     * move goes through the host: the source's backend copies to the host (waiting for the values
     * when the source is a GPU), the target's backend copies from there.
     */
    public NDArray toDevice(Device device) {
        if (device.equals(device())) {
            return this;
        }
        Backend target = Backends.of(device); // names why the device is unavailable
        return target.fromHost(backend().toHost(this));
    }

    private NDArray copyAs(DType dtype) {
        NDArray out = zeros(dtype, device(), shape);
        backend().copy().copy(this, out);
        return out;
    }

    /**
     * Writes {@code src} (broadcast to this shape, converted to this dtype) into this array's
     * elements, in place.
     */
    public NDArray copy_(NDArray src) {
        return writeInto("copy_", src);
    }

    /** {@link #copy_} for the in-place op {@code op}, after checking the writes land on distinct elements. */
    private NDArray writeInto(String op, NDArray src) {
        for (int d = 0; d < shape.length; d++) {
            if (strides[d] == 0 && shape[d] > 1) {
                throw new IllegalArgumentException(op + ": unsupported operation: more than one element of the"
                        + " written-to tensor refers to a single memory location (shape " + shape()
                        + ", strides " + Arrays.toString(strides) + "); clone() it before writing");
            }
        }
        requireSameDevice(op, this, src);
        NDArray b = src.broadcastTo(shape());
        if (overlaps(src)) {
            b = b.copy(); // reading and writing the same memory in one pass could read new values
        }
        backend().copy().copy(b, this);
        storage.bumpVersion();
        return this;
    }

    /**
     * Writes the result of an in-place op back into this array, refusing what PyTorch refuses:
     * a result dtype this array cannot hold (a float into integers) or a larger shape.
     */
    private NDArray writeResult(String op, NDArray result) {
        if (!DType.canCast(result.dtype(), dtype())) {
            throw new IllegalArgumentException(op + ": result type " + result.dtype()
                    + " can't be cast to the desired output type " + dtype());
        }
        if (!result.shape().equals(shape())) {
            throw new IllegalArgumentException(op + ": output with shape " + shape()
                    + " doesn't match the broadcast shape " + result.shape());
        }
        return writeInto(op, result);
    }

    /** Sets every element to {@code value}, in place. */
    public NDArray fill_(double value) {
        backend().copy().fill(this, value);
        storage.bumpVersion();
        return this;
    }

    /** Sets every element to zero, in place. */
    public NDArray zero_() {
        return fill_(0);
    }

    /** Whether two arrays may share memory (the same storage); conservative. */
    public boolean overlaps(NDArray other) {
        return storage == other.storage;
    }

    static void requireSameDevice(String op, NDArray a, NDArray b) {
        if (!a.device().equals(b.device())) {
            throw new IllegalArgumentException(op + ": Expected all tensors to be on the same device, but found"
                    + " at least two devices, " + a.device() + " and " + b.device() + "!");
        }
    }

    // ---------------------------------------------------------------- elementwise arithmetic

    /** {@code this + other}, broadcast with PyTorch's type promotion, as {@code torch.add}. */
    public NDArray add(NDArray other) {
        return ElementwiseOps.binary(BinaryOp.ADD, this, other);
    }

    /** {@code this + scalar}; an integer array gives F32, as with a Python float. */
    public NDArray add(double scalar) {
        return ElementwiseOps.binaryScalar(BinaryOp.ADD, this, scalar);
    }

    /** {@code this + scalar}; an integer array keeps its dtype, as with a Python int. */
    public NDArray add(long scalar) {
        return ElementwiseOps.binaryScalar(BinaryOp.ADD, this, scalar);
    }

    /** {@code this - other}, broadcast, as {@code torch.sub}. */
    public NDArray sub(NDArray other) {
        return ElementwiseOps.binary(BinaryOp.SUB, this, other);
    }

    /** {@code this - scalar}; an integer array gives F32. */
    public NDArray sub(double scalar) {
        return ElementwiseOps.binaryScalar(BinaryOp.SUB, this, scalar);
    }

    /** {@code this - scalar}; an integer array keeps its dtype. */
    public NDArray sub(long scalar) {
        return ElementwiseOps.binaryScalar(BinaryOp.SUB, this, scalar);
    }

    /** {@code scalar - this}. */
    public NDArray rsub(double scalar) {
        return ElementwiseOps.scalarBinary(BinaryOp.SUB, scalar, this);
    }

    /** {@code this * other}, broadcast, as {@code torch.mul}. */
    public NDArray mul(NDArray other) {
        return ElementwiseOps.binary(BinaryOp.MUL, this, other);
    }

    /** {@code this * scalar}; an integer array gives F32. */
    public NDArray mul(double scalar) {
        return ElementwiseOps.binaryScalar(BinaryOp.MUL, this, scalar);
    }

    /** {@code this * scalar}; an integer array keeps its dtype. */
    public NDArray mul(long scalar) {
        return ElementwiseOps.binaryScalar(BinaryOp.MUL, this, scalar);
    }

    /** True division; integer operands give F32. */
    public NDArray div(NDArray other) {
        return ElementwiseOps.binary(BinaryOp.DIV, this, other);
    }

    /** {@code this / scalar}, true division. */
    public NDArray div(double scalar) {
        return ElementwiseOps.binaryScalar(BinaryOp.DIV, this, scalar);
    }

    /** {@code scalar / this}. */
    public NDArray rdiv(double scalar) {
        return ElementwiseOps.scalarBinary(BinaryOp.DIV, scalar, this);
    }

    /** {@code this ^ exponent}, broadcast, as {@code torch.pow}. */
    public NDArray pow(NDArray exponent) {
        return ElementwiseOps.binary(BinaryOp.POW, this, exponent);
    }

    /** {@code this ^ exponent}; an integer array gives F32. */
    public NDArray pow(double exponent) {
        return ElementwiseOps.binaryScalar(BinaryOp.POW, this, exponent);
    }

    /** {@code base ^ this}. */
    public NDArray rpow(double base) {
        return ElementwiseOps.scalarBinary(BinaryOp.POW, base, this);
    }

    /** Elementwise max; NaN wins. */
    public NDArray maximum(NDArray other) {
        return ElementwiseOps.binary(BinaryOp.MAXIMUM, this, other);
    }

    /** Elementwise min, as {@code torch.minimum}; NaN wins. */
    public NDArray minimum(NDArray other) {
        return ElementwiseOps.binary(BinaryOp.MINIMUM, this, other);
    }

    /** {@code -this}, as {@code torch.neg}. */
    public NDArray neg() {
        return ElementwiseOps.unary(UnaryOp.NEG, this);
    }

    /** {@code |x|}, as {@code torch.abs}. */
    public NDArray abs() {
        return ElementwiseOps.unary(UnaryOp.ABS, this);
    }

    /** -1, 0 or 1 (0 for NaN), as {@code torch.sign}. */
    public NDArray sign() {
        return ElementwiseOps.unary(UnaryOp.SIGN, this);
    }

    /** {@code max(x, 0)}, as {@code torch.relu}. */
    public NDArray relu() {
        return ElementwiseOps.unary(UnaryOp.RELU, this);
    }

    /** Rounds down, as {@code torch.floor}. */
    public NDArray floor() {
        return ElementwiseOps.unary(UnaryOp.FLOOR, this);
    }

    /** Rounds up, as {@code torch.ceil}. */
    public NDArray ceil() {
        return ElementwiseOps.unary(UnaryOp.CEIL, this);
    }

    /** Rounds half to even. */
    public NDArray round() {
        return ElementwiseOps.unary(UnaryOp.ROUND, this);
    }

    /** {@code e^x}, as {@code torch.exp}. */
    public NDArray exp() {
        return ElementwiseOps.unary(UnaryOp.EXP, this);
    }

    /** {@code e^x - 1}, accurate for small x. */
    public NDArray expm1() {
        return ElementwiseOps.unary(UnaryOp.EXPM1, this);
    }

    /** The natural logarithm, as {@code torch.log}. */
    public NDArray log() {
        return ElementwiseOps.unary(UnaryOp.LOG, this);
    }

    /** {@code log(1 + x)}, accurate for small x. */
    public NDArray log1p() {
        return ElementwiseOps.unary(UnaryOp.LOG1P, this);
    }

    /** The square root, as {@code torch.sqrt}. */
    public NDArray sqrt() {
        return ElementwiseOps.unary(UnaryOp.SQRT, this);
    }

    /** {@code 1 / sqrt(x)}, as {@code torch.rsqrt}. */
    public NDArray rsqrt() {
        return ElementwiseOps.unary(UnaryOp.RSQRT, this);
    }

    /** {@code 1 / x}, as {@code torch.reciprocal}. */
    public NDArray reciprocal() {
        return ElementwiseOps.unary(UnaryOp.RECIPROCAL, this);
    }

    /** The sine, as {@code torch.sin}. */
    public NDArray sin() {
        return ElementwiseOps.unary(UnaryOp.SIN, this);
    }

    /** The cosine, as {@code torch.cos}. */
    public NDArray cos() {
        return ElementwiseOps.unary(UnaryOp.COS, this);
    }

    /** The hyperbolic tangent, as {@code torch.tanh}. */
    public NDArray tanh() {
        return ElementwiseOps.unary(UnaryOp.TANH, this);
    }

    /** {@code 1 / (1 + e^-x)}, as {@code torch.sigmoid}. */
    public NDArray sigmoid() {
        return ElementwiseOps.unary(UnaryOp.SIGMOID, this);
    }

    /** The Gauss error function, as {@code torch.erf}. */
    public NDArray erf() {
        return ElementwiseOps.unary(UnaryOp.ERF, this);
    }

    /** GELU with the exact (erf) form. */
    public NDArray gelu() {
        return ElementwiseOps.unary(UnaryOp.GELU_ERF, this);
    }

    /** GELU; {@code approximate} is "none" (erf form) or "tanh", as in PyTorch. */
    public NDArray gelu(String approximate) {
        return ElementwiseOps.unary(ElementwiseOps.geluOp(approximate), this);
    }

    /** Limits every element to {@code [min, max]}; NaN bounds are errors, NaN elements stay NaN. */
    public NDArray clamp(double min, double max) {
        return ElementwiseOps.clamp(this, min, max);
    }

    /** {@code max(x, min)}, as {@code torch.clamp(x, min=min)}. */
    public NDArray clampMin(double min) {
        return ElementwiseOps.clamp(this, min, Double.POSITIVE_INFINITY);
    }

    /** {@code min(x, max)}, as {@code torch.clamp(x, max=max)}. */
    public NDArray clampMax(double max) {
        return ElementwiseOps.clamp(this, Double.NEGATIVE_INFINITY, max);
    }

    // ---------------------------------------------------------------- comparisons and selection

    /** {@code this == other} as BOOL, broadcast, as {@code torch.eq}. */
    public NDArray eq(NDArray other) {
        return ElementwiseOps.compare(CompareOp.EQ, this, other);
    }

    /** {@code this == scalar} as BOOL. */
    public NDArray eq(double scalar) {
        return ElementwiseOps.compareScalar(CompareOp.EQ, this, scalar);
    }

    /** {@code this != other} as BOOL, broadcast, as {@code torch.ne}. */
    public NDArray ne(NDArray other) {
        return ElementwiseOps.compare(CompareOp.NE, this, other);
    }

    /** {@code this != scalar} as BOOL. */
    public NDArray ne(double scalar) {
        return ElementwiseOps.compareScalar(CompareOp.NE, this, scalar);
    }

    /** {@code this < other} as BOOL, broadcast, as {@code torch.lt}. */
    public NDArray lt(NDArray other) {
        return ElementwiseOps.compare(CompareOp.LT, this, other);
    }

    /** {@code this < scalar} as BOOL. */
    public NDArray lt(double scalar) {
        return ElementwiseOps.compareScalar(CompareOp.LT, this, scalar);
    }

    /** {@code this <= other} as BOOL, broadcast, as {@code torch.le}. */
    public NDArray le(NDArray other) {
        return ElementwiseOps.compare(CompareOp.LE, this, other);
    }

    /** {@code this <= scalar} as BOOL. */
    public NDArray le(double scalar) {
        return ElementwiseOps.compareScalar(CompareOp.LE, this, scalar);
    }

    /** {@code this > other} as BOOL, broadcast, as {@code torch.gt}. */
    public NDArray gt(NDArray other) {
        return ElementwiseOps.compare(CompareOp.GT, this, other);
    }

    /** {@code this > scalar} as BOOL. */
    public NDArray gt(double scalar) {
        return ElementwiseOps.compareScalar(CompareOp.GT, this, scalar);
    }

    /** {@code this >= other} as BOOL, broadcast, as {@code torch.ge}. */
    public NDArray ge(NDArray other) {
        return ElementwiseOps.compare(CompareOp.GE, this, other);
    }

    /** {@code this >= scalar} as BOOL. */
    public NDArray ge(double scalar) {
        return ElementwiseOps.compareScalar(CompareOp.GE, this, scalar);
    }

    /** Elementwise {@code !this} of a BOOL array. */
    public NDArray logicalNot() {
        return ElementwiseOps.compareScalar(CompareOp.EQ, this, 0);
    }

    /** {@code cond ? a : b} elementwise, all three broadcast together. */
    public static NDArray where(NDArray cond, NDArray a, NDArray b) {
        return ElementwiseOps.where(cond, a, b);
    }

    /**
     * This gradient where {@code input > threshold} and 0 elsewhere, as PyTorch's
     * {@code threshold_backward}: ReLU's backward, in one pass instead of a mask and a select.
     */
    public NDArray thresholdBackward(NDArray input, double threshold) {
        return ElementwiseOps.thresholdBackward(this, input, threshold);
    }

    // ---------------------------------------------------------------- in-place arithmetic

    /** {@code this += other}, in place. */
    public NDArray add_(NDArray other) {
        return writeResult("add_", add(other));
    }

    /** {@code this += scalar}, in place. */
    public NDArray add_(double scalar) {
        return writeResult("add_", add(scalar));
    }

    /** {@code this -= other}, in place. */
    public NDArray sub_(NDArray other) {
        return writeResult("sub_", sub(other));
    }

    /** {@code this *= other}, in place. */
    public NDArray mul_(NDArray other) {
        return writeResult("mul_", mul(other));
    }

    /** {@code this *= scalar}, in place. */
    public NDArray mul_(double scalar) {
        return writeResult("mul_", mul(scalar));
    }

    /** {@code this /= other}, in place. */
    public NDArray div_(NDArray other) {
        return writeResult("div_", div(other));
    }

    /** {@code this /= scalar}, in place. */
    public NDArray div_(double scalar) {
        return writeResult("div_", div(scalar));
    }

    /** {@link #clamp} written into this array, as {@code tensor.clamp_}. */
    public NDArray clamp_(double min, double max) {
        return writeResult("clamp_", clamp(min, max));
    }

    /** {@link #relu} written into this array, as {@code tensor.relu_()}. */
    public NDArray relu_() {
        if (dtype().isFloatingPoint() && isContiguous()) {
            // Each element is read and written at the same place, so the kernel may run on
            // itself: no second array, no second pass to copy it back.
            backend().elementwise().unary(UnaryOp.RELU, this, this);
            storage.bumpVersion();
            return this;
        }
        return writeResult("relu_", relu());
    }

    // ---------------------------------------------------------------- reductions

    /** The sum of all elements, as a 0-dimensional array (I64 for integer inputs). */
    public NDArray sum() {
        return ReductionOps.sum(this, null, false);
    }

    /** Sums over {@code dims} (all if empty); {@code keepdim} keeps them with size one. */
    public NDArray sum(int[] dims, boolean keepdim) {
        return ReductionOps.sum(this, dims, keepdim);
    }

    /**
     * Sums a broadcast result back to {@code target}, the shape it was broadcast from: the
     * leading dimensions it lacks and the dimensions where it has size one are summed away.
     */
    public NDArray sumToShape(Shape target) {
        if (shape().equals(target)) {
            return this;
        }
        int lead = shape.length - target.rank();
        if (lead < 0) {
            throw new IllegalArgumentException("sumToShape: " + shape() + " cannot be reduced to " + target);
        }
        List<Integer> dims = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) {
            if (d < lead) {
                dims.add(d);
            } else if (target.size(d - lead) == 1 && shape[d] != 1) {
                dims.add(d);
            } else if (target.size(d - lead) != shape[d]) {
                throw new IllegalArgumentException("sumToShape: " + shape() + " cannot be reduced to " + target);
            }
        }
        int[] reduce = dims.stream().mapToInt(Integer::intValue).toArray();
        if (reduce.length == 0) {
            return reshape(target.dims());
        }
        return ReductionOps.sum(this, reduce, true).reshape(target.dims());
    }

    /** The mean of all elements, 0-dimensional; floating-point arrays only, as in PyTorch. */
    public NDArray mean() {
        return ReductionOps.mean(this, null, false);
    }

    /** The mean over {@code dims} (all if empty or null); {@code keepdim} keeps them with size one. */
    public NDArray mean(int[] dims, boolean keepdim) {
        return ReductionOps.mean(this, dims, keepdim);
    }

    /**
     * The variance over {@code dims} (all if empty or null): the sum of squared deviations from
     * the mean divided by {@code N - correction} (1: the unbiased estimate; 0: the population's).
     */
    public NDArray var(int[] dims, double correction, boolean keepdim) {
        return ReductionOps.var(this, dims, correction, keepdim, false);
    }

    /** The standard deviation: the square root of {@link #var(int[], double, boolean)}. */
    public NDArray std(int[] dims, double correction, boolean keepdim) {
        return ReductionOps.var(this, dims, correction, keepdim, true);
    }

    /** The largest element, 0-dimensional; NaN if there is one. Fails on an empty array. */
    public NDArray max() {
        return ReductionOps.maxAll(this, true);
    }

    /** The smallest element, 0-dimensional; NaN if there is one. Fails on an empty array. */
    public NDArray min() {
        return ReductionOps.maxAll(this, false);
    }

    /**
     * The largest values along {@code dim} and their positions: {@code {values, indices}} with
     * indices I64, the first occurrence on ties (the first NaN if there is one), as PyTorch.
     */
    public NDArray[] max(int dim, boolean keepdim) {
        return ReductionOps.maxDim(this, dim, keepdim, true);
    }

    /** The smallest values along {@code dim} and their positions; see {@link #max(int, boolean)}. */
    public NDArray[] min(int dim, boolean keepdim) {
        return ReductionOps.maxDim(this, dim, keepdim, false);
    }

    /** The largest value over {@code dims} (all if empty or null), without positions. */
    public NDArray amax(int[] dims, boolean keepdim) {
        return ReductionOps.amax(this, dims, keepdim, true);
    }

    /** The smallest value over {@code dims} (all if empty or null), without positions, as {@code torch.amin}. */
    public NDArray amin(int[] dims, boolean keepdim) {
        return ReductionOps.amax(this, dims, keepdim, false);
    }

    /** The position of the largest element in the flattened array (the first, on ties), as 0-d I64. */
    public NDArray argmax() {
        return ReductionOps.argmax(this, null, false, true);
    }

    /** The position of the smallest element in the flattened array (the first, on ties), as 0-d I64. */
    public NDArray argmin() {
        return ReductionOps.argmax(this, null, false, false);
    }

    /** The positions (I64) of the largest values along {@code dim}, the first on ties. */
    public NDArray argmax(int dim, boolean keepdim) {
        return ReductionOps.argmax(this, dim, keepdim, true);
    }

    /** The positions (I64) of the smallest values along {@code dim}, the first on ties. */
    public NDArray argmin(int dim, boolean keepdim) {
        return ReductionOps.argmax(this, dim, keepdim, false);
    }

    /** {@code log(sum(exp(x)))} over {@code dims}, computed without overflow; integers give F32. */
    public NDArray logsumexp(int[] dims, boolean keepdim) {
        return ReductionOps.logsumexp(this, dims, keepdim);
    }

    /** The 2-norm of all elements, 0-dimensional. */
    public NDArray norm() {
        return ReductionOps.norm(this, 2, null, false);
    }

    /**
     * The vector p-norm over {@code dims} (all if empty or null): {@code (sum |x|^p)^(1/p)};
     * p = 0 counts nonzeros, p = +-infinity gives the largest or smallest {@code |x|}.
     */
    public NDArray norm(double p, int[] dims, boolean keepdim) {
        return ReductionOps.norm(this, p, dims, keepdim);
    }

    /** The norm named by {@code p}: "fro", the 2-norm over at most two dimensions (or all). */
    public NDArray norm(String p, int[] dims, boolean keepdim) {
        return ReductionOps.norm(this, p, dims, keepdim);
    }

    /** Running sums along {@code dim}: element i is the sum of elements 0..i; integers give I64. */
    public NDArray cumsum(int dim) {
        return ReductionOps.cumsum(this, dim, false);
    }

    /** Running sums along {@code dim} from the end: element i is the sum of elements i..n-1. */
    public NDArray reverseCumsum(int dim) {
        return ReductionOps.cumsum(this, dim, true);
    }

    /**
     * Sorts along {@code dim}: {@code {values, indices}} (indices I64, positions in this array).
     * The sort is stable (equal values keep their order) and NaN sorts above every number.
     */
    public NDArray[] sort(int dim, boolean descending) {
        return ReductionOps.sort(this, dim, descending);
    }

    /** The positions that sort this array along {@code dim} (stable). */
    public NDArray argsort(int dim, boolean descending) {
        return ReductionOps.sort(this, dim, descending)[1];
    }

    /**
     * The {@code k} largest ({@code largest}) or smallest values along {@code dim} with their
     * positions, {@code {values, indices}}, best first. Weft always returns them sorted, which is
     * one of the orders PyTorch allows with {@code sorted=False}; ties keep the earlier position.
     */
    public NDArray[] topk(int k, int dim, boolean largest) {
        return ReductionOps.topk(this, k, dim, largest);
    }

    // ---------------------------------------------------------------- linear algebra

    /**
     * The matrix product with {@code torch.matmul}'s rules: vector . vector is a 0-d dot
     * product; a vector on the left acts as a row, on the right as a column (that dimension is
     * removed from the result); beyond two dimensions the leading ones are batch dimensions and
     * broadcast, e.g. {@code [2, 1, 3, 4] @ [5, 4, 6] -> [2, 5, 3, 6]}. F32 or F64, any strides.
     */
    public NDArray matmul(NDArray other) {
        return LinalgOps.matmul(this, other);
    }

    /** The product of two matrices, {@code torch.mm}: 2-D only, no broadcasting. */
    public NDArray mm(NDArray other) {
        return LinalgOps.mm(this, other);
    }

    /** Batched matrix product, {@code torch.bmm}: {@code [b, n, m] @ [b, m, p] -> [b, n, p]}, no broadcasting. */
    public NDArray bmm(NDArray other) {
        return LinalgOps.bmm(this, other);
    }

    /** {@code beta * bias + alpha * (a @ b)} for matrices a and b, {@code torch.addmm}; the bias broadcasts. */
    public static NDArray addmm(NDArray bias, NDArray a, NDArray b, double beta, double alpha) {
        return LinalgOps.addmm(bias, a, b, beta, alpha);
    }

    /**
     * {@code this @ weight^T + bias}, {@code torch.nn.functional.linear}: this is
     * {@code [*, in_features]}, weight {@code [out_features, in_features]}, bias
     * {@code [out_features]} or null.
     */
    public NDArray linear(NDArray weight, NDArray bias) {
        return LinalgOps.linear(this, weight, bias);
    }

    /**
     * Squared Euclidean distances between the rows of this {@code [*, n, d]} and of
     * {@code other [*, m, d]}: a {@code [*, n, m]} array, batch dimensions broadcast;
     * {@code torch.cdist(this, other) ** 2}, computed without cancellation.
     */
    public NDArray pairwiseSquaredDistances(NDArray other) {
        return LinalgOps.pairwiseSquaredDistances(this, other);
    }

    // ---------------------------------------------------------------- joining, splitting and indexing

    /**
     * Concatenates along {@code dim}; all arrays agree in every other dimension. Mixed dtypes
     * are promoted, and one-dimensional empty arrays are skipped, as in PyTorch.
     */
    public static NDArray cat(List<NDArray> arrays, int dim) {
        return MovementOps.cat(arrays, dim);
    }

    /** Concatenates along {@code dim}, as {@code torch.cat}; see {@link #cat(List, int)}. */
    public static NDArray cat(NDArray[] arrays, int dim) {
        return MovementOps.cat(Arrays.asList(arrays), dim);
    }

    /** Joins arrays of one shape along a new dimension {@code dim}. */
    public static NDArray stack(List<NDArray> arrays, int dim) {
        return MovementOps.stack(arrays, dim);
    }

    /** Joins arrays of one shape along a new dimension {@code dim}, as {@code torch.stack}. */
    public static NDArray stack(NDArray[] arrays, int dim) {
        return MovementOps.stack(Arrays.asList(arrays), dim);
    }

    /** Views of consecutive pieces of {@code splitSize} along {@code dim}; the last may be shorter. */
    public NDArray[] split(int splitSize, int dim) {
        return MovementOps.split(this, splitSize, dim);
    }

    /** Views of consecutive pieces of the given sizes along {@code dim}; they add up to its size. */
    public NDArray[] split(int[] splitSizes, int dim) {
        return MovementOps.split(this, splitSizes, dim);
    }

    /** At most {@code chunks} views of equal size along {@code dim}, the last possibly shorter. */
    public NDArray[] chunk(int chunks, int dim) {
        return MovementOps.chunk(this, chunks, dim);
    }

    /**
     * Pads with {@code value}: {@code pad} holds (before, after) pairs for the last dimension,
     * then the one before it, and so on, as {@code torch.nn.functional.pad}; negative amounts crop.
     */
    public NDArray pad(int[] pad, double value) {
        return MovementOps.pad(this, pad, value);
    }

    /** Pads with zeros; see {@link #pad(int[], double)}. */
    public NDArray pad(int... pad) {
        return MovementOps.pad(this, pad, 0);
    }

    /** Rolls along each of {@code dims} by the matching shift; with no dims, the flattened array. */
    public NDArray roll(int[] shifts, int[] dims) {
        return MovementOps.roll(this, shifts, dims);
    }

    /** Rolls along {@code dim} by {@code shift}, as {@code torch.roll(x, shift, dim)}. */
    public NDArray roll(int shift, int dim) {
        return MovementOps.roll(this, new int[] {shift}, new int[] {dim});
    }

    /** Rolls the flattened array by {@code shift}, keeping the shape. */
    public NDArray roll(int shift) {
        return MovementOps.roll(this, new int[] {shift}, new int[0]);
    }

    /** A copy with the order of elements reversed along each of {@code dims}. */
    public NDArray flip(int... dims) {
        return MovementOps.flip(this, dims);
    }

    /** Tiles the array {@code repeats[i]} times along dimension i, as {@code torch.Tensor.repeat}. */
    public NDArray repeat(int... repeats) {
        return MovementOps.repeat(this, repeats);
    }

    /** {@code out[i][j] = this[i][index[i][j]]} for dim 1, likewise for any dim; index is I64. */
    public NDArray gather(int dim, NDArray index) {
        return IndexingOps.gather(this, dim, index);
    }

    /** A copy with {@code src[i][j]} added at {@code [i][index[i][j]]} for dim 1 (likewise for any dim). */
    public NDArray scatterAdd(int dim, NDArray index, NDArray src) {
        return IndexingOps.scatterAdd(this, dim, index, src);
    }

    /** The slices named by the I64 vector {@code index} along {@code dim}, repeats allowed. */
    public NDArray indexSelect(int dim, NDArray index) {
        return IndexingOps.indexSelect(this, dim, index);
    }

    /** A copy with slice i of {@code src} along {@code dim} added to slice {@code index[i]}. */
    public NDArray indexAdd(int dim, NDArray index, NDArray src) {
        return IndexingOps.indexAdd(this, dim, index, src);
    }

    /** This array broadcast with the BOOL {@code mask}, holding {@code value} where the mask is true. */
    public NDArray maskedFill(NDArray mask, double value) {
        return IndexingOps.maskedFill(this, mask, value);
    }

    /** Writes {@code value} wherever {@code mask} (broadcast to this shape) is true, in place. */
    public NDArray maskedFill_(NDArray mask, double value) {
        return IndexingOps.maskedFill_(this, mask, value);
    }

    /** I64 class indices as one-hot I64 rows of {@code numClasses} (-1: the largest index + 1). */
    public NDArray oneHot(int numClasses) {
        return IndexingOps.oneHot(this, numClasses);
    }

    // ---------------------------------------------------------------- random numbers

    // Every random op takes its numbers from a Generator (the global one when none or null is
    // given) and advances it; how elements map to Philox counters is specified in RandomKernels.

    /** F32 numbers uniform in {@code [0, 1)} from the global generator. */
    public static NDArray rand(int... shape) {
        return RandomOps.uniform(DType.F32, Device.CPU, 0, 1, null, shape);
    }

    /** Numbers uniform in {@code [0, 1)}, never 1; {@code dtype} is floating point. */
    public static NDArray rand(DType dtype, Generator generator, int... shape) {
        return RandomOps.uniform(dtype, Device.CPU, 0, 1, generator, shape);
    }

    /** F32 standard normal numbers from the global generator. */
    public static NDArray randn(int... shape) {
        return RandomOps.normal(DType.F32, Device.CPU, 0, 1, null, shape);
    }

    /** Standard normal numbers (Box-Muller); {@code dtype} is floating point. */
    public static NDArray randn(DType dtype, Generator generator, int... shape) {
        return RandomOps.normal(dtype, Device.CPU, 0, 1, generator, shape);
    }

    /** I64 integers uniform in {@code [low, high)}, exactly unbiased, from the global generator. */
    public static NDArray randint(long low, long high, int... shape) {
        return RandomOps.randint(low, high, Device.CPU, null, shape);
    }

    /** I64 integers uniform in {@code [low, high)}, exactly unbiased, from {@code generator}. */
    public static NDArray randint(long low, long high, Generator generator, int... shape) {
        return RandomOps.randint(low, high, Device.CPU, generator, shape);
    }

    /** 1 with probability {@code probs[i]}, else 0, in the dtype and shape of {@code probs}. */
    public static NDArray bernoulli(NDArray probs, Generator generator) {
        return RandomOps.bernoulli(probs, generator);
    }

    /** {@link #bernoulli(NDArray, Generator)} with the global generator. */
    public static NDArray bernoulli(NDArray probs) {
        return RandomOps.bernoulli(probs, null);
    }

    /** 1 with probability {@code p}, else 0, in a new floating-point array. */
    public static NDArray bernoulli(double p, DType dtype, Generator generator, int... shape) {
        return RandomOps.bernoulli(p, dtype, Device.CPU, generator, shape);
    }

    /**
     * Fills this array, in row-major order, with {@code low + (high - low) * u}, u uniform in
     * {@code [0, 1)}; rounding to the dtype can give {@code high} itself when the range is wide.
     */
    public NDArray uniform_(double low, double high, Generator generator) {
        return RandomOps.uniform_(this, low, high, generator);
    }

    /** Fills this array, in row-major order, with normal numbers of the given mean and std. */
    public NDArray normal_(double mean, double std, Generator generator) {
        return RandomOps.normal_(this, mean, std, generator);
    }

    // ---------------------------------------------------------------- printing

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("NDArray(").append(dtype()).append(' ')
                .append(shape()).append(device().equals(Device.CPU) ? "" : ", " + device()).append(')');
        if (numel() <= 64 && storage instanceof CpuStorage) {
            sb.append(' ');
            appendValues(sb, 0, offset);
        }
        return sb.toString();
    }

    private void appendValues(StringBuilder sb, int d, int off) {
        CpuStorage s = (CpuStorage) storage;
        if (d == shape.length) {
            if (dtype() == DType.BOOL) {
                sb.append(s.getLong(off) != 0);
            } else if (dtype().isFloatingPoint()) {
                sb.append((float) s.getDouble(off));
            } else {
                sb.append(s.getLong(off));
            }
            return;
        }
        sb.append('[');
        for (int i = 0; i < shape[d]; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            appendValues(sb, d + 1, off + i * strides[d]);
        }
        sb.append(']');
    }
}
