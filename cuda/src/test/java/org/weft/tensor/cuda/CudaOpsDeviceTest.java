package org.weft.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.bytedeco.cuda.global.cudart;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.NDArray;
import org.weft.tensor.backend.Backend;
import org.weft.tensor.backend.Backends;
import org.weft.tensor.backend.BinaryOp;
import org.weft.tensor.backend.CompareOp;
import org.weft.tensor.backend.Conv2dParams;
import org.weft.tensor.backend.PoolWindow;
import org.weft.tensor.backend.UnaryOp;
import org.weft.tensor.cpu.CpuBackend;
import org.weft.tensor.cpu.CpuStorage;
import org.weft.tensor.random.Generator;

/**
 * The wired CUDA families on a real GPU, each op held against the CPU backend (the reference)
 * on random inputs: odd sizes, non-contiguous views, broadcasting, and outputs poisoned first
 * (every byte 0xFF: NaN for floats, -1 or 255 for integers, an invalid BOOL) so that an element
 * a kernel forgot to write fails the comparison.
 *
 * <p>Status: written without a GPU and never yet run. Skipped (assumption) where
 * {@link CudaProbe} finds no usable GPU, unless {@code -Dweft.requireGpu=true} turns a missing
 * GPU into a failure, as for {@link CudaDeviceTest}.
 */
class CudaOpsDeviceTest {

    private static final Device GPU = Device.cuda(0);
    private static final CpuBackend CPU = CpuBackend.INSTANCE;

    private static CudaBackend backend;
    private final Generator rng = new Generator(20261123L);

    @BeforeAll
    static void gpu() {
        CudaStatus s = CudaProbe.status();
        if (Boolean.getBoolean("weft.requireGpu")) {
            assertTrue(s.usable(), () -> "no usable GPU: " + s.reason());
        }
        assumeTrue(s.usable(), () -> "no usable GPU: " + s.reason());
        backend = (CudaBackend) Backends.of(GPU);
    }

    // --- moving data ---------------------------------------------------------------------------

    @Test
    void everyDtypeRoundTripsBitForBitIncludingViewsAndArraysLargerThanTheStagingRing() {
        for (DType t : DType.values()) {
            for (int n : new int[] {0, 1, 7, 1001}) {
                NDArray host = random(t, n);
                assertSameBits(host, host.toDevice(GPU).toDevice(Device.CPU), t + " [" + n + "]");
            }
            NDArray view = random(t, 9, 14).t().narrow(0, 3, 9); // strided, with an offset
            NDArray back = view.toDevice(GPU).toDevice(Device.CPU);
            assertTrue(back.isContiguous());
            assertSameBits(view, back, t + " view");
        }
        // 5.5M floats = 22 MB: more chunks (4 MiB) than the ring (4) holds, so uploads wait on events.
        NDArray big = random(DType.F32, 5_500_003);
        assertSameBits(big, big.toDevice(GPU).toDevice(Device.CPU), "F32 [5500003]");
    }

    @Test
    void aDeviceViewComesBackAsItsElements() {
        NDArray host = random(DType.F64, 6, 7, 5);
        NDArray view = host.toDevice(GPU).permute(2, 0, 1).slice(1, 1, 6, 2);
        assertSameBits(host.permute(2, 0, 1).slice(1, 1, 6, 2), view.toDevice(Device.CPU), "permuted slice");
    }

    @Test
    void copiesBetweenAnyStridesAndDtypesMatchTheCpu() {
        List<DType> types = List.of(DType.F32, DType.F64, DType.BF16, DType.I64, DType.I32, DType.U8, DType.BOOL);
        for (DType from : types) {
            // Normal values (randn) stay far inside every integer range: an out-of-range
            // float-to-integer conversion is undefined on both backends.
            NDArray src0 = random(from, 5, 1, 9);
            NDArray src = src0.expand(5, 3, 9).transpose(0, 2); // [9, 3, 5], broadcast and strided
            NDArray srcGpu = src0.toDevice(GPU).expand(5, 3, 9).transpose(0, 2);
            for (DType to : types) {
                NDArray expected = NDArray.zeros(to, Device.CPU, 9, 3, 5);
                CPU.copy().copy(src, expected);
                // Into a contiguous destination, and into every other element of a wider one.
                // F64 -> BF16 rounds once on the GPU (ABI.md) but twice on the CPU (through float),
                // so the two may differ by one BF16 ulp where the float lands on a tie.
                double rtol = from == DType.F64 && to == DType.BF16 ? 0x1p-8 : 0;
                NDArray dense = poisoned(to, 9, 3, 5);
                backend.copy().copy(srcGpu, dense);
                assertClose(expected, dense, rtol, "copy " + from + " -> " + to);
                NDArray wide = poisoned(to, 9, 3, 10);
                NDArray strided = wide.slice(2, 0, 10, 2);
                backend.copy().copy(srcGpu, strided);
                assertClose(expected, strided, rtol, "copy " + from + " -> strided " + to);
            }
        }
    }

    @Test
    void fillWritesEveryElementOfAStridedArray() {
        for (DType t : DType.values()) {
            for (double v : new double[] {0, -1.5, 3, 1e10}) {
                NDArray expected = NDArray.zeros(t, Device.CPU, 7, 3);
                CPU.copy().fill(expected, v);
                NDArray out = poisoned(t, 3, 7).t();
                backend.copy().fill(out, v);
                assertSame(expected, out, "fill " + t + " " + v);
            }
        }
    }

