package org.weft.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.weft.tensor.NDArray;
import org.weft.tensor.backend.Conv2dParams;

/**
 * 2-d convolution on the CPU as im2col followed by a matrix product ({@link ConvShape} has the
 * shapes), its gradient w.r.t. the input as a matrix product followed by col2im, and its
 * gradient w.r.t. the weight as a matrix product with the unfolded input. A 1x1 kernel with
 * stride 1 and no padding skips the unfolding: the input planes are already the column matrix.
 * {@link Conv2dReference} computes the same sums with plain nested loops.
 *
 * <p>Batch items and groups are independent, so the threads split the (item, group) pairs and
 * each thread unfolds into its own column buffer. The weight gradient sums over the batch:
 * threads split the batch into private partial sums added up in a fixed order afterwards
 * (or split the groups, whose gradients are disjoint, when the batch is too small to share).
 * A matrix product called from a pool thread runs on that thread; a product called when the
 * loop has one pair left (batch 1, one group) may use the threads itself.
 *
 * <p>Small output planes (the 14x14 and 7x7 stages of an image network) make thin products
 * that spend their time packing the weight; there each thread's share of the batch is unfolded
 * side by side into one wider column matrix ({@link #itemsPerProduct}), one product per thread.
 *
 * <p>The loops are written once; {@link Numbers} supplies the F32 or F64 steps.
 */
final class CpuConv2d {

    private static final VectorSpecies<Float> LANES = FloatVector.SPECIES_PREFERRED;

    private CpuConv2d() {
    }

    static void forward(NDArray x, NDArray weight, NDArray bias, Conv2dParams p, NDArray out) {
        ConvShape s = new ConvShape(x.dims(), weight.dims(), out.dims(), p);
        switch (x.dtype()) {
            case F32 -> forward(Numbers.F32, x, weight, Epilogue.bias(Numbers.F32, bias), s, out);
            case F64 -> forward(Numbers.F64, x, weight, Epilogue.bias(Numbers.F64, bias), s, out);
            default -> throw new IllegalArgumentException("conv2d kernel: no " + x.dtype() + " version");
        }
    }

    /** The convolution with out = act(scale[o] * conv + shift[o]) applied to each block as it is computed. */
    static void forwardAffine(NDArray x, NDArray weight, NDArray scale, NDArray shift, boolean relu, Conv2dParams p,
                              NDArray out) {
        ConvShape s = new ConvShape(x.dims(), weight.dims(), out.dims(), p);
        switch (x.dtype()) {
            case F32 -> forward(Numbers.F32, x, weight, Epilogue.affine(Numbers.F32, scale, shift, relu), s, out);
            case F64 -> forward(Numbers.F64, x, weight, Epilogue.affine(Numbers.F64, scale, shift, relu), s, out);
            default -> throw new IllegalArgumentException("conv2d kernel: no " + x.dtype() + " version");
        }
    }

    /**
     * What each output channel {@code o} undergoes after the product, while its block is still
     * in cache: {@code out = act(scale[o] * product + shift[o])}, with no scale (1), no shift (0)
     * and the identity as the activation when absent. A plain bias is a shift; a batch norm in
     * eval mode folds into a scale and a shift; ReLU is the one activation.
     */
    record Epilogue<A>(A scale, int scaleOff, int scaleStride, A shift, int shiftOff, int shiftStride, boolean relu) {

        static <A> Epilogue<A> bias(Numbers<A> num, NDArray bias) {
            return bias == null ? null : new Epilogue<>(null, 0, 0, num.array(bias), bias.offset(), bias.stride(0), false);
        }

        static <A> Epilogue<A> affine(Numbers<A> num, NDArray scale, NDArray shift, boolean relu) {
            return new Epilogue<>(num.array(scale), scale.offset(), scale.stride(0),
                    num.array(shift), shift.offset(), shift.stride(0), relu);
        }
    }

    static void backwardInput(NDArray gradOut, NDArray weight, Conv2dParams p, NDArray gradIn) {
        ConvShape s = new ConvShape(gradIn.dims(), weight.dims(), gradOut.dims(), p);
        switch (gradOut.dtype()) {
            case F32 -> backwardInput(Numbers.F32, gradOut, weight, s, gradIn);
            case F64 -> backwardInput(Numbers.F64, gradOut, weight, s, gradIn);
            default -> throw new IllegalArgumentException("conv2d backward kernel: no " + gradOut.dtype() + " version");
        }
    }

