package org.weft.tensor.cuda;

import java.util.ArrayList;
import java.util.List;
import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.NDArray;
import org.weft.tensor.Normalization;
import org.weft.tensor.backend.NormKernels;

/**
 * {@link NormKernels} on a GPU: softmax (native/src/softmax.cu), batch norm (batchnorm.cu) and
 * layer norm (layernorm.cu). Those kernels take contiguous operands, so a strided operand is
 * first copied into a contiguous scratch array, and a strided output is written through one.
 * The statistics arrays ({@code mean}, {@code var}, {@code invstd}) have the operands' dtype,
 * which is ABI.md's stats type {@code A} for F32 and F64.
 *
 * <p>The losses are not wired: their kernels (cross_entropy.cu) need the per-position
 * target weights that {@code targetWeights} computes, which has no kernel of its own yet, and
 * NLL and probability targets have none (ABI.md, "Not yet written"). They fail with
 * NotOnCuda's message.
 *
 * <p>Status: launches checked against native/ABI.md without a GPU ({@code CudaNormTest}); not
 * yet run on a GPU ({@code CudaOpsDeviceTest} holds each against the CPU backend there).
 */
final class CudaNorm implements NormKernels {

    private final Launcher launcher;
    private final Scratch scratch;
    private final CudaCopy copy;
    private final Device device;

    CudaNorm(Launcher launcher, Scratch scratch, CudaCopy copy, Device device) {
        this.launcher = launcher;
        this.scratch = scratch;
        this.copy = copy;
        this.device = device;
    }

    @Override
    public void softmax(NDArray x, boolean log, NDArray out) {
        long outer = x.size(0);
        long n = x.size(1);
        long inner = x.size(2);
        if (outer * inner == 0) {
            return;
        }
        String kernel = "weft_softmax_forward_" + suffix("norm.softmax", x.dtype());
        try (Staging s = new Staging()) {
            launcher.launch(Launch.rows(kernel, outer, inner, (log ? "log_softmax" : "softmax") + " of "
                    + Operands.describe(x), outer, n, inner, s.in(x), s.out(out), log ? 1 : 0));
        }
    }

    @Override
    public void channelMoments(NDArray x, NDArray mean, NDArray var) {
        long c = x.size(1);
        if (c == 0) {
            return;
        }
        String kernel = "weft_batchnorm_moments_" + suffix("norm.channelMoments", x.dtype());
        try (Staging s = new Staging()) {
            launcher.launch(Launch.perBlock(kernel, c, "batch norm moments of " + Operands.describe(x),
                    (long) x.size(0), c, (long) x.size(2), s.in(x), s.out(mean), s.out(var)));
        }
    }

    @Override
    public void batchNormApply(NDArray x, NDArray mean, NDArray invstd, NDArray weight, NDArray bias, NDArray out) {
        long n = x.numel();
        if (n == 0) {
            return;
        }
        String kernel = "weft_batchnorm_apply_" + suffix("norm.batchNormApply", x.dtype());
        try (Staging s = new Staging()) {
            launcher.launch(Launch.elementwise(kernel, n, "batch norm of " + Operands.describe(x),
                    (long) x.size(0), (long) x.size(1), (long) x.size(2), s.in(x), s.in(mean), s.in(invstd),
                    s.in(weight), s.in(bias), s.out(out)));
        }
    }