    // --- elementwise ---------------------------------------------------------------------------

    @Test
    void everyUnaryOpMatchesTheCpuOnStridedInputs() {
        for (DType t : List.of(DType.F32, DType.F64, DType.I64, DType.I32)) {
            for (UnaryOp op : UnaryOp.values()) {
                if (op.floatResult() && !t.isFloatingPoint()) {
                    continue; // the checking half converts these inputs to F32
                }
                NDArray base = random(t, 13, 37);
                NDArray x = base.t();
                NDArray xGpu = base.toDevice(GPU).t();
                NDArray expected = NDArray.zeros(t, Device.CPU, 37, 13);
                CPU.elementwise().unary(op, x, expected);
                NDArray out = poisoned(t, 37, 13);
                backend.elementwise().unary(op, xGpu, out);
                assertClose(expected, out, tolerance(t), op + " " + t);
                NDArray strided = poisoned(t, 13, 37).t();
                backend.elementwise().unary(op, xGpu, strided);
                assertClose(expected, strided, tolerance(t), op + " " + t + " into a strided output");
            }
        }
        NDArray u = random(DType.U8, 301);
        NDArray expected = NDArray.zeros(DType.U8, Device.CPU, 301);
        CPU.elementwise().unary(UnaryOp.NEG, u, expected);
        NDArray out = poisoned(DType.U8, 301);
        backend.elementwise().unary(UnaryOp.NEG, u.toDevice(GPU), out);
        assertSame(expected, out, "neg U8 (widened)");
    }

    @Test
    void everyBinaryOpMatchesTheCpuWithBroadcasting() {
        for (DType t : List.of(DType.F32, DType.F64, DType.I64, DType.I32, DType.U8)) {
            for (BinaryOp op : BinaryOp.values()) {
                if (op == BinaryOp.DIV && !t.isFloatingPoint()) {
                    continue;
                }
                NDArray a0 = random(t, 5, 1, 7);
                NDArray b0 = random(t, 7, 3);
                if (op == BinaryOp.POW) {
                    // Non-negative bases and small non-negative exponents (no negative integer powers).
                    a0 = t.isFloatingPoint() ? a0.abs() : a0;
                    b0 = t.isFloatingPoint() ? b0.abs().mul(2.0) : b0.abs().clamp(0, 3);
                }
                NDArray a = a0.expand(5, 3, 7);
                NDArray b = b0.t().unsqueeze(0).expand(5, 3, 7);
                NDArray expected = NDArray.zeros(t, Device.CPU, 5, 3, 7);
                CPU.elementwise().binary(op, a, b, expected);
                NDArray out = poisoned(t, 5, 3, 7);
                backend.elementwise().binary(op, a0.toDevice(GPU).expand(5, 3, 7),
                        b0.toDevice(GPU).t().unsqueeze(0).expand(5, 3, 7), out);
                assertClose(expected, out, tolerance(t), op + " " + t);
            }
        }
        NDArray m = random(DType.BOOL, 4, 5);
        NDArray n = random(DType.BOOL, 4, 5);
        NDArray expected = NDArray.zeros(DType.BOOL, Device.CPU, 4, 5);
        CPU.elementwise().binary(BinaryOp.MAXIMUM, m, n, expected);
        NDArray out = poisoned(DType.BOOL, 4, 5);
        backend.elementwise().binary(BinaryOp.MAXIMUM, m.toDevice(GPU), n.toDevice(GPU), out);
        assertSame(expected, out, "maximum of masks");
    }

    @Test
    void comparisonsAndWhereMatchTheCpuIncludingTies() {
        for (DType t : List.of(DType.F32, DType.F64, DType.I64, DType.I32, DType.BOOL)) {
            // Small integers make ties common.
            NDArray a0 = NDArray.randint(0, 3, rng, 6, 1, 11).to(t);
            NDArray b0 = NDArray.randint(0, 3, rng, 11, 4).to(t);
            NDArray a = a0.expand(6, 4, 11);
            NDArray b = b0.t().expand(6, 4, 11);
            NDArray aGpu = a0.toDevice(GPU).expand(6, 4, 11);
            NDArray bGpu = b0.toDevice(GPU).t().expand(6, 4, 11);
            for (CompareOp op : CompareOp.values()) {
                NDArray expected = NDArray.zeros(DType.BOOL, Device.CPU, 6, 4, 11);
                CPU.elementwise().compare(op, a, b, expected);
                NDArray out = poisoned(DType.BOOL, 6, 4, 11);
                backend.elementwise().compare(op, aGpu, bGpu, out);
                assertSame(expected, out, op + " " + t);
            }
            NDArray cond0 = random(DType.BOOL, 6, 4, 1);
            NDArray expected = NDArray.zeros(t, Device.CPU, 6, 4, 11);
            CPU.elementwise().where(cond0.expand(6, 4, 11), a, b, expected);
            NDArray out = poisoned(t, 6, 4, 11);
            backend.elementwise().where(cond0.toDevice(GPU).expand(6, 4, 11), aGpu, bGpu, out);
            assertSame(expected, out, "where " + t);
        }
        NDArray x = NDArray.of(new float[] {Float.NaN, 1, Float.NaN}, 3);
        NDArray y = NDArray.of(new float[] {Float.NaN, Float.NaN, 2}, 3);
        for (CompareOp op : CompareOp.values()) {
            NDArray expected = NDArray.zeros(DType.BOOL, Device.CPU, 3);
            CPU.elementwise().compare(op, x, y, expected);
            NDArray out = poisoned(DType.BOOL, 3);
            backend.elementwise().compare(op, x.toDevice(GPU), y.toDevice(GPU), out);
            assertSame(expected, out, op + " with NaN");
        }
    }

