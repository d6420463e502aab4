// random.cu: random numbers from Philox4x32-10, bit for bit the stream the CPU backend
// produces from the same (seed, offset) (the specification is backend/RandomKernels.java,
// the reference random/Philox.java and cpu/CpuRandom.java): uniform, normal, randint and
// bernoulli. Each element depends on (seed, offset, its index) only, so a thread computes
// its block of the stream directly and the result is independent of the launch shape.
//
// Versions (not yet run on a GPU):
//   version 1  this file: one thread per Philox block (4 words: 4 f32 uniforms, 2 f64
//              uniforms or bernoullis, 2 f32 or 1 f64 normal pairs), or per element for
//              randint (its own counter, lanes for rejections), grid-stride.
// Bit-exactness: the double arithmetic is written with __dadd_rn/__dmul_rn/__dsub_rn so
// nvcc cannot contract it into fused multiply-adds (the specification rounds each operation).
// Box-Muller's log, sqrt, cos, sin are CUDA's, correctly rounded or within 1-2 ulp, where the
// CPU uses fdlibm: normals agree with the CPU's to an ulp or two, as the specification allows.
#include "weft.cuh"

namespace weft_random {

// The four output words of counter (c0, c1, c2, c3) under key (k0, k1); word 0 first.
// Host and device: integer arithmetic only, so a host test can hold it against Philox.java.
__host__ __device__ __forceinline__ void philox(unsigned c0, unsigned c1, unsigned c2, unsigned c3, unsigned k0, unsigned k1,
                                       unsigned (&out)[4]) {
    const unsigned M0 = 0xD2511F53u, M1 = 0xCD9E8D57u, W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;
    unsigned x0 = c0, x1 = c1, x2 = c2, x3 = c3;
#pragma unroll
    for (int round = 0; round < 10; ++round) {
        if (round > 0) {
            k0 += W0;
            k1 += W1;
        }
        unsigned long long p0 = (unsigned long long)M0 * x0, p1 = (unsigned long long)M1 * x2;
        unsigned hi0 = (unsigned)(p0 >> 32), lo0 = (unsigned)p0;
        unsigned hi1 = (unsigned)(p1 >> 32), lo1 = (unsigned)p1;
        unsigned y0 = hi1 ^ x1 ^ k0;
        unsigned y2 = hi0 ^ x3 ^ k1;
        x1 = lo1;
        x3 = lo0;
        x0 = y0;
        x2 = y2;
    }
    out[0] = x0;
    out[1] = x1;
    out[2] = x2;
    out[3] = x3;
}

// Weft's block: the 64-bit counter in words 0, 1 (low first), the lane in word 2, the seed as key.
__host__ __device__ __forceinline__ void block(unsigned long long seed, unsigned long long counter, unsigned lane,
                                      unsigned (&out)[4]) {
    philox((unsigned)counter, (unsigned)(counter >> 32), lane, 0u, (unsigned)seed, (unsigned)(seed >> 32), out);
}

// The top 24 bits of a word in [0, 1 - 2^-24]; the top 53 bits of (a << 32 | b) in [0, 1 - 2^-53].
__device__ __forceinline__ double u24(unsigned w) { return (double)(w >> 8) * 0x1p-24; }
__device__ __forceinline__ double u53(unsigned a, unsigned b) {
    return (double)((((unsigned long long)a << 32) | b) >> 11) * 0x1p-53;
}

// low + range * u, each operation rounded on its own
__device__ __forceinline__ double affine(double low, double range, double u) { return __dadd_rn(low, __dmul_rn(range, u)); }

__device__ __forceinline__ void box_muller(double u, double v, double& z0, double& z1) {
    const double TWO_PI = 6.283185307179586;  // the double nearest 2 pi, as the CPU's
    double r = sqrt(__dmul_rn(-2.0, log(__dsub_rn(1.0, u))));  // 1 - u is in (0, 1]: finite
    double t = __dmul_rn(TWO_PI, v);
    z0 = __dmul_rn(r, cos(t));
    z1 = __dmul_rn(r, sin(t));
}

__device__ void uniform_f32(long long n, unsigned long long seed, unsigned long long offset, double low, double high,
                            float* out) {
    double range = __dsub_rn(high, low);
    WEFT_GRID_STRIDE(b, (n + 3) / 4) {
        unsigned w[4];
        block(seed, offset + b, 0, w);
        for (int j = 0; j < 4 && 4 * b + j < n; ++j) out[4 * b + j] = (float)affine(low, range, u24(w[j]));
    }
}

__device__ void uniform_f64(long long n, unsigned long long seed, unsigned long long offset, double low, double high,
                            double* out) {
    double range = __dsub_rn(high, low);
    WEFT_GRID_STRIDE(b, (n + 1) / 2) {
        unsigned w[4];
        block(seed, offset + b, 0, w);
        out[2 * b] = affine(low, range, u53(w[0], w[1]));
        if (2 * b + 1 < n) out[2 * b + 1] = affine(low, range, u53(w[2], w[3]));
    }
}

__device__ void normal_f32(long long n, unsigned long long seed, unsigned long long offset, double mean, double std,
                           float* out) {
    WEFT_GRID_STRIDE(b, (n + 3) / 4) {  // a block holds pairs 2b and 2b + 1: elements 4b .. 4b + 3
        unsigned w[4];
        block(seed, offset + b, 0, w);
        for (int p = 0; p < 2 && 4 * b + 2 * p < n; ++p) {
            double z0, z1;
            box_muller(u24(w[2 * p]), u24(w[2 * p + 1]), z0, z1);
            long long i = 4 * b + 2 * p;
            out[i] = (float)affine(mean, std, z0);
            if (i + 1 < n) out[i + 1] = (float)affine(mean, std, z1);
        }
    }
}

__device__ void normal_f64(long long n, unsigned long long seed, unsigned long long offset, double mean, double std,
                           double* out) {
    WEFT_GRID_STRIDE(b, (n + 1) / 2) {  // block b is pair b: elements 2b, 2b + 1
        unsigned w[4];
        block(seed, offset + b, 0, w);
        double z0, z1;
        box_muller(u53(w[0], w[1]), u53(w[2], w[3]), z0, z1);
        out[2 * b] = affine(mean, std, z0);
        if (2 * b + 1 < n) out[2 * b + 1] = affine(mean, std, z1);
    }
}

// Lemire's method: accept x when the low half of x * range is at least 2^64 mod range.
__device__ void randint(long long n, unsigned long long seed, unsigned long long offset, long long low,
                        unsigned long long range, long long* out) {
    unsigned long long threshold = (0ull - range) % range;
    WEFT_GRID_STRIDE(i, n) {
        for (unsigned lane = 0;; ++lane) {
            unsigned w[4];
            block(seed, offset + i, lane, w);
            unsigned long long x = ((unsigned long long)w[0] << 32) | w[1];
            if (x * range >= threshold) {
                out[i] = (long long)((unsigned long long)low + __umul64hi(x, range));
                break;
            }
        }
    }
}

template <typename T>
__device__ void bernoulli(long long n, unsigned long long seed, unsigned long long offset, const double* probs,
                          double p, T* out) {
    WEFT_GRID_STRIDE(b, (n + 1) / 2) {
        unsigned w[4];
        block(seed, offset + b, 0, w);
        for (int k = 0; k < 2 && 2 * b + k < n; ++k) {
            long long i = 2 * b + k;
            double pi = probs ? probs[i] : p;
            out[i] = u53(w[2 * k], w[2 * k + 1]) < pi ? (T)1 : (T)0;
        }
    }
}

}  // namespace weft_random

