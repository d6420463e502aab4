// mmd.cu: the squared maximum mean discrepancy under a sum of Gaussian kernels (DAN's
// multi-kernel MMD, nn/losses/Mmd.java), BIASED and UNBIASED estimators, fused over all pairs of
// the joint batch z = [s; t] (n source rows, then m target rows, d features, contiguous):
//   k(D) = sum_i exp(-D / (beta * mult_i)),   D_ab = |z_a - z_b|^2
//   MMD^2 = sum_{a,b} w_ab k(D_ab), w_ab = 1/n^2 (both source), 1/m^2 (both target),
//           -1/(n m) (mixed); UNBIASED: 1/(n(n-1)), 1/(m(m-1)) and w_aa = 0.
// The distance matrices, the kernel matrices and their weighted sums of the composition are
// never stored: one pass over the pairs produces per-block partial sums (the caller sums
// them with weft_reduce_sum_*, so the total is deterministic), and, for the backward, the
// coefficient matrix
//   C_ab = 4 w_ab k'(D_ab),  k'(D) = -sum_i exp(-D / (beta mult_i)) / (beta mult_i)
// from which dMMD^2/dz_a = rowsum(C)_a z_a - (C z)_a: one reduction and one GEMM
// (weft_reduce_sum, weft_gemm_*) and an elementwise combination, all existing kernels. beta is
// read from device memory (the joint-batch rule computes it on the device; no host round
// trip) and is a constant for the gradient, as in Mmd.java. The LINEAR estimator is O(n) and
// stays a composition.
//
// Versions (not yet run on a GPU):
//   version 1  (reference) the composition in Mmd.java: pairwise distances, kernel, sums.
//   version 2  a 16 x 16 block of pairs per 256-thread block; z rows staged through shared
//              memory 32 features at a time (both tiles loaded coalesced), D accumulated in
//              the element type's arithmetic from the differences (z_a - z_b)^2 directly, so no
//              |a|^2 + |b|^2 - 2 a.b cancellation; the kernel sum in double.
// Planned: tensor-core distances (the a.b form on mma, with a correction pass) for d >= 256.
#include "weft.cuh"

// Up to 8 kernel multipliers, passed by value (72 bytes: count, padding, 8 doubles).
struct WeftMmdKernels {
    int count;
    int pad;
    double multipliers[8];
};
static_assert(sizeof(WeftMmdKernels) == 72, "WeftMmdKernels is 72 bytes in ABI.md");

namespace weft_mmd {

const int TILE = 16, CHUNK = 32;

__device__ __forceinline__ double weight(long long a, long long b, long long n, long long m, int unbiased) {
    bool sa = a < n, sb = b < n;
    if (sa != sb) return -1.0 / ((double)n * (double)m);
    if (unbiased && a == b) return 0.0;
    double k = sa ? (double)n : (double)m;
    return unbiased ? 1.0 / (k * (k - 1.0)) : 1.0 / (k * k);
}

template <typename T>
__device__ __forceinline__ void pairs(long long n, long long m, long long d, const T* z, const T* beta_ptr,
                                      const WeftMmdKernels& kernels, int unbiased, T* partials, T* coef) {
    typedef typename Acc<T>::type A;
    __shared__ A za[TILE][CHUNK + 1];  // +1: the column reads of the inner loop hit distinct banks
    __shared__ A zb[TILE][CHUNK + 1];
    __shared__ double red[TILE * TILE];
    const long long N = n + m;
    const int tx = threadIdx.x, ty = threadIdx.y, tid = ty * TILE + tx;
    const long long a0 = (long long)blockIdx.y * TILE, b0 = (long long)blockIdx.x * TILE;
    const long long a = a0 + ty, b = b0 + tx;

    A dist = 0;
    for (long long k0 = 0; k0 < d; k0 += CHUNK) {
        for (int e = tid; e < TILE * CHUNK; e += TILE * TILE) {  // 2 elements of each tile per thread
            int r = e / CHUNK, c = e - r * CHUNK;
            long long k = k0 + c;
            za[r][c] = (a0 + r < N && k < d) ? weft_load(z + (a0 + r) * d + k) : (A)0;
            zb[r][c] = (b0 + r < N && k < d) ? weft_load(z + (b0 + r) * d + k) : (A)0;
        }
        __syncthreads();
#pragma unroll 8
        for (int c = 0; c < CHUNK; ++c) {
            A diff = za[ty][c] - zb[tx][c];
            dist += diff * diff;
        }
        __syncthreads();
    }

    double contribution = 0;
    if (a < N && b < N) {
        double beta = (double)weft_load(beta_ptr), D = (double)dist, kv = 0, kd = 0;
#pragma unroll
        for (int i = 0; i < 8; ++i) {  // a fixed trip count keeps the multipliers out of local memory
            if (i >= kernels.count) break;
            double inv_bw = 1.0 / (beta * kernels.multipliers[i]);
            double e = exp(-D * inv_bw);
            kv += e;
            kd -= e * inv_bw;
        }
        double w = weight(a, b, n, m, unbiased);
        contribution = w * kv;
        if (coef) weft_store(coef + a * N + b, (A)(4.0 * w * kd));
    }
    red[tid] = contribution;
    __syncthreads();
    for (int s = TILE * TILE / 2; s > 0; s >>= 1) {
        if (tid < s) red[tid] += red[tid + s];
        __syncthreads();
    }
    if (tid == 0) weft_store(partials + (long long)blockIdx.y * gridDim.x + blockIdx.x, (A)red[0]);
}

}  // namespace weft_mmd

#define WEFT_MMD(S, T)                                                                         \
    extern "C" __global__ void __launch_bounds__(256)                                          \
    weft_mmd_pairs_##S(long long n, long long m, long long d, const T* z, const T* beta, WeftMmdKernels kernels, \
                       int unbiased, T* partials, T* coef) {                                   \
        weft_mmd::pairs<T>(n, m, d, z, beta, kernels, unbiased, partials, coef);               \
    }
WEFT_MMD(f32, float)
WEFT_MMD(f64, double)