    @Test
    void clampAndTheBackwardHelpersMatchTheCpu() {
        double inf = Double.POSITIVE_INFINITY;
        double[][] bounds = {{-0.5, 0.5}, {-inf, 0.25}, {-1, inf}, {-inf, inf}};
        for (DType t : List.of(DType.F32, DType.F64, DType.I64, DType.I32)) {
            NDArray base = t.isFloatingPoint() ? random(t, 9, 10) : NDArray.randint(-5, 5, rng, 9, 10).to(t);
            NDArray x = base.t();
            for (double[] lh : bounds) {
                double lo = t.isFloatingPoint() ? lh[0] : Math.floor(lh[0]);
                double hi = t.isFloatingPoint() ? lh[1] : Math.ceil(lh[1]);
                NDArray expected = NDArray.zeros(t, Device.CPU, 10, 9);
                CPU.elementwise().clamp(x, lo, hi, expected);
                NDArray out = poisoned(t, 10, 9);
                backend.elementwise().clamp(base.toDevice(GPU).t(), lo, hi, out);
                assertSame(expected, out, "clamp " + t + " [" + lo + ", " + hi + "]");
            }
        }
        for (DType t : List.of(DType.F32, DType.F64)) {
            NDArray g = random(t, 17, 3);
            NDArray xBase = random(t, 3, 17);
            NDArray x = xBase.t();
            NDArray xGpu = xBase.toDevice(GPU).t();
            for (UnaryOp gelu : List.of(UnaryOp.GELU_ERF, UnaryOp.GELU_TANH)) {
                NDArray expected = NDArray.zeros(t, Device.CPU, 17, 3);
                CPU.elementwise().geluBackward(gelu, g, x, expected);
                NDArray out = poisoned(t, 17, 3);
                backend.elementwise().geluBackward(gelu, g.toDevice(GPU), xGpu, out);
                assertClose(expected, out, tolerance(t), gelu + " backward " + t);
            }
            NDArray expected = NDArray.zeros(t, Device.CPU, 17, 3);
            CPU.elementwise().thresholdBackward(g, x, 0.0, expected);
            NDArray out = poisoned(t, 17, 3);
            backend.elementwise().thresholdBackward(g.toDevice(GPU), xGpu, 0.0, out);
            assertSame(expected, out, "threshold backward " + t);
        }
    }

    // --- reductions ----------------------------------------------------------------------------