    @Override
    public void batchNormBackward(NDArray grad, NDArray x, NDArray mean, NDArray invstd, NDArray weight,
                                  boolean training, NDArray gradInput, NDArray gradWeight, NDArray gradBias) {
        long c = x.size(1);
        String t = suffix("norm.batchNormBackward", x.dtype());
        String what = "batch norm backward of " + Operands.describe(x);
        Object[] sizes = {(long) x.size(0), c, (long) x.size(2)};
        try (Staging s = new Staging()) {
            DevicePointer g = s.in(grad);
            DevicePointer xs = s.in(x);
            DevicePointer m = s.in(mean);
            DevicePointer is = s.in(invstd);
            // The input's gradient in training mode needs the per-channel sums of grad and grad * xhat.
            boolean sums = training && gradInput != null;
            NDArray sumGrad = sums ? s.scratch(x.dtype(), (int) c) : null;
            NDArray sumGradXhat = sums ? s.scratch(x.dtype(), (int) c) : null;
            if (c > 0 && (sums || gradWeight != null || gradBias != null)) {
                launcher.launch(Launch.perBlock("weft_batchnorm_backward_reduce_" + t, c, what, sizes[0], sizes[1],
                        sizes[2], g, xs, m, is, s.out(sumGrad), s.out(sumGradXhat), s.out(gradWeight),
                        s.out(gradBias)));
            }
            if (gradInput != null && x.numel() > 0) {
                launcher.launch(Launch.elementwise("weft_batchnorm_backward_input_" + t, x.numel(), what, sizes[0],
                        sizes[1], sizes[2], g, xs, m, is, s.in(weight), s.in(sumGrad), s.in(sumGradXhat),
                        training ? 1 : 0, s.out(gradInput)));
            }
        }
    }

    @Override
    public void layerNorm(NDArray x, NDArray weight, NDArray bias, double eps, NDArray out, NDArray mean,
                          NDArray invstd) {
        long m = x.size(0);
        if (m == 0) {
            return;
        }
        String kernel = "weft_layernorm_forward_" + suffix("norm.layerNorm", x.dtype());
        try (Staging s = new Staging()) {
            launcher.launch(Launch.perBlock(kernel, m, "layer norm of " + Operands.describe(x), m, (long) x.size(1),
                    s.in(x), s.in(weight), s.in(bias), eps, s.out(out), s.out(mean), s.out(invstd)));
        }
    }

    @Override
    public void layerNormBackward(NDArray grad, NDArray x, NDArray mean, NDArray invstd, NDArray weight,
                                  NDArray gradInput, NDArray gradWeight, NDArray gradBias) {
        long m = x.size(0);
        long k = x.size(1);
        String t = suffix("norm.layerNormBackward", x.dtype());
        String what = "layer norm backward of " + Operands.describe(x);
        try (Staging s = new Staging()) {
            DevicePointer g = s.in(grad);
            DevicePointer xs = s.in(x);
            DevicePointer mp = s.in(mean);
            DevicePointer is = s.in(invstd);
            if (gradInput != null && m > 0) {
                launcher.launch(Launch.perBlock("weft_layernorm_backward_input_" + t, m, what, m, k, g, xs,
                        s.in(weight), mp, is, s.out(gradInput)));
            }
            if ((gradWeight != null || gradBias != null) && k > 0) {
                launcher.launch(Launch.elementwise("weft_layernorm_backward_params_" + t, k, what, m, k, g, xs, mp,
                        is, s.out(gradWeight), s.out(gradBias)));
            }
        }
    }

    /**
     * No kernel for this softmax alone (the fused window-attention kernel of native/ABI.md takes
     * q, k and v): the sums and the softmax as the arrays' own ops on the device, in the order
     * the CPU kernel adds them.
     */
    @Override
    public void biasedSoftmax(NDArray logits, NDArray bias, NDArray mask, NDArray out) {
        int[] d = logits.dims();
        NDArray s = logits.add(bias.view(1, d[1], d[2], d[3]));
        if (mask != null) {
            int windows = mask.size(0);
            s = s.view(d[0] / windows, windows, d[1], d[2], d[3]).add(mask.view(1, windows, 1, d[2], d[3]))
                    .view(d);
        }
        out.copy_(Normalization.softmax(s, -1));
    }

