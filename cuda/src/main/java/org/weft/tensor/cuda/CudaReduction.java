package org.weft.tensor.cuda;

import java.util.Arrays;
import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.NDArray;
import org.weft.tensor.backend.ReductionKernels;

/**
 * {@link ReductionKernels} on a GPU: the {@code weft_reduce_*} kernels of native/src/reduce.cu
 * over the {@code [outer, r, inner]} layout a {@link ReductionPlan} brings the input to.
 *
 * <p>U8 and BOOL inputs are converted first (to I64 for sums, to I32 for amax/amin and
 * max-along-a-dimension, whose results are converted back), since the kernels exist for
 * F32, F64, BF16, I64 and I32 only. {@code cumsum} and {@code sort} have no kernels yet
 * (ABI.md, "Not yet written") and fail with NotOnCuda's message.
 *
 * <p>Status: launches checked against native/ABI.md without a GPU ({@code CudaReductionTest});
 * not yet run on a GPU ({@code CudaOpsDeviceTest} holds each op against the CPU backend there).
 */
final class CudaReduction implements ReductionKernels {

    private final Launcher launcher;
    private final Scratch scratch;
    private final CudaCopy copy;
    private final Device device;

    CudaReduction(Launcher launcher, Scratch scratch, CudaCopy copy, Device device) {
        this.launcher = launcher;
        this.scratch = scratch;
        this.copy = copy;
        this.device = device;
    }

    @Override
    public void sum(NDArray x, int[] dims, NDArray out) {
        DType in = x.dtype().isFloatingPoint() || x.dtype() == DType.I32 ? x.dtype() : DType.I64;
        reduce("sum", x, dims, in, out);
    }

    @Override
    public void mean(NDArray x, int[] dims, NDArray out) {
        requireFloat("reduction.mean", x.dtype());
        reduce("mean", x, dims, x.dtype(), out);
    }

    @Override
    public void var(NDArray x, int[] dims, double correction, boolean std, NDArray out) {
        requireFloat("reduction.var", x.dtype());
        reduce("var", x, dims, x.dtype(), out, correction, std ? 1 : 0);
    }

    @Override
    public void amax(NDArray x, int[] dims, boolean largest, NDArray out) {
        DType t = x.dtype();
        if (t == DType.U8 || t == DType.BOOL) {
            NDArray wide = scratch.empty(DType.I32, out.dims());
            reduce("extreme", x, dims, DType.I32, wide, largest ? 1 : 0);
            copy.copy(wide, out);
            Operands.release(wide);
            return;
        }
        reduce("extreme", x, dims, t, out, largest ? 1 : 0);
    }

    @Override
    public void maxAlongDim(NDArray x, int dim, boolean largest, NDArray values, NDArray indices) {
        DType t = x.dtype();
        DType in = t == DType.U8 || t == DType.BOOL ? DType.I32 : t;
        String kernel = "weft_reduce_arg_extreme_" + suffix("reduction.maxAlongDim", in);
        NDArray v = values == null ? null : in != t || !values.isContiguous() ? scratch.empty(in, values.dims()) : values;
        NDArray idx = indices.isContiguous() ? indices : scratch.empty(DType.I64, indices.dims());
        ReductionPlan p = ReductionPlan.of(x, new int[] {dim}, in, copy);
        if (!p.empty()) {
            launcher.launch(p.launch(kernel, (largest ? "max" : "min") + " along dim " + dim + " of "
                    + Operands.describe(x), p.outer(), p.r(), p.inner(), Operands.pointer(p.source()),
                    v == null ? Operands.none() : Operands.pointer(v), Operands.pointer(idx), largest ? 1 : 0));
        }
        p.release();
        if (v != null && v != values) {
            copy.copy(v, values);
            Operands.release(v);
        }
        if (idx != indices) {
            copy.copy(idx, indices);
            Operands.release(idx);
        }
    }

    @Override
    public void logsumexp(NDArray x, int[] dims, NDArray out) {
        requireFloat("reduction.logsumexp", x.dtype());
        reduce("logsumexp", x, dims, x.dtype(), out);
    }

    @Override
    public void norm(NDArray x, int[] dims, double p, NDArray out) {
        requireFloat("reduction.norm", x.dtype());
        reduce("norm", x, dims, x.dtype(), out, p);
    }

    @Override
    public void cumsum(NDArray x, int dim, boolean reverse, NDArray out) {
        throw NotOnCuda.op("reduction.cumsum", "(no cumsum kernel yet, native/ABI.md)", device);
    }

    @Override
    public void sort(NDArray x, int dim, boolean descending, NDArray values, NDArray indices) {
        throw NotOnCuda.op("reduction.sort", "(no sort or top-k kernel yet, native/ABI.md)", device);
    }

    /**
     * One {@code weft_reduce_<op>_<dtype>} launch over {@code x} brought to {@code [outer, r,
     * inner]} in dtype {@code in}; {@code extra} are the parameters after {@code out}.
     */
    private void reduce(String op, NDArray x, int[] dims, DType in, NDArray out, Object... extra) {
        String kernel = "weft_reduce_" + op + "_" + suffix("reduction." + (op.equals("extreme") ? "amax" : op), in);
        NDArray target = out.isContiguous() ? out : scratch.empty(out.dtype(), out.dims());
        ReductionPlan p = ReductionPlan.of(x, dims, in, copy);
        if (!p.empty()) {
            Object[] args = new Object[5 + extra.length];
            args[0] = p.outer();
            args[1] = p.r();
            args[2] = p.inner();
            args[3] = Operands.pointer(p.source());
            args[4] = Operands.pointer(target);
            System.arraycopy(extra, 0, args, 5, extra.length);
            launcher.launch(p.launch(kernel,
                    op + " over dims " + Arrays.toString(dims) + " of " + Operands.describe(x), args));
        }
        p.release();
        if (target != out) {
            copy.copy(target, out);
            Operands.release(target);
        }
    }

    /** The kernel name's dtype part; F16 (storage-only) has no reduction kernels. */
    private String suffix(String op, DType t) {
        if (t == DType.F16) {
            throw NotOnCuda.op(op, "for F16 (a storage dtype; convert to F32 first)", device);
        }
        return Operands.suffix(t);
    }

    private void requireFloat(String op, DType t) {
        if (t != DType.F32 && t != DType.F64 && t != DType.BF16) {
            throw NotOnCuda.op(op, "for " + t, device);
        }
    }
}
