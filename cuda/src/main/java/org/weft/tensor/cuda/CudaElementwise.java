package org.weft.tensor.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.NDArray;
import org.weft.tensor.backend.BinaryOp;
import org.weft.tensor.backend.CompareOp;
import org.weft.tensor.backend.ElementwiseKernels;
import org.weft.tensor.backend.UnaryOp;

/**
 * {@link ElementwiseKernels} on a GPU: the kernels of native/src/elementwise.cu, with every
 * input described by a merged {@link WeftStrides} over the output's shape (broadcast inputs
 * have stride 0) and the output written contiguously (a strided output gets a scratch array
 * and a copy).
 *
 * <p>The kernels cover F32, F64, BF16, I64 and I32. U8 and BOOL operands, which the checking
 * half lets through for a few ops (neg of U8, maximum of masks, comparing masks), are widened
 * to I32 scratch arrays and the result converted back: exact, since I32 arithmetic wraps
 * modulo 2^32 and the conversion back to U8 wraps modulo 256. Rounding (floor, ceil, round)
 * of an integer array is the identity, a copy.
 *
 * <p>Integer {@code pow} with a negative exponent: the CPU backend throws; the kernel's result
 * is undefined (ABI.md), and finding the exponent would mean reading device memory on the
 * host, so it is not checked here.
 *
 * <p>Status: launches checked against native/ABI.md without a GPU ({@code CudaElementwiseTest});
 * not yet run on a GPU ({@code CudaOpsDeviceTest} holds each op against the CPU backend there).
 */
final class CudaElementwise implements ElementwiseKernels {

    private final Launcher launcher;
    private final Scratch scratch;
    private final CudaCopy copy;
    private final Device device;

    CudaElementwise(Launcher launcher, Scratch scratch, CudaCopy copy, Device device) {
        this.launcher = launcher;
        this.scratch = scratch;
        this.copy = copy;
        this.device = device;
    }

    @Override
    public void unary(UnaryOp op, NDArray x, NDArray out) {
        if (out.numel() == 0) {
            return;
        }
        DType t = out.dtype();
        boolean integer = !t.isFloatingPoint();
        if (integer && (op == UnaryOp.FLOOR || op == UnaryOp.CEIL || op == UnaryOp.ROUND)) {
            copy.copy(x, out);
            return;
        }
        if (integer && op.floatResult()) {
            // The checking half converts integer inputs of these ops to F32; not reached from NDArray.
            throw NotOnCuda.op("elementwise.unary(" + op + ")", "for " + t, device);
        }
        if (t == DType.U8 || t == DType.BOOL) {
            widened(out, List.of(x), args -> unary(op, args.get(0), args.get(args.size() - 1)));
            return;
        }
        requireKernelDtype("elementwise.unary(" + op + ")", t, !op.floatResult());
        String kernel = "weft_unary_" + op.opName() + "_" + Operands.suffix(t);
        writeContiguous(out, dst -> {
            WeftStrides d = WeftStrides.merge(dst.dims(), x.strides());
            launcher.launch(Launch.elementwise(kernel, dst.numel(), op.opName() + " of " + Operands.describe(x),
                    (long) dst.numel(), Operands.pointer(x), d.bytes(0), Operands.pointer(dst)));
        });
    }

    @Override
    public void geluBackward(UnaryOp gelu, NDArray grad, NDArray x, NDArray out) {
        if (out.numel() == 0) {
            return;
        }
        String form = switch (gelu) {
            case GELU_ERF -> "erf";
            case GELU_TANH -> "tanh";
            default -> throw new IllegalArgumentException("geluBackward of " + gelu);
        };
        requireKernelDtype("elementwise.geluBackward(" + gelu + ")", out.dtype(), false);
        String kernel = "weft_gelu_" + form + "_backward_" + Operands.suffix(out.dtype());
        writeContiguous(out, dst -> {
            WeftStrides d = WeftStrides.merge(dst.dims(), grad.strides(), x.strides());
            launcher.launch(Launch.elementwise(kernel, dst.numel(), "gelu(" + form + ") backward of "
                    + Operands.describe(x), (long) dst.numel(), Operands.pointer(grad), d.bytes(0),
                    Operands.pointer(x), d.bytes(1), Operands.pointer(dst)));
        });
    }

    @Override
    public void binary(BinaryOp op, NDArray a, NDArray b, NDArray out) {
        if (out.numel() == 0) {
            return;
        }
        DType t = out.dtype();
        if (t == DType.U8 || t == DType.BOOL) {
            widened(out, List.of(a, b), args -> binary(op, args.get(0), args.get(1), args.get(2)));
            return;
        }
        requireKernelDtype("elementwise.binary(" + op + ")", t, op != BinaryOp.DIV);
        String kernel = "weft_binary_" + op.opName() + "_" + Operands.suffix(t);
        writeContiguous(out, dst -> {
            WeftStrides d = WeftStrides.merge(dst.dims(), a.strides(), b.strides());
            launcher.launch(Launch.elementwise(kernel, dst.numel(), op.opName() + " of " + Operands.describe(a)
                    + " and " + Operands.describe(b) + " to " + dst.shape(), (long) dst.numel(),
                    Operands.pointer(a), d.bytes(0), Operands.pointer(b), d.bytes(1), Operands.pointer(dst)));
        });
    }

