package org.weft.tensor;

import org.weft.tensor.backend.RandomKernels;
import org.weft.tensor.random.Generator;
import org.weft.tensor.random.Generator.State;

/**
 * The checking half of the random ops: validate the arguments, allocate a contiguous result,
 * reserve exactly the counters the kernel will read from the generator, and run the kernel.
 * F32 and F64 are generated directly; BF16 and F16 results are generated in F32 and rounded.
 */
final class RandomOps {

    private RandomOps() {
    }

    static NDArray uniform(DType dtype, Device device, double low, double high, Generator g, int[] shape) {
        NDArray out = NDArray.zeros(computeType("rand", dtype), device, shape);
        fillUniform(out, low, high, g);
        return out.to(dtype);
    }

    static NDArray normal(DType dtype, Device device, double mean, double std, Generator g, int[] shape) {
        NDArray out = NDArray.zeros(computeType("randn", dtype), device, shape);
        fillNormal(out, mean, std, g);
        return out.to(dtype);
    }

    static NDArray randint(long low, long high, Device device, Generator g, int[] shape) {
        if (low >= high) {
            throw new IllegalArgumentException("randint: expects 'low' to be less than 'high', but got low="
                    + low + " >= high=" + high);
        }
        NDArray out = NDArray.zeros(DType.I64, device, shape);
        State s = generator(g).reserve(RandomKernels.randintCounters(out.numel()));
        // high - low wraps for ranges above 2^63; read as unsigned it is the exact count.
        out.backend().random().randint(out, s.seed(), s.offset(), low, high - low);
        return out;
    }

    static NDArray bernoulli(NDArray probs, Generator g) {
        NDArray computable = probs.to(computeType("bernoulli", probs.dtype()));
        long bad = computable.clamp(0, 1).eq(computable).logicalNot().sum().itemLong(); // NaN counts as bad
        if (bad > 0) {
            throw new IllegalArgumentException("bernoulli: expected every probability to be in [0, 1], but "
                    + bad + " of the " + probs.numel() + " are not");
        }
        NDArray p = computable.to(DType.F64).contiguous();
        DType compute = computable.dtype();
        NDArray out = NDArray.zeros(compute, probs.device(), probs.dims());
        State s = generator(g).reserve(RandomKernels.bernoulliCounters(out.numel()));
        out.backend().random().bernoulli(p, out, s.seed(), s.offset());
        return out.to(probs.dtype());
    }

    static NDArray bernoulli(double p, DType dtype, Device device, Generator g, int[] shape) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("bernoulli: expects p to be in [0, 1], but got p=" + p);
        }
        NDArray out = NDArray.zeros(computeType("bernoulli", dtype), device, shape);
        State s = generator(g).reserve(RandomKernels.bernoulliCounters(out.numel()));
        out.backend().random().bernoulli(p, out, s.seed(), s.offset());
        return out.to(dtype);
    }

    static NDArray uniform_(NDArray self, double low, double high, Generator g) {
        if (!(low <= high) || Double.isInfinite(low) || Double.isInfinite(high)) {
            throw new IllegalArgumentException("uniform_: expects a finite range [low, high) with low <= high,"
                    + " but got low=" + low + ", high=" + high);
        }
        NDArray out = scratchFor("uniform_", self);
        fillUniform(out, low, high, g);
        return writeBack(self, out);
    }

    static NDArray normal_(NDArray self, double mean, double std, Generator g) {
        if (!(std >= 0) || Double.isInfinite(std) || !Double.isFinite(mean)) {
            throw new IllegalArgumentException("normal_: expects a finite mean and a finite std >= 0, but got mean="
                    + mean + ", std=" + std);
        }
        NDArray out = scratchFor("normal_", self);
        fillNormal(out, mean, std, g);
        return writeBack(self, out);
    }

    private static void fillUniform(NDArray out, double low, double high, Generator g) {
        State s = generator(g).reserve(RandomKernels.uniformCounters(out.dtype(), out.numel()));
        out.backend().random().uniform(out, s.seed(), s.offset(), low, high);
    }

    private static void fillNormal(NDArray out, double mean, double std, Generator g) {
        State s = generator(g).reserve(RandomKernels.normalCounters(out.dtype(), out.numel()));
        out.backend().random().normal(out, s.seed(), s.offset(), mean, std);
    }

    /** Where an in-place op generates: the array itself if the kernel can write it directly. */
    private static NDArray scratchFor(String op, NDArray self) {
        DType compute = computeType(op, self.dtype());
        if (self.dtype() == compute && self.isContiguous()) {
            return self;
        }
        return NDArray.zeros(compute, self.device(), self.dims());
    }

    private static NDArray writeBack(NDArray self, NDArray out) {
        if (out == self) {
            self.storage().bumpVersion();
            return self;
        }
        return self.copy_(out);
    }

    private static Generator generator(Generator g) {
        return g != null ? g : Generator.global();
    }

    private static DType computeType(String op, DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expected a floating-point dtype (F32, F64, BF16 or F16),"
                    + " got " + dtype);
        }
        return dtype == DType.F64 ? DType.F64 : DType.F32;
    }
}
