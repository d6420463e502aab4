package org.weft.tensor.cpu;

import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.backend.RandomKernels;
import org.weft.tensor.random.Philox;

/**
 * Random numbers from the counter-based generator, on the CPU: each loop runs over Philox
 * counters, so a thread computes its own counters and no thread waits for another. The
 * mapping from counters to elements is the one {@link RandomKernels} specifies.
 */
final class CpuRandom implements RandomKernels {

    /** Counters per task: a Philox block costs about as much as a few elementwise ops. */
    private static final int GRAIN = 4096;
    private static final double TWO_PI = 2 * Math.PI;

    @Override
    public void uniform(NDArray out, long seed, long offset, double low, double high) {
        int n = out.numel();
        int base = out.offset();
        double range = high - low;
        if (out.dtype() == DType.F32) {
            float[] o = ((CpuStorage) out.storage()).floats();
            CpuThreads.parallelFor(blocks(n, 4), GRAIN, (from, to) -> {
                int[] w = new int[4];
                for (int b = from; b < to; b++) {
                    Philox.block(seed, offset + b, 0, w);
                    int first = 4 * b;
                    int count = Math.min(4, n - first);
                    for (int j = 0; j < count; j++) {
                        o[base + first + j] = (float) (low + range * u24(w[j]));
                    }
                }
            });
        } else {
            double[] o = ((CpuStorage) out.storage()).doubles();
            CpuThreads.parallelFor(blocks(n, 2), GRAIN, (from, to) -> {
                int[] w = new int[4];
                for (int b = from; b < to; b++) {
                    Philox.block(seed, offset + b, 0, w);
                    int first = 2 * b;
                    o[base + first] = low + range * u53(w[0], w[1]);
                    if (first + 1 < n) {
                        o[base + first + 1] = low + range * u53(w[2], w[3]);
                    }
                }
            });
        }
    }

    @Override
    public void normal(NDArray out, long seed, long offset, double mean, double std) {
        int n = out.numel();
        int base = out.offset();
        if (out.dtype() == DType.F32) {
            float[] o = ((CpuStorage) out.storage()).floats();
            CpuThreads.parallelFor(blocks(n, 4), GRAIN, (from, to) -> {
                int[] w = new int[4];
                double[] z = new double[2];
                for (int b = from; b < to; b++) {
                    Philox.block(seed, offset + b, 0, w);
                    for (int pair = 0; pair < 2; pair++) {
                        int first = 4 * b + 2 * pair;
                        if (first >= n) {
                            break;
                        }
                        boxMuller(u24(w[2 * pair]), u24(w[2 * pair + 1]), z);
                        o[base + first] = (float) (mean + std * z[0]);
                        if (first + 1 < n) {
                            o[base + first + 1] = (float) (mean + std * z[1]);
                        }
                    }
                }
            });
        } else {
            double[] o = ((CpuStorage) out.storage()).doubles();
            CpuThreads.parallelFor(blocks(n, 2), GRAIN, (from, to) -> {
                int[] w = new int[4];
                double[] z = new double[2];
                for (int b = from; b < to; b++) {
                    Philox.block(seed, offset + b, 0, w);
                    boxMuller(u53(w[0], w[1]), u53(w[2], w[3]), z);
                    int first = 2 * b;
                    o[base + first] = mean + std * z[0];
                    if (first + 1 < n) {
                        o[base + first + 1] = mean + std * z[1];
                    }
                }
            });
        }
    }

    @Override
    public void randint(NDArray out, long seed, long offset, long low, long range) {
        int n = out.numel();
        int base = out.offset();
        long[] o = ((CpuStorage) out.storage()).longs();
        // x * range / 2^64 hits each value floor or ceil(2^64 / range) times; rejecting the
        // candidates whose low product half is below 2^64 mod range leaves exactly floor for each.
        long threshold = Long.remainderUnsigned(-range, range);
        CpuThreads.parallelFor(n, GRAIN, (from, to) -> {
            int[] w = new int[4];
            for (int i = from; i < to; i++) {
                for (int lane = 0; ; lane++) {
                    Philox.block(seed, offset + i, lane, w);
                    long x = ((long) w[0] << 32) | (w[1] & 0xFFFFFFFFL);
                    if (Long.compareUnsigned(x * range, threshold) >= 0) {
                        o[base + i] = low + unsignedMultiplyHigh(x, range);
                        break;
                    }
                }
            }
        });
    }

    @Override
    public void bernoulli(NDArray probs, NDArray out, long seed, long offset) {
        fillBernoulli(out, seed, offset, ((CpuStorage) probs.storage()).doubles(), probs.offset(), 0);
    }

    @Override
    public void bernoulli(double p, NDArray out, long seed, long offset) {
        fillBernoulli(out, seed, offset, null, 0, p);
    }

    /** Element i is 1 with probability {@code probs[probsBase + i]}, or {@code p} when {@code probs} is null. */
    private static void fillBernoulli(NDArray out, long seed, long offset, double[] probs, int probsBase, double p) {
        int n = out.numel();
        int base = out.offset();
        CpuStorage s = (CpuStorage) out.storage();
        boolean f32 = out.dtype() == DType.F32;
        float[] of = f32 ? s.floats() : null;
        double[] od = f32 ? null : s.doubles();
        CpuThreads.parallelFor(blocks(n, 2), GRAIN, (from, to) -> {
            int[] w = new int[4];
            for (int b = from; b < to; b++) {
                Philox.block(seed, offset + b, 0, w);
                for (int k = 0; k < 2 && 2 * b + k < n; k++) {
                    int i = 2 * b + k;
                    double pi = probs == null ? p : probs[probsBase + i];
                    int hit = u53(w[2 * k], w[2 * k + 1]) < pi ? 1 : 0;
                    if (f32) {
                        of[base + i] = hit;
                    } else {
                        od[base + i] = hit;
                    }
                }
            }
        });
    }

    /** The top 24 bits of a word as a number in [0, 1); exact in float and double. */
    static double u24(int word) {
        return (word >>> 8) * 0x1p-24;
    }

    /** The top 53 bits of {@code hi:lo} as a double in [0, 1). */
    static double u53(int hi, int lo) {
        long bits = ((long) hi << 32) | (lo & 0xFFFFFFFFL);
        return (bits >>> 11) * 0x1p-53;
    }

    /** Two independent standard normals from two uniforms in [0, 1). */
    static void boxMuller(double u, double v, double[] z) {
        // 1 - u lies in (0, 1], so the logarithm is finite.
        double r = StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u));
        double t = TWO_PI * v;
        z[0] = r * StrictMath.cos(t);
        z[1] = r * StrictMath.sin(t);
    }

    /** The high 64 bits of the unsigned 128-bit product (Java 18 has this as Math.unsignedMultiplyHigh). */
    static long unsignedMultiplyHigh(long x, long y) {
        return Math.multiplyHigh(x, y) + ((x >> 63) & y) + ((y >> 63) & x);
    }

    /** How many counters {@code n} elements need at {@code perCounter} elements each. */
    private static int blocks(int n, int perCounter) {
        return (int) ((n + (long) perCounter - 1) / perCounter);
    }
}
