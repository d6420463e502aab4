package org.weft.tensor.cuda;

import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.NDArray;
import org.weft.tensor.backend.RandomKernels;

/**
 * {@link RandomKernels} on a GPU: the Philox kernels of native/src/random.cu, which produce
 * the stream RandomKernels specifies from the {@code (seed, offset)} the checking half
 * reserved, so the GPU draws the CPU's numbers (normal to an ulp or two: CUDA's log, sin and
 * cos against the CPU's fdlibm).
 *
 * <p>Each thread computes one Philox block, so the grid covers the blocks the op reads
 * (ABI.md): {@code ceil(n / 4)} for F32 uniform and normal, {@code ceil(n / 2)} for F64 and for
 * bernoulli, {@code n} for randint.
 *
 * <p>Status: launches checked against native/ABI.md without a GPU ({@code CudaRandomTest}); not
 * yet run on a GPU ({@code CudaOpsDeviceTest} holds each against the CPU backend there).
 */
final class CudaRandom implements RandomKernels {

    private final Launcher launcher;
    private final Device device;

    CudaRandom(Launcher launcher, Device device) {
        this.launcher = launcher;
        this.device = device;
    }

    @Override
    public void uniform(NDArray out, long seed, long offset, double low, double high) {
        long n = out.numel();
        if (n == 0) {
            return;
        }
        launcher.launch(launch("weft_random_uniform_" + floatSuffix("random.uniform", out),
                RandomKernels.uniformCounters(out.dtype(), n), "uniform " + Operands.describe(out),
                n, seed, offset, low, high, Operands.pointer(out)));
    }

    @Override
    public void normal(NDArray out, long seed, long offset, double mean, double std) {
        long n = out.numel();
        if (n == 0) {
            return;
        }
        launcher.launch(launch("weft_random_normal_" + floatSuffix("random.normal", out),
                RandomKernels.normalCounters(out.dtype(), n), "normal " + Operands.describe(out),
                n, seed, offset, mean, std, Operands.pointer(out)));
    }

    @Override
    public void randint(NDArray out, long seed, long offset, long low, long range) {
        long n = out.numel();
        if (n == 0) {
            return;
        }
        launcher.launch(launch("weft_random_randint_i64", RandomKernels.randintCounters(n),
                "randint " + Operands.describe(out), n, seed, offset, low, range, Operands.pointer(out)));
    }

    @Override
    public void bernoulli(NDArray probs, NDArray out, long seed, long offset) {
        long n = out.numel();
        if (n == 0) {
            return;
        }
        launcher.launch(launch("weft_random_bernoulli_" + floatSuffix("random.bernoulli", out),
                RandomKernels.bernoulliCounters(n), "bernoulli " + Operands.describe(out),
                n, seed, offset, Operands.pointer(probs), 0.0, Operands.pointer(out)));
    }

    @Override
    public void bernoulli(double p, NDArray out, long seed, long offset) {
        long n = out.numel();
        if (n == 0) {
            return;
        }
        launcher.launch(launch("weft_random_bernoulli_" + floatSuffix("random.bernoulli", out),
                RandomKernels.bernoulliCounters(n), "bernoulli(" + p + ") " + Operands.describe(out),
                n, seed, offset, Operands.none(), p, Operands.pointer(out)));
    }

    /** A class E launch whose threads are the Philox blocks the op reads, not its elements. */
    private static Launch launch(String kernel, long blocks, String what, Object... args) {
        return Launch.elementwise(kernel, blocks, what, args);
    }

    /** f32 or f64: the only output dtypes of these kernels (the checking half generates BF16 in F32). */
    private String floatSuffix(String op, NDArray out) {
        if (out.dtype() != DType.F32 && out.dtype() != DType.F64) {
            throw NotOnCuda.op(op, "for " + out.dtype(), device);
        }
        return Operands.suffix(out.dtype());
    }
}