    /** As {@link #biasedSoftmax}: the gradient's formula in the arrays' ops on the device. */
    @Override
    public void biasedSoftmaxBackward(NDArray y, NDArray grad, NDArray gradLogits, NDArray gradBias) {
        NDArray gy = grad.mul(y);
        NDArray g = gy.sub(y.mul(gy.sum(new int[] {-1}, true)));
        if (gradLogits != null) {
            gradLogits.copy_(g);
        }
        if (gradBias != null) {
            gradBias.copy_(g.sum(new int[] {0}, false));
        }
    }

    @Override
    public void targetWeights(NDArray target, NDArray weight, long ignoreIndex, NDArray out) {
        throw NotOnCuda.op("norm.targetWeights", "(no kernel of its own yet)", device);
    }

    @Override
    public void nllLoss(NDArray input, NDArray target, NDArray weight, long ignoreIndex, NDArray loss) {
        throw NotOnCuda.op("norm.nllLoss", "(no kernel yet, native/ABI.md)", device);
    }

    @Override
    public void nllLossBackward(NDArray target, NDArray weight, long ignoreIndex, NDArray scale, NDArray gradInput) {
        throw NotOnCuda.op("norm.nllLossBackward", "(no kernel yet, native/ABI.md)", device);
    }

    @Override
    public void crossEntropy(NDArray logits, NDArray target, NDArray weight, long ignoreIndex, double smoothing,
                             NDArray loss) {
        throw NotOnCuda.op("norm.crossEntropy", "(its kernel is not wired yet)", device);
    }

    @Override
    public void crossEntropyBackward(NDArray logits, NDArray target, NDArray weight, long ignoreIndex,
                                     double smoothing, NDArray scale, NDArray gradLogits) {
        throw NotOnCuda.op("norm.crossEntropyBackward", "(its kernel is not wired yet)", device);
    }

    @Override
    public void crossEntropyProbabilities(NDArray logits, NDArray target, NDArray weight, double smoothing,
                                          NDArray loss) {
        throw NotOnCuda.op("norm.crossEntropyProbabilities", "(no kernel yet, native/ABI.md)", device);
    }

    @Override
    public void crossEntropyProbabilitiesBackward(NDArray logits, NDArray target, NDArray weight, double smoothing,
                                                  NDArray scale, NDArray gradLogits) {
        throw NotOnCuda.op("norm.crossEntropyProbabilitiesBackward", "(no kernel yet, native/ABI.md)", device);
    }

    private String suffix(String op, DType t) {
        if (t != DType.F32 && t != DType.F64 && t != DType.BF16) {
            throw NotOnCuda.op(op, "for " + t, device);
        }
        return Operands.suffix(t);
    }

    /**
     * The contiguous operands of one op's launches: strided inputs copied into scratch arrays,
     * strided outputs written into scratch arrays and copied back on close (after the launches
     * are queued), every scratch array then released. Null operands become null pointers.
     */
    private final class Staging implements AutoCloseable {

        private final List<NDArray> scratchArrays = new ArrayList<>();
        private final List<NDArray[]> writeBacks = new ArrayList<>();

        DevicePointer in(NDArray a) {
            if (a == null) {
                return Operands.none();
            }
            if (a.isContiguous()) {
                return Operands.pointer(a);
            }
            NDArray c = copy.contiguousScratch(a, a.dtype());
            scratchArrays.add(c);
            return Operands.pointer(c);
        }

        DevicePointer out(NDArray a) {
            if (a == null) {
                return Operands.none();
            }
            if (a.isContiguous()) {
                return Operands.pointer(a);
            }
            NDArray c = scratch(a.dtype(), a.dims());
            writeBacks.add(new NDArray[] {c, a});
            return Operands.pointer(c);
        }

        NDArray scratch(DType dtype, int... dims) {
            NDArray c = CudaNorm.this.scratch.empty(dtype, dims);
            scratchArrays.add(c);
            return c;
        }

        @Override
        public void close() {
            for (NDArray[] wb : writeBacks) {
                if (wb[1].numel() > 0) {
                    copy.copySameType(wb[0], wb[1]);
                }
            }
            scratchArrays.forEach(Operands::release);
        }
    }
}