    @Override
    public void compare(CompareOp op, NDArray a, NDArray b, NDArray out) {
        if (out.numel() == 0) {
            return;
        }
        DType t = a.dtype();
        if (t == DType.U8 || t == DType.BOOL) {
            NDArray wa = copy.contiguousScratch(a, DType.I32);
            NDArray wb = copy.contiguousScratch(b, DType.I32);
            compare(op, wa, wb, out);
            Operands.release(wa);
            Operands.release(wb);
            return;
        }
        requireKernelDtype("elementwise.compare(" + op + ")", t, true);
        String kernel = "weft_compare_" + op.opName() + "_" + Operands.suffix(t);
        writeContiguous(out, dst -> {
            WeftStrides d = WeftStrides.merge(dst.dims(), a.strides(), b.strides());
            launcher.launch(Launch.elementwise(kernel, dst.numel(), op.opName() + " of " + Operands.describe(a)
                    + " and " + Operands.describe(b) + " to " + dst.shape(), (long) dst.numel(),
                    Operands.pointer(a), d.bytes(0), Operands.pointer(b), d.bytes(1), Operands.pointer(dst)));
        });
    }

    @Override
    public void where(NDArray cond, NDArray a, NDArray b, NDArray out) {
        if (out.numel() == 0) {
            return;
        }
        String kernel = "weft_where_" + Operands.width(out.dtype());
        writeContiguous(out, dst -> {
            WeftStrides d = WeftStrides.merge(dst.dims(), cond.strides(), a.strides(), b.strides());
            launcher.launch(Launch.elementwise(kernel, dst.numel(), "where " + cond.shape() + " of "
                    + Operands.describe(a) + " and " + Operands.describe(b), (long) dst.numel(),
                    Operands.pointer(cond), d.bytes(0), Operands.pointer(a), d.bytes(1), Operands.pointer(b),
                    d.bytes(2), Operands.pointer(dst)));
        });
    }

    @Override
    public void clamp(NDArray x, double lo, double hi, NDArray out) {
        if (out.numel() == 0) {
            return;
        }
        DType t = out.dtype();
        if (t == DType.U8) {
            widened(out, List.of(x), args -> clamp(args.get(0), lo, hi, args.get(1)));
            return;
        }
        requireKernelDtype("elementwise.clamp", t, true);
        Object l = scalar(t, lo);
        Object h = scalar(t, hi);
        String kernel = "weft_clamp_" + Operands.suffix(t);
        writeContiguous(out, dst -> {
            WeftStrides d = WeftStrides.merge(dst.dims(), x.strides());
            launcher.launch(Launch.elementwise(kernel, dst.numel(), "clamp of " + Operands.describe(x) + " to ["
                    + lo + ", " + hi + "]", (long) dst.numel(), Operands.pointer(x), d.bytes(0), l, h,
                    Operands.pointer(dst)));
        });
    }

    @Override
    public void thresholdBackward(NDArray grad, NDArray x, double threshold, NDArray out) {
        if (out.numel() == 0) {
            return;
        }
        requireKernelDtype("elementwise.thresholdBackward", out.dtype(), false);
        String kernel = "weft_threshold_backward_" + Operands.suffix(out.dtype());
        Object th = scalar(out.dtype(), threshold);
        writeContiguous(out, dst -> {
            WeftStrides d = WeftStrides.merge(dst.dims(), grad.strides(), x.strides());
            launcher.launch(Launch.elementwise(kernel, dst.numel(), "threshold backward of " + Operands.describe(x),
                    (long) dst.numel(), Operands.pointer(grad), d.bytes(0), Operands.pointer(x), d.bytes(1), th,
                    Operands.pointer(dst)));
        });
    }

    /**
     * A scalar parameter {@code S} as ABI.md types it: float for F32 and BF16, double for F64,
     * long long for I64 and I32. An infinite bound of an integer array becomes the type's
     * extreme: the kernel compares in the element type, where a long bound would wrap.
     */
    static Object scalar(DType t, double v) {
        return switch (t) {
            case F32, BF16 -> (float) v;
            case F64 -> v;
            case I64 -> (long) v;
            case I32 -> Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, (long) v));
            default -> throw new IllegalArgumentException("no scalar parameter type for " + t);
        };
    }

    /** Fails with NotOnCuda's message unless the kernels of this op exist for {@code t}. */
    private void requireKernelDtype(String op, DType t, boolean integersToo) {
        boolean ok = t == DType.F32 || t == DType.F64 || t == DType.BF16
                || (integersToo && (t == DType.I64 || t == DType.I32));
        if (!ok) {
            throw NotOnCuda.op(op, "for " + t, device);
        }
    }

    /** Runs {@code body} on {@code out} if it is contiguous, else on a scratch array then copied into it. */
    private void writeContiguous(NDArray out, Consumer<NDArray> body) {
        if (out.isContiguous()) {
            body.accept(out);
            return;
        }
        NDArray tmp = scratch.empty(out.dtype(), out.dims());
        body.accept(tmp);
        copy.copySameType(tmp, out);
        Operands.release(tmp);
    }

    /**
     * Computes an op of U8 or BOOL arrays in I32: the inputs converted to contiguous I32
     * scratch arrays, the op run into an I32 scratch output (the last element of the list
     * {@code op} gets), and that converted back into {@code out}.
     */
    private void widened(NDArray out, List<NDArray> inputs, Consumer<List<NDArray>> op) {
        List<NDArray> args = new ArrayList<>();
        for (NDArray in : inputs) {
            args.add(copy.contiguousScratch(in, DType.I32));
        }
        NDArray wide = scratch.empty(DType.I32, out.dims());
        args.add(wide);
        op.accept(args);
        copy.copy(wide, out);
        args.forEach(Operands::release);
    }
}