    static void backwardWeight(NDArray gradOut, NDArray x, Conv2dParams p, NDArray gradWeight) {
        ConvShape s = new ConvShape(x.dims(), gradWeight.dims(), gradOut.dims(), p);
        switch (gradOut.dtype()) {
            case F32 -> backwardWeight(Numbers.F32, gradOut, x, s, gradWeight);
            case F64 -> backwardWeight(Numbers.F64, gradOut, x, s, gradWeight);
            default -> throw new IllegalArgumentException("conv2d backward kernel: no " + gradOut.dtype() + " version");
        }
    }

    // ------------------------------------------------------------ the three passes

    private static <A> void forward(Numbers<A> num, NDArray x, NDArray weight, Epilogue<A> epilogue, ConvShape s,
                                    NDArray out) {
        int items = itemsPerProduct(s);
        if (items > 1) {
            forwardMerged(num, x, weight, epilogue, s, out, items);
            return;
        }
        A xa = num.array(x);
        A wa = num.array(weight);
        A oa = num.array(out);
        Nchw xs = Nchw.of(x);
        int pixelStride = xs.pixelStride(s.height, s.width);
        boolean direct = s.pointwise() && pixelStride >= 0;
        int rows = outputRowsPerBlock(s);
        CpuThreads.parallelFor(s.batch * s.groups, 1, (from, to) -> {
            A cols = direct ? null : num.newArray(s.patch * rows * s.outW);
            for (int t = from; t < to; t++) {
                int n = t / s.groups;
                int g = t % s.groups;
                int xBase = xs.plane(n, g * s.groupIn);
                int w0 = weight.offset() + g * s.groupOut * s.patch;
                int o0 = (n * s.outChannels + g * s.groupOut) * s.pixels;
                if (direct) {
                    // out[oc, j] = sum over c of weight[oc, c] * x[c, pixel j]
                    num.gemm(s.groupOut, s.pixels, s.groupIn, wa, w0, s.patch, 1,
                            xa, xBase, xs.channelStride(), pixelStride, false, oa, o0, s.pixels);
                    if (epilogue != null) {
                        num.finish(oa, o0, s.groupOut, s.pixels, s.pixels, epilogue, g * s.groupOut);
                    }
                } else {
                    for (int oy0 = 0; oy0 < s.outH; oy0 += rows) {
                        int oy1 = Math.min(s.outH, oy0 + rows);
                        int width = (oy1 - oy0) * s.outW;
                        Im2Col.im2col(xa, xBase, xs, s, cols, 0, width, oy0, oy1);
                        num.gemm(s.groupOut, width, s.patch, wa, w0, s.patch, 1,
                                cols, 0, width, 1, false, oa, o0 + oy0 * s.outW, s.pixels);
                        if (epilogue != null) {
                            num.finish(oa, o0 + oy0 * s.outW, s.groupOut, width, s.pixels, epilogue, g * s.groupOut);
                        }
                    }
                }
            }
        });
    }

    private static <A> void backwardInput(Numbers<A> num, NDArray gradOut, NDArray weight, ConvShape s,
                                          NDArray gradIn) {
        int items = itemsPerProduct(s);
        if (items > 1) {
            backwardInputMerged(num, gradOut, weight, s, gradIn, items);
            return;
        }
        A ga = num.array(gradOut);
        A wa = num.array(weight);
        A ia = num.array(gradIn);
        int planeSize = s.height * s.width;
        // gradIn is fresh and contiguous, so a pointwise convolution can always write it directly.
        boolean direct = s.pointwise();
        int rows = outputRowsPerBlock(s);
        CpuThreads.parallelFor(s.batch * s.groups, 1, (from, to) -> {
            A cols = direct ? null : num.newArray(s.patch * rows * s.outW);
            for (int t = from; t < to; t++) {
                int n = t / s.groups;
                int g = t % s.groups;
                int w0 = weight.offset() + g * s.groupOut * s.patch;
                int g0 = gradOut.offset() + (n * s.outChannels + g * s.groupOut) * s.pixels;
                int i0 = (n * s.inChannels + g * s.groupIn) * planeSize;
                // weight^T [patch, groupOut] times gradOut [groupOut, pixels]: the transposed weight
                // is the same memory read with its two strides swapped.
                if (direct) {
                    num.gemm(s.groupIn, s.pixels, s.groupOut, wa, w0, 1, s.patch,
                            ga, g0, s.pixels, 1, false, ia, i0, planeSize);
                } else {
                    for (int oy0 = 0; oy0 < s.outH; oy0 += rows) {
                        int oy1 = Math.min(s.outH, oy0 + rows);
                        int width = (oy1 - oy0) * s.outW;
                        num.gemm(s.patch, width, s.groupOut, wa, w0, 1, s.patch,
                                ga, g0 + oy0 * s.outW, s.pixels, 1, false, cols, 0, width);
                        Im2Col.col2im(cols, 0, width, s, ia, i0, oy0, oy1);
                    }
                }
            }
        });
    }

