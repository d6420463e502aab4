package org.weft.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;
import org.weft.tensor.backend.BinaryOp;
import org.weft.tensor.backend.CompareOp;
import org.weft.tensor.backend.Conv2dParams;
import org.weft.tensor.backend.PoolWindow;
import org.weft.tensor.backend.UnaryOp;

/**
 * Every op of the wired families, in every dtype: it either launches only kernels that
 * native/ABI.md names, with its parameter types (RecordingLauncher asserts that), or fails
 * with NotOnCuda's message; never anything else (no ClassCastException, no wrong name).
 */
class WiredFamiliesTest {

    private final FakeGpu gpu = new FakeGpu();
    private final List<String> notOnCuda = new ArrayList<>();
    private int launched;

    private void run(String what, Runnable op) {
        int before = gpu.launcher.launches.size();
        try {
            op.run();
            assertTrue(gpu.launcher.launches.size() > before, what + " launched nothing");
            launched++;
        } catch (UnsupportedOperationException e) {
            assertTrue(e.getMessage().startsWith("not yet implemented on CUDA: "), what + ": " + e.getMessage());
            notOnCuda.add(what);
        }
    }

    @Test
    void everyOpOfEveryDtypeLaunchesAbiKernelsOrFailsWithNotOnCudasMessage() {
        for (DType t : DType.values()) {
            for (UnaryOp op : UnaryOp.values()) {
                run("unary " + op + " " + t, () -> gpu.elementwise.unary(op, gpu.array(t, 2, 3), gpu.array(t, 2, 3)));
            }
            for (BinaryOp op : BinaryOp.values()) {
                run("binary " + op + " " + t,
                        () -> gpu.elementwise.binary(op, gpu.array(t, 2, 3), gpu.array(t, 3).expand(2, 3), gpu.array(t, 2, 3)));
            }
            for (CompareOp op : CompareOp.values()) {
                run("compare " + op + " " + t, () -> gpu.elementwise.compare(op, gpu.array(t, 3),
                        gpu.array(t, 3), gpu.array(DType.BOOL, 3)));
            }
            run("where " + t, () -> gpu.elementwise.where(gpu.array(DType.BOOL, 3), gpu.array(t, 3),
                    gpu.array(t, 3), gpu.array(t, 3)));
            run("clamp " + t, () -> gpu.elementwise.clamp(gpu.array(t, 3), 0, 1, gpu.array(t, 3)));
            run("gelu backward " + t, () -> gpu.elementwise.geluBackward(UnaryOp.GELU_TANH, gpu.array(t, 3),
                    gpu.array(t, 3), gpu.array(t, 3)));
            run("threshold backward " + t, () -> gpu.elementwise.thresholdBackward(gpu.array(t, 3),
                    gpu.array(t, 3), 0, gpu.array(t, 3)));
            DType sumType = t.isFloatingPoint() ? t : DType.I64;
            run("sum " + t, () -> gpu.reduction.sum(gpu.array(t, 4, 5), new int[] {0}, gpu.array(sumType, 1, 5)));
            run("mean " + t, () -> gpu.reduction.mean(gpu.array(t, 4, 5), new int[] {1}, gpu.array(t, 4, 1)));
            run("var " + t, () -> gpu.reduction.var(gpu.array(t, 4, 5), new int[] {1}, 1, false, gpu.array(t, 4, 1)));
            run("amax " + t, () -> gpu.reduction.amax(gpu.array(t, 4, 5), new int[] {1}, true, gpu.array(t, 4, 1)));
            run("max along dim " + t, () -> gpu.reduction.maxAlongDim(gpu.array(t, 4, 5), 1, true,
                    gpu.array(t, 4, 1), gpu.array(DType.I64, 4, 1)));
            run("logsumexp " + t, () -> gpu.reduction.logsumexp(gpu.array(t, 4, 5), new int[] {1}, gpu.array(t, 4, 1)));
            run("norm " + t, () -> gpu.reduction.norm(gpu.array(t, 4, 5), new int[] {1}, 2, gpu.array(t, 4, 1)));
            run("matmul " + t, () -> gpu.linalg.matmul(gpu.array(t, 4, 8), gpu.array(t, 8, 4), 1, 0,
                    gpu.array(t, 4, 4)));
            for (DType to : DType.values()) {
                run("copy " + t + " to " + to, () -> gpu.copy.copy(gpu.array(t, 2, 3).t(), gpu.array(to, 3, 2)));
            }
            run("fill " + t, () -> gpu.copy.fill(gpu.array(t, 3, 2).t(), 1));
            run("uniform " + t, () -> gpu.random.uniform(gpu.array(t, 5), 1, 2, 0, 1));
            run("normal " + t, () -> gpu.random.normal(gpu.array(t, 5), 1, 2, 0, 1));
            run("randint " + t, () -> gpu.random.randint(gpu.array(DType.I64, 5), 1, 2, 0, 10));
            run("bernoulli " + t, () -> gpu.random.bernoulli(gpu.array(DType.F64, 5), gpu.array(t, 5), 1, 2));
            run("softmax " + t, () -> gpu.norm.softmax(gpu.array(t, 2, 3, 4), false, gpu.array(t, 2, 3, 4)));
            run("batch norm " + t, () -> {
                gpu.norm.channelMoments(gpu.array(t, 2, 3, 4), gpu.array(t, 3), gpu.array(t, 3));
                gpu.norm.batchNormApply(gpu.array(t, 2, 3, 4), gpu.array(t, 3), gpu.array(t, 3), gpu.array(t, 3),
                        gpu.array(t, 3), gpu.array(t, 2, 3, 4));
                gpu.norm.batchNormBackward(gpu.array(t, 2, 3, 4), gpu.array(t, 2, 3, 4), gpu.array(t, 3),
                        gpu.array(t, 3), gpu.array(t, 3), true, gpu.array(t, 2, 3, 4), gpu.array(t, 3), gpu.array(t, 3));
            });
            Conv2dParams cp = new Conv2dParams(1, 1, 1, 1, 1, 1, 1);
            run("conv2d " + t, () -> gpu.conv.conv2d(gpu.array(t, 1, 2, 5, 5), gpu.array(t, 20, 2, 3, 3),
                    gpu.array(t, 20), cp, gpu.array(t, 1, 20, 5, 5)));
            run("conv2d backward " + t, () -> {
                gpu.conv.conv2dBackwardInput(gpu.array(t, 1, 4, 5, 5), gpu.array(t, 4, 2, 3, 3), cp,
                        gpu.array(t, 1, 2, 5, 5));
                gpu.conv.conv2dBackwardWeight(gpu.array(t, 1, 4, 5, 5), gpu.array(t, 1, 2, 5, 5), cp,
                        gpu.array(t, 4, 2, 3, 3));
            });
            PoolWindow pw = new PoolWindow(2, 2, 2, 2, 0, 0, 1, 1);
            run("pooling " + t, () -> {
                gpu.conv.maxPool2d(gpu.array(t, 1, 2, 4, 4), pw, gpu.array(t, 1, 2, 2, 2), gpu.array(DType.I64, 1, 2, 2, 2));
                gpu.conv.avgPool2d(gpu.array(t, 1, 2, 4, 4), pw, true, 0, gpu.array(t, 1, 2, 2, 2));
                gpu.conv.avgPool2dBackward(gpu.array(t, 1, 2, 2, 2), pw, true, 0, gpu.array(t, 1, 2, 4, 4));
                gpu.conv.adaptiveAvgPool2d(gpu.array(t, 1, 2, 4, 4), gpu.array(t, 1, 2, 1, 1));
            });
            run("layer norm " + t, () -> {
                gpu.norm.layerNorm(gpu.array(t, 2, 5), gpu.array(t, 5), gpu.array(t, 5), 1e-5, gpu.array(t, 2, 5),
                        gpu.array(t, 2), gpu.array(t, 2));
                gpu.norm.layerNormBackward(gpu.array(t, 2, 5), gpu.array(t, 2, 5), gpu.array(t, 2), gpu.array(t, 2),
                        gpu.array(t, 5), gpu.array(t, 2, 5), gpu.array(t, 5), gpu.array(t, 5));
            });
        }
        // What the kernels cover: every compute dtype's elementwise ops, F32/F64 matmul, the
        // reductions; F16 (storage-only) has no arithmetic kernels at all.
        System.out.println(launched + " ops launched; not on CUDA: " + notOnCuda);
        assertTrue(launched > 250, launched + " ops launched");
        assertTrue(notOnCuda.contains("matmul I64"));
        assertTrue(notOnCuda.contains("copy F16 to F32"));
        assertTrue(!notOnCuda.contains("copy F16 to F16") && !notOnCuda.contains("binary ADD U8"), notOnCuda.toString());
    }
}
