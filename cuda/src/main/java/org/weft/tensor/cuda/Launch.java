package org.weft.tensor.cuda;

import java.util.Arrays;
import java.util.List;

/**
 * One kernel launch as native/ABI.md describes it: the kernel's name, the grid and block, the
 * dynamic shared memory, and the arguments in the kernel's parameter order.
 *
 * <p>Arguments are the Java values {@link KernelArgs} packs: {@code Long} for {@code long long},
 * {@code Integer} for {@code int}, {@code Float}, {@code Double}, a {@link DevicePointer} for
 * {@code T*} (already offset to the array's first element; address 0 for null), and a
 * {@code byte[]} for a value passed by its bytes ({@link WeftStrides}, a fill value). Kernel
 * families compute launches; a {@link Launcher} runs them, so the mapping from an op to its
 * launches can be checked on a machine without a GPU.
 *
 * @param what the Weft op and its shapes, for error messages ("unary RELU of F32 [64, 128]")
 */
record Launch(String kernel, Dim3 grid, Dim3 block, int sharedBytes, List<Object> args, String what) {

    /** Threads per block of the elementwise class E (and the exact block of classes R and B). */
    static final int BLOCK = 256;

    /** The largest grid x dimension. */
    static final long MAX_GRID_X = Integer.MAX_VALUE;

    /** The largest grid y and z dimension (and the row-grid cap of classes R and B). */
    static final int MAX_GRID_YZ = 65535;

    Launch {
        args = List.copyOf(args);
    }

    /**
     * A class E launch (elementwise, grid-stride): {@code min(ceil(n / 256), 2^31 - 1)} blocks of
     * 256 threads. The caller skips the launch when {@code n == 0}.
     */
    static Launch elementwise(String kernel, long n, String what, Object... args) {
        long blocks = Math.min((n + BLOCK - 1) / BLOCK, MAX_GRID_X);
        return new Launch(kernel, Dim3.of((int) blocks), Dim3.of(BLOCK), 0, Arrays.asList(args), what);
    }

    /**
     * A class R launch (reduce or normalise the middle axis of {@code [outer, r, inner]}):
     * exactly 256 threads; a block per row ({@code min(outer, 65535)}, grid-stride over rows)
     * when {@code inner == 1}, else a thread per output element. The caller skips the launch
     * when {@code outer * inner == 0}.
     */
    static Launch rows(String kernel, long outer, long inner, String what, Object... args) {
        long blocks = inner == 1 ? Math.min(outer, MAX_GRID_YZ) : Math.min((outer * inner + BLOCK - 1) / BLOCK, MAX_GRID_X);
        return new Launch(kernel, Dim3.of((int) blocks), Dim3.of(BLOCK), 0, Arrays.asList(args), what);
    }

    /**
     * A class B launch (a block per row, channel or position): exactly 256 threads,
     * {@code min(count, 65535)} blocks. The caller skips the launch when {@code count == 0}.
     */
    static Launch perBlock(String kernel, long count, String what, Object... args) {
        return new Launch(kernel, Dim3.of((int) Math.min(count, MAX_GRID_YZ)), Dim3.of(BLOCK), 0, Arrays.asList(args),
                what);
    }

    /** The argument values as {@link KernelArgs#pack} takes them. */
    Object[] argArray() {
        return args.toArray();
    }

    @Override
    public String toString() {
        return kernel + " grid " + grid + " block " + block + " (" + what + ")";
    }
}