    private static <A> void backwardWeight(Numbers<A> num, NDArray gradOut, NDArray x, ConvShape s,
                                           NDArray gradWeight) {
        int items = itemsPerProduct(s);
        if (items > 1) {
            backwardWeightMerged(num, gradOut, x, s, gradWeight, items);
            return;
        }
        A ga = num.array(gradOut);
        A xa = num.array(x);
        A wg = num.array(gradWeight);
        Nchw xs = Nchw.of(x);
        int pixelStride = xs.pixelStride(s.height, s.width);
        boolean direct = s.pointwise() && pixelStride >= 0;
        int rows = outputRowsPerBlock(s);
        // Adds item n's contribution to group g's weight gradient into acc: gradOut [groupOut, pixels]
        // times the transposed columns [pixels, patch].
        ItemStep<A> accumulate = (n, g, cols, acc) -> {
            int g0 = gradOut.offset() + (n * s.outChannels + g * s.groupOut) * s.pixels;
            int w0 = g * s.groupOut * s.patch;
            if (direct) {
                num.gemm(s.groupOut, s.groupIn, s.pixels, ga, g0, s.pixels, 1,
                        xa, xs.plane(n, g * s.groupIn), pixelStride, xs.channelStride(), true, acc, w0, s.patch);
            } else {
                for (int oy0 = 0; oy0 < s.outH; oy0 += rows) {
                    int oy1 = Math.min(s.outH, oy0 + rows);
                    int width = (oy1 - oy0) * s.outW;
                    Im2Col.im2col(xa, xs.plane(n, g * s.groupIn), xs, s, cols, 0, width, oy0, oy1);
                    num.gemm(s.groupOut, s.patch, width, ga, g0 + oy0 * s.outW, s.pixels, 1,
                            cols, 0, 1, width, true, acc, w0, s.patch);
                }
            }
        };
        if (s.groups > 1 && s.batch < CpuThreads.count()) {
            CpuThreads.parallelFor(s.groups, 1, (from, to) -> {
                A cols = direct ? null : num.newArray(s.patch * rows * s.outW);
                for (int g = from; g < to; g++) {
                    for (int n = 0; n < s.batch; n++) {
                        accumulate.run(n, g, cols, wg);
                    }
                }
            });
            return;
        }
        int size = s.outChannels * s.patch;
        Object[] partials = new Object[Math.max(1, s.batch)];
        CpuThreads.parallelFor(s.batch, 1, (from, to) -> {
            // The chunk that starts the batch sums straight into the (zeroed) result.
            A acc = from == 0 ? wg : num.newArray(size);
            A cols = direct ? null : num.newArray(s.patch * rows * s.outW);
            for (int n = from; n < to; n++) {
                for (int g = 0; g < s.groups; g++) {
                    accumulate.run(n, g, cols, acc);
                }
            }
            partials[from] = acc;
        });
        for (int from = 1; from < partials.length; from++) {
            if (partials[from] != null) {
                num.addInto(wg, num.cast(partials[from]), size);
            }
        }
    }

    /** Elements of a column buffer that unfolds a few output rows at a time (1 MiB of F32). */
    static final int COLUMN_BLOCK = 1 << 18;

