package org.weft.tensor.cuda;

import java.util.Arrays;
import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.NDArray;
import org.weft.tensor.backend.Conv2dParams;
import org.weft.tensor.backend.ConvKernels;
import org.weft.tensor.backend.PoolWindow;

/**
 * {@link ConvKernels} on a GPU, the part native/src/conv.cu and pool.cu cover: convolution
 * forward ({@code weft_conv2d_implicit_tf32x3} for F32 when a group has at least 16 output
 * channels, as ABI.md advises, else {@code weft_conv2d_naive_*}), both backward passes with the
 * direct kernels, max and average pooling forward, average pooling backward, and 1x1 adaptive
 * average pooling as a {@code weft_reduce_mean} over each plane. The kernels take contiguous
 * operands: a strided input is copied into a scratch array first.
 *
 * <p>Not wired, failing with NotOnCuda's message: max pooling backward (its kernel gathers
 * through the pooling window, which {@code maxPool2dBackward} is not given), adaptive pooling to
 * other sizes and its backward, and bilinear upsampling (no kernels yet, ABI.md).
 *
 * <p>Status: launches checked against native/ABI.md without a GPU ({@code CudaConvTest}); not
 * yet run on a GPU ({@code CudaOpsDeviceTest} holds each against the CPU backend there).
 */
final class CudaConv implements ConvKernels {

    /** Below this many output channels per group the implicit GEMM's 128-wide tile is mostly wasted. */
    static final int IMPLICIT_MIN_CHANNELS = 16;

    private static final int IMPLICIT_TILE = 128;

    private final Launcher launcher;
    private final CudaCopy copy;
    private final Device device;

    CudaConv(Launcher launcher, CudaCopy copy, Device device) {
        this.launcher = launcher;
        this.copy = copy;
        this.device = device;
    }

    @Override
    public void conv2d(NDArray x, NDArray weight, NDArray bias, Conv2dParams p, NDArray out) {
        if (out.numel() == 0) {
            return;
        }
        String t = suffix("conv.conv2d", out.dtype());
        NDArray xc = contiguous(x);
        NDArray wc = contiguous(weight);
        NDArray bc = bias == null ? null : contiguous(bias);
        Object[] args = args(x, weight, out, p, Operands.pointer(xc), Operands.pointer(wc),
                bc == null ? Operands.none() : Operands.pointer(bc), Operands.pointer(out));
        int n = x.size(0);
        int o = out.size(1);
        long positions = (long) n * out.size(2) * out.size(3);
        int kDepth = x.size(1) / p.groups() * weight.size(2) * weight.size(3);
        String what = "conv2d of " + Operands.describe(x) + " with " + Operands.describe(weight);
        if (out.dtype() == DType.F32 && o / p.groups() >= IMPLICIT_MIN_CHANNELS && kDepth >= 1) {
            Dim3 grid = new Dim3(ceilDiv(positions, IMPLICIT_TILE), ceilDiv(o / p.groups(), IMPLICIT_TILE), p.groups());
            launcher.launch(new Launch("weft_conv2d_implicit_tf32x3", grid, Dim3.of(Launch.BLOCK), 0,
                    Arrays.asList(args), what));
        } else {
            launcher.launch(Launch.elementwise("weft_conv2d_naive_" + t, out.numel(), what, args));
        }
        release(x, xc);
        release(weight, wc);
        release(bias, bc);
    }

    /**
     * No fused kernel yet: the convolution, then the per-channel map and the ReLU as the
     * elementwise kernels of the arrays' ops, each a pass over the output. Same values as the
     * CPU's fused epilogue, without its saving.
     */
    @Override
    public void conv2dAffine(NDArray x, NDArray weight, NDArray scale, NDArray shift, boolean relu, Conv2dParams p,
                             NDArray out) {
        conv2d(x, weight, null, p, out);
        int[] perChannel = {1, out.size(1), 1, 1};
        NDArray mapped = out.mul(scale.view(perChannel)).add(shift.view(perChannel));
        out.copy_(relu ? mapped.relu() : mapped);
    }