#define WEFT_RANDOM_STREAM long long n, unsigned long long seed, unsigned long long offset
extern "C" __global__ void weft_random_uniform_f32(WEFT_RANDOM_STREAM, double low, double high, float* out) {
    weft_random::uniform_f32(n, seed, offset, low, high, out);
}
extern "C" __global__ void weft_random_uniform_f64(WEFT_RANDOM_STREAM, double low, double high, double* out) {
    weft_random::uniform_f64(n, seed, offset, low, high, out);
}
extern "C" __global__ void weft_random_normal_f32(WEFT_RANDOM_STREAM, double mean, double std, float* out) {
    weft_random::normal_f32(n, seed, offset, mean, std, out);
}
extern "C" __global__ void weft_random_normal_f64(WEFT_RANDOM_STREAM, double mean, double std, double* out) {
    weft_random::normal_f64(n, seed, offset, mean, std, out);
}
extern "C" __global__ void weft_random_randint_i64(WEFT_RANDOM_STREAM, long long low, unsigned long long range,
                                                   long long* out) {
    weft_random::randint(n, seed, offset, low, range, out);
}
extern "C" __global__ void weft_random_bernoulli_f32(WEFT_RANDOM_STREAM, const double* probs, double p, float* out) {
    weft_random::bernoulli<float>(n, seed, offset, probs, p, out);
}
extern "C" __global__ void weft_random_bernoulli_f64(WEFT_RANDOM_STREAM, const double* probs, double p, double* out) {
    weft_random::bernoulli<double>(n, seed, offset, probs, p, out);
}