    /**
     * How many output rows one item unfolds at a time. A whole 56x56 plane of a 3x3 convolution
     * over 64 channels unfolds to 7 MiB, which goes out to memory and comes back for packing;
     * a block of rows stays in cache, and is still wide enough that repacking the weight for
     * each block costs little.
     */
    static int outputRowsPerBlock(ConvShape s) {
        long perRow = (long) s.patch * s.outW;
        return (int) Math.max(1, Math.min(s.outH, COLUMN_BLOCK / Math.max(1, perRow)));
    }

    // ------------------------------------------------------------ small planes: items side by side

    /** Planes with fewer output pixels than this have their batch items multiplied together. */
    static final int SMALL_PLANE = 512;
    /** The most columns (items x pixels) one merged product takes. */
    static final int MAX_COLUMNS = 2048;
    /** The most elements of a merged column buffer (16 MiB of F32). */
    static final int MAX_MERGED = 1 << 22;

    /**
     * How many batch items share one matrix product. A product with few columns (a 7x7 plane
     * has 49) packs the whole weight for very little arithmetic and leaves most micro-tiles
     * partly empty, so items with small planes are unfolded side by side into one wider column
     * matrix: the weight is packed once per thread instead of once per item. Each thread gets
     * an equal share of the batch, so the products need no threads of their own.
     */
    static int itemsPerProduct(ConvShape s) {
        if (s.pixels >= SMALL_PLANE || s.pixels == 0) {
            return 1;
        }
        int threads = CpuThreads.count();
        int share = (s.batch + threads - 1) / threads;
        long perItem = (long) s.patch * s.pixels;
        return (int) Math.max(1, Math.min(Math.min(share, MAX_COLUMNS / s.pixels), MAX_MERGED / Math.max(1, perItem)));
    }

    /**
     * The forward pass over chunks of {@code items} batch items: their columns side by side
     * ({@code [patch, items * pixels]}), one product into a scratch block, then each item's
     * part copied to its place in the output (with the epilogue applied there).
     */
    private static <A> void forwardMerged(Numbers<A> num, NDArray x, NDArray weight, Epilogue<A> epilogue,
                                          ConvShape s, NDArray out, int items) {
        A xa = num.array(x);
        A wa = num.array(weight);
        A oa = num.array(out);
        Nchw xs = Nchw.of(x);
        int chunks = (s.batch + items - 1) / items;
        int ld = items * s.pixels;
        CpuThreads.parallelFor(chunks * s.groups, 1, (from, to) -> {
            A cols = num.newArray(s.patch * ld);
            A prod = num.newArray(s.groupOut * ld);
            for (int t = from; t < to; t++) {
                int n0 = t / s.groups * items;
                int g = t % s.groups;
                int count = Math.min(items, s.batch - n0);
                for (int i = 0; i < count; i++) {
                    Im2Col.im2col(xa, xs.plane(n0 + i, g * s.groupIn), xs, s, cols, i * s.pixels, ld, 0, s.outH);
                }
                int width = count * s.pixels;
                num.gemm(s.groupOut, width, s.patch, wa, weight.offset() + g * s.groupOut * s.patch, s.patch, 1,
                        cols, 0, ld, 1, false, prod, 0, ld);
                for (int i = 0; i < count; i++) {
                    int o0 = ((n0 + i) * s.outChannels + g * s.groupOut) * s.pixels;
                    for (int r = 0; r < s.groupOut; r++) {
                        System.arraycopy(prod, r * ld + i * s.pixels, oa, o0 + r * s.pixels, s.pixels);
                    }
                    if (epilogue != null) {
                        num.finish(oa, o0, s.groupOut, s.pixels, s.pixels, epilogue, g * s.groupOut);
                    }
                }
            }
        });
    }

    /** Copies group {@code g}'s output-gradient planes of items {@code [n0, n0 + count)} side by side. */
    private static <A> void gatherGradOut(A ga, NDArray gradOut, ConvShape s, int n0, int count, int g, A cat,
                                          int ld) {
        for (int i = 0; i < count; i++) {
            int g0 = gradOut.offset() + ((n0 + i) * s.outChannels + g * s.groupOut) * s.pixels;
            for (int r = 0; r < s.groupOut; r++) {
                System.arraycopy(ga, g0 + r * s.pixels, cat, r * ld + i * s.pixels, s.pixels);
            }
        }
    }