    @Override
    public void conv2dBackwardInput(NDArray gradOut, NDArray weight, Conv2dParams p, NDArray gradIn) {
        if (gradIn.numel() == 0) {
            return;
        }
        String t = suffix("conv.conv2dBackwardInput", gradIn.dtype());
        NDArray gc = contiguous(gradOut);
        NDArray wc = contiguous(weight);
        launcher.launch(Launch.elementwise("weft_conv2d_backward_input_" + t, gradIn.numel(),
                "conv2d input gradient of " + Operands.describe(gradIn),
                args(gradIn, weight, gradOut, p, Operands.pointer(gc), Operands.pointer(wc), Operands.pointer(gradIn))));
        release(gradOut, gc);
        release(weight, wc);
    }

    @Override
    public void conv2dBackwardWeight(NDArray gradOut, NDArray x, Conv2dParams p, NDArray gradWeight) {
        if (gradWeight.numel() == 0) {
            return;
        }
        String t = suffix("conv.conv2dBackwardWeight", gradWeight.dtype());
        NDArray gc = contiguous(gradOut);
        NDArray xc = contiguous(x);
        launcher.launch(Launch.perBlock("weft_conv2d_backward_weight_" + t, gradWeight.numel(),
                "conv2d weight gradient of " + Operands.describe(gradWeight),
                args(x, gradWeight, gradOut, p, Operands.pointer(gc), Operands.pointer(xc), Operands.pointer(gradWeight))));
        release(gradOut, gc);
        release(x, xc);
    }

    @Override
    public void maxPool2d(NDArray x, PoolWindow w, NDArray out, NDArray indices) {
        if (out.numel() == 0) {
            return;
        }
        String t = suffix("conv.maxPool2d", out.dtype());
        NDArray xc = contiguous(x);
        launcher.launch(Launch.elementwise("weft_max_pool2d_forward_" + t, out.numel(),
                "max_pool2d of " + Operands.describe(x), poolArgs(x, out, w, w.dilationH(), w.dilationW(),
                        Operands.pointer(xc), Operands.pointer(out), Operands.pointer(indices))));
        release(x, xc);
    }

    @Override
    public void maxPool2dBackward(NDArray gradOut, NDArray indices, NDArray gradIn) {
        throw NotOnCuda.op("conv.maxPool2dBackward", "(the gather kernel needs the pooling window, which this"
                + " call is not given)", device);
    }

    @Override
    public void avgPool2d(NDArray x, PoolWindow w, boolean countIncludePad, int divisorOverride, NDArray out) {
        if (out.numel() == 0) {
            return;
        }
        String t = suffix("conv.avgPool2d", out.dtype());
        NDArray xc = contiguous(x);
        launcher.launch(Launch.elementwise("weft_avg_pool2d_forward_" + t, out.numel(),
                "avg_pool2d of " + Operands.describe(x), poolArgs(x, out, w, 1, 1, countIncludePad ? 1 : 0,
                        divisorOverride, Operands.pointer(xc), Operands.pointer(out))));
        release(x, xc);
    }

    @Override
    public void avgPool2dBackward(NDArray gradOut, PoolWindow w, boolean countIncludePad, int divisorOverride,
                                  NDArray gradIn) {
        if (gradIn.numel() == 0) {
            return;
        }
        String t = suffix("conv.avgPool2dBackward", gradIn.dtype());
        NDArray gc = contiguous(gradOut);
        launcher.launch(Launch.elementwise("weft_avg_pool2d_backward_" + t, gradIn.numel(),
                "avg_pool2d gradient of " + Operands.describe(gradIn), poolArgs(gradIn, gradOut, w, 1, 1,
                        countIncludePad ? 1 : 0, divisorOverride, Operands.pointer(gc), Operands.pointer(gradIn))));
        release(gradOut, gc);
    }