    @Test
    void reductionsOverEveryKindOfDimSetMatchTheCpu() {
        int[][] dimSets = {{0}, {1}, {2}, {0, 1}, {1, 2}, {0, 2}, {0, 1, 2}};
        for (DType t : List.of(DType.F32, DType.F64)) {
            // Each dim set on a contiguous input and on a strided one (a permuted view).
            NDArray base = random(t, 7, 33, 5);
            for (NDArray[] x : List.of(new NDArray[] {base.permute(0, 2, 1).contiguous(),
                    base.permute(0, 2, 1).contiguous().toDevice(GPU)},
                    new NDArray[] {base.permute(0, 2, 1), base.toDevice(GPU).permute(0, 2, 1)})) {
                for (int[] dims : dimSets) {
                    int[] kept = keptShape(x[0].dims(), dims);
                    check("sum", t, kept, x, (k, in, out) -> k.reduction().sum(in, dims, out), 1e-6);
                    check("mean", t, kept, x, (k, in, out) -> k.reduction().mean(in, dims, out), 1e-6);
                    check("var", t, kept, x, (k, in, out) -> k.reduction().var(in, dims, 1, false, out), 1e-6);
                    check("std", t, kept, x, (k, in, out) -> k.reduction().var(in, dims, 0, true, out), 1e-6);
                    check("amax", t, kept, x, (k, in, out) -> k.reduction().amax(in, dims, true, out), 0);
                    check("amin", t, kept, x, (k, in, out) -> k.reduction().amax(in, dims, false, out), 0);
                    check("logsumexp", t, kept, x, (k, in, out) -> k.reduction().logsumexp(in, dims, out), 1e-6);
                    for (double p : new double[] {2, 1, 0, 3, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                        check("norm " + p, t, kept, x, (k, in, out) -> k.reduction().norm(in, dims, p, out), 1e-6);
                    }
                }
            }
        }
        for (DType t : List.of(DType.I64, DType.I32, DType.U8, DType.BOOL)) {
            NDArray base = random(t, 6, 9, 4);
            NDArray[] x = {base.transpose(0, 2), base.toDevice(GPU).transpose(0, 2)};
            for (int[] dims : dimSets) {
                int[] kept = keptShape(x[0].dims(), dims);
                check("sum", DType.I64, kept, x, (k, in, out) -> k.reduction().sum(in, dims, out), 0);
                check("amax", t, kept, x, (k, in, out) -> k.reduction().amax(in, dims, true, out), 0);
            }
        }
    }

    @Test
    void maxAlongADimFindsTheFirstMaximumAndTheFirstNan() {
        for (DType t : List.of(DType.F32, DType.F64, DType.I64, DType.I32)) {
            NDArray base = NDArray.randint(0, 4, rng, 3, 8, 5).to(t); // many ties
            NDArray x = base.permute(2, 1, 0); // [5, 8, 3], strided
            NDArray xGpu = base.toDevice(GPU).permute(2, 1, 0);
            for (int dim = 0; dim < 3; dim++) {
                for (boolean largest : new boolean[] {true, false}) {
                    int[] kept = keptShape(x.dims(), new int[] {dim});
                    NDArray ev = NDArray.zeros(t, Device.CPU, kept);
                    NDArray ei = NDArray.zeros(DType.I64, Device.CPU, kept);
                    CPU.reduction().maxAlongDim(x, dim, largest, ev, ei);
                    NDArray gv = poisoned(t, kept);
                    NDArray gi = poisoned(DType.I64, kept);
                    backend.reduction().maxAlongDim(xGpu, dim, largest, gv, gi);
                    assertSame(ev, gv, "values " + t + " dim " + dim + " largest " + largest);
                    assertSame(ei, gi, "indices " + t + " dim " + dim + " largest " + largest);
                    NDArray argOnly = poisoned(DType.I64, kept);
                    backend.reduction().maxAlongDim(xGpu, dim, largest, null, argOnly);
                    assertSame(ei, argOnly, "argmax " + t + " dim " + dim);
                }
            }
        }
        NDArray nan = NDArray.of(new float[] {1, Float.NaN, 3, Float.NaN}, 1, 4);
        NDArray ei = NDArray.zeros(DType.I64, Device.CPU, 1, 1);
        CPU.reduction().maxAlongDim(nan, 1, true, null, ei);
        NDArray gi = poisoned(DType.I64, 1, 1);
        backend.reduction().maxAlongDim(nan.toDevice(GPU), 1, true, null, gi);
        assertSame(ei, gi, "first NaN");
    }

    // --- matmul --------------------------------------------------------------------------------

    @Test
    void matmulMatchesTheCpuWithBothF32KernelsAndEveryLayout() {
        CudaLinalg tiled = new CudaLinalg(backend.launcher(), GPU, CudaLinalg.F32Gemm.TF32X3);
        CudaLinalg naive = new CudaLinalg(backend.launcher(), GPU, CudaLinalg.F32Gemm.NAIVE);
        int[][] mkn = {{1, 1, 1}, {37, 64, 129}, {130, 3, 257}, {200, 128, 96}};
        for (int[] s : mkn) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    NDArray aBase = ta ? random(DType.F32, k, m) : random(DType.F32, m, k);
                    NDArray bBase = tb ? random(DType.F32, n, k) : random(DType.F32, k, n);
                    NDArray a = ta ? aBase.t() : aBase;
                    NDArray b = tb ? bBase.t() : bBase;
                    NDArray aGpu = ta ? aBase.toDevice(GPU).t() : aBase.toDevice(GPU);
                    NDArray bGpu = tb ? bBase.toDevice(GPU).t() : bBase.toDevice(GPU);
                    NDArray expected = NDArray.zeros(DType.F32, Device.CPU, m, n);
                    CPU.linalg().matmul(a, b, 1.0, 0.0, expected);
                    for (CudaLinalg impl : List.of(tiled, naive)) {
                        NDArray out = poisoned(DType.F32, m, n); // beta 0: the NaNs must not leak
                        impl.matmul(aGpu, bGpu, 1.0, 0.0, out);
                        assertRelativeNorm(expected, out, 1e-5, "matmul " + m + "x" + k + "x" + n + " ta " + ta
                                + " tb " + tb);
                    }
                }
            }
        }
    }

    @Test
    void batchedBroadcastAlphaBetaAndF64MatchTheCpu() {
        for (DType t : List.of(DType.F32, DType.F64)) {
            NDArray a0 = random(t, 3, 1, 17, 9);
            NDArray b0 = random(t, 4, 11, 9);
            NDArray a = a0.expand(3, 4, 17, 9);
            NDArray b = b0.transpose(1, 2).unsqueeze(0).expand(3, 4, 9, 11);
            NDArray init = random(t, 3, 4, 17, 11);
            NDArray expected = init.copy();
            CPU.linalg().matmul(a, b, 0.5, 2.0, expected);
            NDArray out = init.toDevice(GPU);
            backend.linalg().matmul(a0.toDevice(GPU).expand(3, 4, 17, 9),
                    b0.toDevice(GPU).transpose(1, 2).unsqueeze(0).expand(3, 4, 9, 11), 0.5, 2.0, out);
            assertRelativeNorm(expected, out, t == DType.F64 ? 1e-12 : 1e-5, "batched " + t);
            // k == 0: only beta * out is left.
            NDArray e0 = init.copy();
            CPU.linalg().matmul(NDArray.zeros(t, Device.CPU, 3, 4, 17, 0), NDArray.zeros(t, Device.CPU, 3, 4, 0, 11),
                    1.0, 0.5, e0);
            NDArray g0 = init.toDevice(GPU);
            backend.linalg().matmul(NDArray.zeros(t, GPU, 3, 4, 17, 0), NDArray.zeros(t, GPU, 3, 4, 0, 11), 1.0, 0.5, g0);
            assertRelativeNorm(e0, g0, 0, "k = 0 " + t);
        }
    }

    // --- softmax and normalisation -----------------------------------------------------------------

    @Test
    void softmaxMatchesTheCpuAlongEveryLayout() {
        for (DType t : List.of(DType.F32, DType.F64)) {
            double tol = t == DType.F32 ? 1e-5 : 1e-10;
            for (int[] shape : new int[][] {{7, 33, 1}, {3, 5, 19}, {1, 1000, 1}, {2, 1, 3}}) {
                NDArray base = random(t, shape[2], shape[1], shape[0]).mul(4.0);
                NDArray x = base.permute(2, 1, 0); // strided [outer, n, inner]
                NDArray xGpu = base.toDevice(GPU).permute(2, 1, 0);
                for (boolean log : new boolean[] {false, true}) {
                    NDArray expected = NDArray.zeros(t, Device.CPU, shape);
                    CPU.norm().softmax(x, log, expected);
                    NDArray out = poisoned(t, shape);
                    backend.norm().softmax(xGpu, log, out);
                    assertClose(expected, out, tol, (log ? "log_softmax " : "softmax ") + t + " "
                            + java.util.Arrays.toString(shape));
                }
            }
        }
    }

    @Test
    void batchNormForwardAndBackwardMatchTheCpu() {
        for (DType t : List.of(DType.F32, DType.F64)) {
            double tol = t == DType.F32 ? 1e-5 : 1e-10;
            NDArray xBase = random(t, 5, 3, 4, 13); // viewed as [N=5, C=3, S=52] through a permute
            NDArray x = xBase.permute(0, 1, 3, 2).contiguous().reshape(5, 3, 52);
            NDArray xGpu = x.toDevice(GPU);
            NDArray em = NDArray.zeros(t, Device.CPU, 3);
            NDArray ev = NDArray.zeros(t, Device.CPU, 3);
            CPU.norm().channelMoments(x, em, ev);
            NDArray gm = poisoned(t, 3);
            NDArray gv = poisoned(t, 3);
            backend.norm().channelMoments(xGpu, gm, gv);
            assertClose(em, gm, tol, "batch norm mean " + t);
            assertClose(ev, gv, tol, "batch norm biased var " + t);
            NDArray invstd = ev.add(1e-5).rsqrt();
            NDArray w = random(t, 3);
            NDArray b = random(t, 3);
            for (boolean affine : new boolean[] {false, true}) {
                NDArray expected = NDArray.zeros(t, Device.CPU, 5, 3, 52);
                CPU.norm().batchNormApply(x, em, invstd, affine ? w : null, affine ? b : null, expected);
                NDArray out = poisoned(t, 5, 3, 52);
                backend.norm().batchNormApply(xGpu, em.toDevice(GPU), invstd.toDevice(GPU),
                        affine ? w.toDevice(GPU) : null, affine ? b.toDevice(GPU) : null, out);
                assertClose(expected, out, tol, "batch norm apply " + t + " affine " + affine);
            }
            NDArray g = random(t, 5, 3, 52);
            for (boolean training : new boolean[] {true, false}) {
                NDArray ei = NDArray.zeros(t, Device.CPU, 5, 3, 52);
                NDArray ew = NDArray.zeros(t, Device.CPU, 3);
                NDArray eb = NDArray.zeros(t, Device.CPU, 3);
                CPU.norm().batchNormBackward(g, x, em, invstd, w, training, ei, ew, eb);
                NDArray gi = poisoned(t, 5, 3, 52);
                NDArray gw = poisoned(t, 3);
                NDArray gb = poisoned(t, 3);
                backend.norm().batchNormBackward(g.toDevice(GPU), xGpu, em.toDevice(GPU), invstd.toDevice(GPU),
                        w.toDevice(GPU), training, gi, gw, gb);
                assertClose(ei, gi, tol, "batch norm grad input " + t + " training " + training);
                assertClose(ew, gw, tol, "batch norm grad weight " + t);
                assertClose(eb, gb, tol, "batch norm grad bias " + t);
            }
        }
    }

    @Test
    void layerNormForwardAndBackwardMatchTheCpu() {
        for (DType t : List.of(DType.F32, DType.F64)) {
            double tol = t == DType.F32 ? 1e-5 : 1e-10;
            NDArray xBase = random(t, 37, 9);
            NDArray x = xBase.t(); // [9, 37], strided rows
            NDArray xGpu = xBase.toDevice(GPU).t();
            NDArray w = random(t, 37);
            NDArray b = random(t, 37);
            NDArray eo = NDArray.zeros(t, Device.CPU, 9, 37);
            NDArray em = NDArray.zeros(t, Device.CPU, 9);
            NDArray ei = NDArray.zeros(t, Device.CPU, 9);
            CPU.norm().layerNorm(x, w, b, 1e-5, eo, em, ei);
            NDArray go = poisoned(t, 9, 37);
            NDArray gm = poisoned(t, 9);
            NDArray gis = poisoned(t, 9);
            backend.norm().layerNorm(xGpu, w.toDevice(GPU), b.toDevice(GPU), 1e-5, go, gm, gis);
            assertClose(eo, go, tol, "layer norm " + t);
            assertClose(em, gm, tol, "layer norm mean " + t);
            assertClose(ei, gis, tol, "layer norm invstd " + t);
            NDArray g = random(t, 9, 37);
            NDArray egi = NDArray.zeros(t, Device.CPU, 9, 37);
            NDArray egw = NDArray.zeros(t, Device.CPU, 37);
            NDArray egb = NDArray.zeros(t, Device.CPU, 37);
            CPU.norm().layerNormBackward(g, x, em, ei, w, egi, egw, egb);
            NDArray ggi = poisoned(t, 9, 37);
            NDArray ggw = poisoned(t, 37);
            NDArray ggb = poisoned(t, 37);
            backend.norm().layerNormBackward(g.toDevice(GPU), xGpu, em.toDevice(GPU), ei.toDevice(GPU),
                    w.toDevice(GPU), ggi, ggw, ggb);
            assertClose(egi, ggi, tol, "layer norm grad input " + t);
            assertClose(egw, ggw, tol, "layer norm grad weight " + t);
            assertClose(egb, ggb, tol, "layer norm grad bias " + t);
        }
    }

    // --- convolution and pooling -------------------------------------------------------------------

    @Test
    void convolutionForwardAndBackwardMatchTheCpu() {
        Conv2dParams[] params = {new Conv2dParams(1, 1, 1, 1, 1, 1, 1), new Conv2dParams(2, 1, 0, 2, 1, 2, 1),
                new Conv2dParams(1, 2, 1, 0, 1, 1, 2)};
        for (DType t : List.of(DType.F32, DType.F64)) {
            double tol = t == DType.F32 ? 1e-5 : 1e-12;
            for (Conv2dParams p : params) {
                for (int o : new int[] {8, 32}) { // F32: naive below 16 channels per group, implicit GEMM above
                    int c = 6;
                    NDArray xBase = random(t, 3, 13, 11, c);
                    NDArray x = xBase.permute(0, 3, 1, 2); // channels-last view [3, 6, 13, 11]
                    NDArray xGpu = xBase.toDevice(GPU).permute(0, 3, 1, 2);
                    NDArray w = random(t, o, c / p.groups(), 3, 3);
                    NDArray b = random(t, o);
                    int oh = (13 + 2 * p.padH() - p.dilationH() * 2 - 1) / p.strideH() + 1;
                    int ow = (11 + 2 * p.padW() - p.dilationW() * 2 - 1) / p.strideW() + 1;
                    String what = t + " O " + o + " " + p;
                    NDArray expected = NDArray.zeros(t, Device.CPU, 3, o, oh, ow);
                    CPU.conv().conv2d(x, w, b, p, expected);
                    NDArray out = poisoned(t, 3, o, oh, ow);
                    backend.conv().conv2d(xGpu, w.toDevice(GPU), b.toDevice(GPU), p, out);
                    assertRelativeNorm(expected, out, tol, "conv2d " + what);
                    NDArray g = random(t, 3, o, oh, ow);
                    NDArray ei = NDArray.zeros(t, Device.CPU, 3, c, 13, 11);
                    CPU.conv().conv2dBackwardInput(g, w, p, ei);
                    NDArray gi = poisoned(t, 3, c, 13, 11);
                    backend.conv().conv2dBackwardInput(g.toDevice(GPU), w.toDevice(GPU), p, gi);
                    assertRelativeNorm(ei, gi, tol, "conv2d input gradient " + what);
                    NDArray ew = NDArray.zeros(t, Device.CPU, o, c / p.groups(), 3, 3);
                    CPU.conv().conv2dBackwardWeight(g, x, p, ew);
                    NDArray gw = poisoned(t, o, c / p.groups(), 3, 3);
                    backend.conv().conv2dBackwardWeight(g.toDevice(GPU), xGpu, p, gw);
                    assertRelativeNorm(ew, gw, tol, "conv2d weight gradient " + what);
                }
            }
        }
    }

    @Test
    void poolingMatchesTheCpu() {
        PoolWindow[] windows = {new PoolWindow(2, 2, 2, 2, 0, 0, 1, 1), new PoolWindow(3, 3, 2, 2, 1, 1, 1, 1),
                new PoolWindow(3, 2, 1, 2, 1, 0, 1, 1)};
        for (DType t : List.of(DType.F32, DType.F64)) {
            NDArray xBase = random(t, 2, 15, 14, 5);
            NDArray x = xBase.permute(0, 3, 1, 2); // [2, 5, 15, 14], channels-last
            NDArray xGpu = xBase.toDevice(GPU).permute(0, 3, 1, 2);
            for (PoolWindow w : windows) {
                int oh = (15 + 2 * w.padH() - w.kernelH()) / w.strideH() + 1;
                int ow = (14 + 2 * w.padW() - w.kernelW()) / w.strideW() + 1;
                NDArray ev = NDArray.zeros(t, Device.CPU, 2, 5, oh, ow);
                NDArray ei = NDArray.zeros(DType.I64, Device.CPU, 2, 5, oh, ow);
                CPU.conv().maxPool2d(x, w, ev, ei);
                NDArray gv = poisoned(t, 2, 5, oh, ow);
                NDArray gi = poisoned(DType.I64, 2, 5, oh, ow);
                backend.conv().maxPool2d(xGpu, w, gv, gi);
                assertSame(ev, gv, "max_pool2d " + t + " " + w);
                assertSame(ei, gi, "max_pool2d indices " + t + " " + w);
                for (boolean includePad : new boolean[] {true, false}) {
                    for (int divisor : new int[] {0, 5}) {
                        String what = t + " " + w + " includePad " + includePad + " divisor " + divisor;
                        NDArray ea = NDArray.zeros(t, Device.CPU, 2, 5, oh, ow);
                        CPU.conv().avgPool2d(x, w, includePad, divisor, ea);
                        NDArray ga = poisoned(t, 2, 5, oh, ow);
                        backend.conv().avgPool2d(xGpu, w, includePad, divisor, ga);
                        assertClose(ea, ga, tolerance(t), "avg_pool2d " + what);
                        NDArray g = random(t, 2, 5, oh, ow);
                        NDArray eg = NDArray.zeros(t, Device.CPU, 2, 5, 15, 14);
                        CPU.conv().avgPool2dBackward(g, w, includePad, divisor, eg);
                        NDArray gg = poisoned(t, 2, 5, 15, 14);
                        backend.conv().avgPool2dBackward(g.toDevice(GPU), w, includePad, divisor, gg);
                        assertClose(eg, gg, tolerance(t), "avg_pool2d gradient " + what);
                    }
                }
            }
            NDArray ea = NDArray.zeros(t, Device.CPU, 2, 5, 1, 1);
            CPU.conv().adaptiveAvgPool2d(x, ea);
            NDArray ga = poisoned(t, 2, 5, 1, 1);
            backend.conv().adaptiveAvgPool2d(xGpu, ga);
            assertClose(ea, ga, tolerance(t), "adaptive_avg_pool2d to 1 x 1 " + t);
        }
    }

    // --- random numbers ------------------------------------------------------------------------

    @Test
    void randomOpsDrawTheCpusNumbersFromTheSameSeedAndOffset() {
        long seed = 0x5eedL;
        for (DType t : List.of(DType.F32, DType.F64)) {
            for (int n : new int[] {1, 2, 3, 5, 1001}) {
                long offset = 17 + n;
                NDArray e = NDArray.zeros(t, Device.CPU, n);
                CPU.random().uniform(e, seed, offset, -2.0, 3.0);
                NDArray g = poisoned(t, n);
                backend.random().uniform(g, seed, offset, -2.0, 3.0);
                assertSame(e, g, "uniform " + t + " [" + n + "]");
                CPU.random().normal(e, seed, offset, 1.0, 2.0);
                backend.random().normal(g, seed, offset, 1.0, 2.0);
                assertClose(e, g, tolerance(t), "normal " + t + " [" + n + "] (CUDA's log/sin/cos vs fdlibm)");
                NDArray probs = NDArray.rand(DType.F64, rng, n);
                CPU.random().bernoulli(probs, e, seed, offset);
                backend.random().bernoulli(probs.toDevice(GPU), g, seed, offset);
                assertSame(e, g, "bernoulli(probs) " + t + " [" + n + "]");
                CPU.random().bernoulli(0.3, e, seed, offset);
                backend.random().bernoulli(0.3, g, seed, offset);
                assertSame(e, g, "bernoulli(0.3) " + t + " [" + n + "]");
            }
        }
        for (long[] range : new long[][] {{0, 10}, {-5, 3}, {Long.MIN_VALUE, -1}}) {
            NDArray e = NDArray.zeros(DType.I64, Device.CPU, 777);
            CPU.random().randint(e, seed, 3, range[0], range[1]);
            NDArray g = poisoned(DType.I64, 777);
            backend.random().randint(g, seed, 3, range[0], range[1]);
            assertSame(e, g, "randint low " + range[0] + " range " + Long.toUnsignedString(range[1]));
        }
        // Through NDArray: generators in the same state give the same numbers on either device.
        NDArray cpu = NDArray.zeros(DType.F32, Device.CPU, 33, 7).normal_(0, 1, new Generator(5));
        NDArray gpu = NDArray.zeros(DType.F32, GPU, 33, 7).normal_(0, 1, new Generator(5));
        assertClose(cpu, gpu, tolerance(DType.F32), "normal_ through NDArray");
    }

    // --- through NDArray -------------------------------------------------------------------------

    @Test
    void ndArrayOpsOnTheGpuGiveTheCpusValues() {
        NDArray a = random(DType.F32, 33, 65);
        NDArray b = random(DType.F32, 65);
        NDArray cpu = a.add(b).mul(2.0).relu().matmul(a.t()).sum(new int[] {1}, false);
        NDArray gpu = a.toDevice(GPU).add(b.toDevice(GPU)).mul(2.0).relu().matmul(a.toDevice(GPU).t())
                .sum(new int[] {1}, false);
        assertEquals(GPU, gpu.device());
        assertRelativeNorm(cpu, gpu, 1e-5, "composition");
        assertEquals(a.max().item(), a.toDevice(GPU).max().item());
    }

    @Test
    void opsWithoutKernelsStillFailWithNotOnCudasMessage() {
        NDArray x = random(DType.F32, 4, 4).toDevice(GPU);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> x.cumsum(0));
        assertTrue(e.getMessage().startsWith("not yet implemented on CUDA: reduction.cumsum"), e.getMessage());
        Backend k = backend;
        assertTrue(k.index().toString().contains("not yet implemented"), k.index().toString());
    }

    // --- helpers -------------------------------------------------------------------------------

    /** An op of one input and one output on a backend, for {@link #check}. */
    private interface Op {
        void run(Backend backend, NDArray in, NDArray out);
    }

    /**
     * Runs {@code op} on the CPU ({@code x[0]}) and on the GPU ({@code x[1]}, the same values and
     * view), into a poisoned output, and compares.
     */
    private static void check(String name, DType outType, int[] outShape, NDArray[] x, Op op, double rtol) {
        NDArray expected = NDArray.zeros(outType, Device.CPU, outShape);
        op.run(CPU, x[0], expected);
        NDArray out = poisoned(outType, outShape);
        op.run(backend, x[1], out);
        assertClose(expected, out, rtol, name + " of " + x[0].dtype() + " " + x[0].shape() + " (strides "
                + java.util.Arrays.toString(x[1].strides()) + ") into " + out.shape());
    }

    private static int[] keptShape(int[] shape, int[] dims) {
        int[] kept = shape.clone();
        for (int d : dims) {
            kept[d] = 1;
        }
        return kept;
    }

    /** A device array whose every byte is 0xFF. */
    private static NDArray poisoned(DType t, int... dims) {
        NDArray a = backend.empty(t, dims);
        CudaStorage s = (CudaStorage) a.storage();
        if (s.byteSize() > 0) {
            backend.context().makeCurrent();
            CudaException.check(cudart.cuMemsetD8Async(s.address(), (byte) 0xFF, s.byteSize(), backend.stream().raw()),
                    "cuMemsetD8Async");
        }
        return a;
    }

    /** Random host values of {@code t}: normal floats, integers in [-50, 50), U8 in [0, 256), random masks. */
    private NDArray random(DType t, int... dims) {
        return switch (t) {
            case F32, F64 -> NDArray.randn(t, rng, dims);
            case BF16, F16 -> NDArray.randn(DType.F32, rng, dims).to(t);
            case I64, I32 -> NDArray.randint(-50, 50, rng, dims).to(t);
            case U8 -> NDArray.randint(0, 256, rng, dims).to(t);
            case BOOL -> NDArray.randint(0, 2, rng, dims).to(t);
        };
    }

    /**
     * The elementwise tolerance for F32 (libdevice's functions are within a few ulps,
     * the CPU's are computed in double and rounded once), and its F64 counterpart.
     */
    private static double tolerance(DType t) {
        return switch (t) {
            case F32 -> 1e-6;
            case F64 -> 1e-12;
            default -> 0;
        };
    }

    /** The raw bytes of a CPU array's elements in row-major order. */
    private static byte[] rawBytes(NDArray cpu) {
        NDArray c = cpu.copy();
        CpuStorage s = (CpuStorage) c.storage();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(c.numel() * c.dtype().byteSize());
        switch (c.dtype()) {
            case F32 -> b.asFloatBuffer().put(s.floats());
            case F64 -> b.asDoubleBuffer().put(s.doubles());
            case I64 -> b.asLongBuffer().put(s.longs());
            case I32 -> b.asIntBuffer().put(s.ints());
            case U8, BOOL -> b.put(s.bytes());
            case BF16, F16 -> b.asShortBuffer().put(s.shorts());
        }
        return b.array();
    }

    /** Bit-identical elements (NaN payloads included). */
    private static void assertSameBits(NDArray expectedCpu, NDArray actualCpu, String what) {
        assertEquals(expectedCpu.shape(), actualCpu.shape(), what);
        assertEquals(expectedCpu.dtype(), actualCpu.dtype(), what);
        assertArrayEquals(rawBytes(expectedCpu), rawBytes(actualCpu), what);
    }

    /** Equal elements, an unwritten (poisoned) one included: floats compared as values (NaN equals NaN). */
    private static void assertSame(NDArray expectedCpu, NDArray actual, String what) {
        NDArray host = actual.toDevice(Device.CPU);
        if (actual.dtype().isFloatingPoint()) {
            assertClose(expectedCpu, actual, 0, what);
        } else {
            assertSameBits(expectedCpu, host, what);
        }
    }

    /**
     * Each element within {@code rtol * max(|cpu|, 1)} of the CPU's (relative for large values,
     * absolute below one, where a relative bound would ask more than the arithmetic gives); NaN
     * exactly where the CPU has NaN, so a poisoned element never passes.
     */
    private static void assertClose(NDArray expectedCpu, NDArray actual, double rtol, String what) {
        NDArray host = actual.toDevice(Device.CPU);
        assertEquals(expectedCpu.shape(), host.shape(), what);
        if (!actual.dtype().isFloatingPoint()) {
            assertSameBits(expectedCpu, host, what);
            return;
        }
        double[] e = expectedCpu.toDoubleArray();
        double[] g = host.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            boolean ok = Double.isNaN(e[i]) ? Double.isNaN(g[i])
                    : e[i] == g[i] || Math.abs(e[i] - g[i]) <= rtol * Math.max(Math.abs(e[i]), 1);
            if (!ok) {
                throw new AssertionError(what + ": element " + i + " is " + g[i] + ", the CPU has " + e[i]);
            }
        }
    }

    /** ||gpu - cpu|| / ||cpu|| <= tol over all elements (the conformance suite's measure); no NaN anywhere. */
    private static void assertRelativeNorm(NDArray expectedCpu, NDArray actual, double tol, String what) {
        NDArray host = actual.toDevice(Device.CPU);
        assertEquals(expectedCpu.shape(), host.shape(), what);
        double[] e = expectedCpu.toDoubleArray();
        double[] g = host.toDoubleArray();
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < e.length; i++) {
            assertTrue(!Double.isNaN(g[i]), what + ": element " + i + " is NaN (unwritten, or a NaN leaked)");
            diff += (g[i] - e[i]) * (g[i] - e[i]);
            norm += e[i] * e[i];
        }
        double rel = norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
        assertTrue(rel <= tol, what + ": relative error " + rel + " > " + tol);
    }
}