    /** The input gradient over chunks of items: one product into side-by-side columns, then col2im per item. */
    private static <A> void backwardInputMerged(Numbers<A> num, NDArray gradOut, NDArray weight, ConvShape s,
                                                NDArray gradIn, int items) {
        A ga = num.array(gradOut);
        A wa = num.array(weight);
        A ia = num.array(gradIn);
        int planeSize = s.height * s.width;
        int chunks = (s.batch + items - 1) / items;
        int ld = items * s.pixels;
        CpuThreads.parallelFor(chunks * s.groups, 1, (from, to) -> {
            A cat = num.newArray(s.groupOut * ld);
            A cols = num.newArray(s.patch * ld);
            for (int t = from; t < to; t++) {
                int n0 = t / s.groups * items;
                int g = t % s.groups;
                int count = Math.min(items, s.batch - n0);
                gatherGradOut(ga, gradOut, s, n0, count, g, cat, ld);
                num.gemm(s.patch, count * s.pixels, s.groupOut, wa, weight.offset() + g * s.groupOut * s.patch, 1,
                        s.patch, cat, 0, ld, 1, false, cols, 0, ld);
                for (int i = 0; i < count; i++) {
                    int i0 = ((n0 + i) * s.inChannels + g * s.groupIn) * planeSize;
                    Im2Col.col2im(cols, i * s.pixels, ld, s, ia, i0, 0, s.outH);
                }
            }
        });
    }

    /**
     * The weight gradient over chunks of items: the items' output gradients and columns side by
     * side make one product whose shared dimension runs over all their pixels, so it sums the
     * chunk's items itself; chunks sum into private partial results as in the per-item version.
     */
    private static <A> void backwardWeightMerged(Numbers<A> num, NDArray gradOut, NDArray x, ConvShape s,
                                                 NDArray gradWeight, int items) {
        A ga = num.array(gradOut);
        A xa = num.array(x);
        A wg = num.array(gradWeight);
        Nchw xs = Nchw.of(x);
        int chunks = (s.batch + items - 1) / items;
        int ld = items * s.pixels;
        int size = s.outChannels * s.patch;
        Object[] partials = new Object[chunks];
        CpuThreads.parallelFor(chunks, 1, (from, to) -> {
            A acc = from == 0 ? wg : num.newArray(size);
            A cat = num.newArray(s.groupOut * ld);
            A cols = num.newArray(s.patch * ld);
            for (int c = from; c < to; c++) {
                int n0 = c * items;
                int count = Math.min(items, s.batch - n0);
                for (int g = 0; g < s.groups; g++) {
                    gatherGradOut(ga, gradOut, s, n0, count, g, cat, ld);
                    for (int i = 0; i < count; i++) {
                        Im2Col.im2col(xa, xs.plane(n0 + i, g * s.groupIn), xs, s, cols, i * s.pixels, ld, 0, s.outH);
                    }
                    // gradOut [groupOut, count * pixels] times the transposed columns [count * pixels, patch]
                    num.gemm(s.groupOut, s.patch, count * s.pixels, cat, 0, ld, 1, cols, 0, 1, ld, true,
                            acc, g * s.groupOut * s.patch, s.patch);
                }
            }
            partials[from] = acc;
        });
        for (int from = 1; from < partials.length; from++) {
            if (partials[from] != null) {
                num.addInto(wg, num.cast(partials[from]), size);
            }
        }
    }

    /** One (batch item, group) step of the weight gradient, accumulating into {@code acc}. */
    @FunctionalInterface
    private interface ItemStep<A> {
        void run(int n, int g, A cols, A acc);
    }

    // ------------------------------------------------------------ the element-type-specific steps

    /** What the loops above need of an element type {@code A} (float[] or double[]). */
    private abstract static class Numbers<A> {