    /** To 1 x 1 only: the mean of each plane, {@code weft_reduce_mean} over {@code [N*C, H*W, 1]}. */
    @Override
    public void adaptiveAvgPool2d(NDArray x, NDArray out) {
        if (out.size(2) != 1 || out.size(3) != 1) {
            throw NotOnCuda.op("conv.adaptiveAvgPool2d", "to " + out.size(2) + " x " + out.size(3)
                    + " (only 1 x 1 has a kernel, native/ABI.md)", device);
        }
        if (out.numel() == 0) {
            return;
        }
        String t = suffix("conv.adaptiveAvgPool2d", out.dtype());
        NDArray xc = contiguous(x);
        long planes = (long) x.size(0) * x.size(1);
        long r = (long) x.size(2) * x.size(3);
        launcher.launch(Launch.rows("weft_reduce_mean_" + t, planes, 1, "adaptive_avg_pool2d of "
                + Operands.describe(x), planes, r, 1L, Operands.pointer(xc), Operands.pointer(out)));
        release(x, xc);
    }

    @Override
    public void adaptiveAvgPool2dBackward(NDArray gradOut, NDArray gradIn) {
        throw NotOnCuda.op("conv.adaptiveAvgPool2dBackward", "(no kernel yet)", device);
    }

    @Override
    public void upsampleBilinear2d(NDArray x, boolean alignCorners, double scaleH, double scaleW, NDArray out) {
        throw NotOnCuda.op("conv.upsampleBilinear2d", "(no kernel yet, native/ABI.md)", device);
    }

    @Override
    public void upsampleBilinear2dBackward(NDArray gradOut, boolean alignCorners, double scaleH, double scaleW,
                                           NDArray gradIn) {
        throw NotOnCuda.op("conv.upsampleBilinear2dBackward", "(no kernel yet, native/ABI.md)", device);
    }

    /**
     * The sixteen ints every convolution kernel opens with ({@code N, C, H, W, O, OH, OW, KH, KW,
     * sh, sw, ph, pw, dh, dw, groups}) followed by {@code pointers}; {@code input} is
     * {@code [N, C, H, W]}, {@code weight} {@code [O, C/groups, KH, KW]}, {@code output}
     * {@code [N, O, OH, OW]}.
     */
    private static Object[] args(NDArray input, NDArray weight, NDArray output, Conv2dParams p, Object... pointers) {
        Object[] head = {input.size(0), input.size(1), input.size(2), input.size(3), output.size(1), output.size(2),
                output.size(3), weight.size(2), weight.size(3), p.strideH(), p.strideW(), p.padH(), p.padW(),
                p.dilationH(), p.dilationW(), p.groups()};
        Object[] all = Arrays.copyOf(head, head.length + pointers.length);
        System.arraycopy(pointers, 0, all, head.length, pointers.length);
        return all;
    }

    /**
     * A pooling kernel's arguments: {@code planes, H, W, OH, OW, kh, kw, sh, sw, ph, pw, dh, dw}
     * from {@code input [N, C, H, W]} and {@code output [N, C, OH, OW]}, then {@code rest}.
     */
    private static Object[] poolArgs(NDArray input, NDArray output, PoolWindow w, int dh, int dw, Object... rest) {
        Object[] head = {(long) input.size(0) * input.size(1), input.size(2), input.size(3), output.size(2),
                output.size(3), w.kernelH(), w.kernelW(), w.strideH(), w.strideW(), w.padH(), w.padW(), dh, dw};
        Object[] all = Arrays.copyOf(head, head.length + rest.length);
        System.arraycopy(rest, 0, all, head.length, rest.length);
        return all;
    }

    private NDArray contiguous(NDArray a) {
        return a.isContiguous() ? a : copy.contiguousScratch(a, a.dtype());
    }

    private static void release(NDArray original, NDArray used) {
        if (used != null && used != original) {
            Operands.release(used);
        }
    }

    private String suffix(String op, DType t) {
        if (t != DType.F32 && t != DType.F64 && t != DType.BF16) {
            throw NotOnCuda.op(op, "for " + t, device);
        }
        return Operands.suffix(t);
    }

    private static int ceilDiv(long v, int d) {
        return (int) ((v + d - 1) / d);
    }
}