        static final Numbers<float[]> F32 = new Numbers<>() {
            @Override
            float[] array(NDArray a) {
                return ((CpuStorage) a.storage()).floats();
            }

            @Override
            float[] newArray(int length) {
                return new float[length];
            }

            @Override
            float[] cast(Object a) {
                return (float[]) a;
            }

            @Override
            void gemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int bRs,
                      int bCs, boolean accumulate, float[] c, int cOff, int ldc) {
                Gemm.sgemm(m, n, k, 1f, a, aOff, aRs, aCs, b, bOff, bRs, bCs, accumulate ? 1f : 0f, c, cOff, ldc);
            }

            @Override
            void finish(float[] out, int off, int rows, int cols, int rowStride, Epilogue<float[]> e, int channel0) {
                int lanes = LANES.length();
                FloatVector zero = FloatVector.zero(LANES);
                for (int r = 0; r < rows; r++) {
                    int o = channel0 + r;
                    float scale = e.scale() == null ? 1f : e.scale()[e.scaleOff() + o * e.scaleStride()];
                    float shift = e.shift() == null ? 0f : e.shift()[e.shiftOff() + o * e.shiftStride()];
                    FloatVector vScale = FloatVector.broadcast(LANES, scale);
                    FloatVector vShift = FloatVector.broadcast(LANES, shift);
                    int row = off + r * rowStride;
                    int j = 0;
                    for (; j <= cols - lanes; j += lanes) {
                        FloatVector v = FloatVector.fromArray(LANES, out, row + j).fma(vScale, vShift);
                        // ReLU as x < 0 ? 0 : x, PyTorch's: -0.0 and NaN pass unchanged.
                        (e.relu() ? v.blend(zero, v.lt(zero)) : v).intoArray(out, row + j);
                    }
                    for (; j < cols; j++) {
                        float v = Math.fma(out[row + j], scale, shift);
                        out[row + j] = e.relu() && v < 0f ? 0f : v;
                    }
                }
            }

            @Override
            void addInto(float[] dst, float[] src, int n) {
                for (int i = 0; i < n; i++) {
                    dst[i] += src[i];
                }
            }
        };

        static final Numbers<double[]> F64 = new Numbers<>() {
            @Override
            double[] array(NDArray a) {
                return ((CpuStorage) a.storage()).doubles();
            }

            @Override
            double[] newArray(int length) {
                return new double[length];
            }

            @Override
            double[] cast(Object a) {
                return (double[]) a;
            }

            @Override
            void gemm(int m, int n, int k, double[] a, int aOff, int aRs, int aCs, double[] b, int bOff, int bRs,
                      int bCs, boolean accumulate, double[] c, int cOff, int ldc) {
                Gemm.dgemm(m, n, k, 1d, a, aOff, aRs, aCs, b, bOff, bRs, bCs, accumulate ? 1d : 0d, c, cOff, ldc);
            }

            @Override
            void finish(double[] out, int off, int rows, int cols, int rowStride, Epilogue<double[]> e, int channel0) {
                for (int r = 0; r < rows; r++) {
                    int o = channel0 + r;
                    double scale = e.scale() == null ? 1d : e.scale()[e.scaleOff() + o * e.scaleStride()];
                    double shift = e.shift() == null ? 0d : e.shift()[e.shiftOff() + o * e.shiftStride()];
                    int row = off + r * rowStride;
                    for (int j = 0; j < cols; j++) {
                        double v = Math.fma(out[row + j], scale, shift);
                        out[row + j] = e.relu() && v < 0d ? 0d : v;
                    }
                }
            }

            @Override
            void addInto(double[] dst, double[] src, int n) {
                for (int i = 0; i < n; i++) {
                    dst[i] += src[i];
                }
            }
        };

        abstract A array(NDArray a);

        abstract A newArray(int length);

        abstract A cast(Object a);

        /** {@code C = A B} ({@code accumulate}: {@code C += A B}); A and B with arbitrary element strides. */
        abstract void gemm(int m, int n, int k, A a, int aOff, int aRs, int aCs, A b, int bOff, int bRs, int bCs,
                           boolean accumulate, A c, int cOff, int ldc);

        /**
         * Applies {@code e} to the {@code rows x cols} block at {@code off} whose rows, {@code rowStride}
         * apart, are output channels {@code channel0, channel0 + 1, ...}.
         */
        abstract void finish(A out, int off, int rows, int cols, int rowStride, Epilogue<A> e, int channel0);

        abstract void addInto(A dst, A src, int n);
    }
}
