// gemm.cu: batched matrix multiply C = alpha * op(A) op(B) + beta * C + bias, row-major with
// leading dimensions, per-batch strides, and either operand transposed.
//
// Versions (not yet run on a GPU):
//   version 1  weft_gemm_naive_*: one thread per C element, a dot product over K with any
//              row/column strides; f32, f64 and bf16. The reference and the fallback for
//              operands the tiled kernels cannot take (unaligned, f64).
//   version 2  weft_gemm_{tf32,tf32x3,bf16}_{nn,nt,tn,tt}: tensor cores through mma.sync
//              (inline PTX): TF32 m16n8k8 and BF16 m16n8k16, f32 accumulation. A 256-thread
//              block computes a 128 x 128 tile of C, each of its 8 warps 64 x 32 (4 x 4 mma
//              tiles). K advances in slices (16 for TF32, 32 for BF16) staged in shared memory by
//              cp.async, double-buffered: slice k+1 is in flight while slice k is multiplied.
//              Shared-memory tiles keep the global layout (the contiguous dimension stays
//              contiguous, so every cp.async moves 16 aligned bytes), padded so the fragment
//              loads of a warp hit 32 different banks.
//   version 2b tf32x3: each f32 operand split as hi = tf32(x), lo = tf32(x - hi) and
//              a*b ~ hi*hi + hi*lo + lo*hi (three mma per product): close to f32 accuracy on
//              tensor cores. Plain tf32 keeps a 10-bit mantissa (relative error ~1e-3): it is
//              for callers who asked for TF32 (PyTorch's allow_tf32), never the default for f32.
// Planned: ldmatrix fragment loads, a 3-4 stage pipeline, 128 x 256 tiles and Hopper's
// wgmma/TMA path (sm_90a), split-K for small M*N with large K.
//
// Reference (per batch b, the CPU backend's Gemm):
//   C[m][n] = alpha * sum_k A[m][k] * B[k][n] + (beta == 0 ? 0 : beta * C[m][n]) + bias[n]
// beta == 0 never reads C (so C may hold garbage or NaN), as BLAS; bias may be null.
#include "weft_mma.cuh"

namespace weft_gemm {

// ---------------------------------------------------------------------------------------
// version 1: naive
// ---------------------------------------------------------------------------------------
template <typename T>
__device__ __forceinline__ void naive(int M, int N, int K, const T* A, long long a_rs, long long a_cs, long long a_bs,
                                      const T* B, long long b_rs, long long b_cs, long long b_bs, T* C, long long ldc,
                                      long long c_bs, const T* bias, typename Acc<T>::type alpha,
                                      typename Acc<T>::type beta) {
    typedef typename Acc<T>::type A_;
    int n = blockIdx.x * blockDim.x + threadIdx.x;
    int m = blockIdx.y * blockDim.y + threadIdx.y;
    if (m >= M || n >= N) return;
    long long b = blockIdx.z;
    const T* a = A + b * a_bs + m * a_rs;
    const T* bb = B + b * b_bs + n * b_cs;
    A_ acc = 0;
    for (int k = 0; k < K; ++k) acc += weft_load(a + k * a_cs) * weft_load(bb + k * b_rs);
    T* c = C + b * c_bs + (long long)m * ldc + n;
    A_ r = alpha * acc;
    if (beta != (A_)0) r += beta * weft_load(c);
    if (bias) r += weft_load(bias + n);
    weft_store(c, r);
}

// ---------------------------------------------------------------------------------------
// version 2: tensor cores (tiles, fragments and mma in weft_mma.cuh)
// ---------------------------------------------------------------------------------------
using namespace weft_mma;

// Stage one operand tile: rows beyond the matrix and columns past its end arrive as zeros, so
// edge tiles multiply correctly with no branches in the inner loop.
template <typename T, int EXTENT, bool KMAJOR>
__device__ __forceinline__ void load_tile(T* s, const T* g, long long ld, int mn0, int extent_mn, int k0, int K) {
    typedef Tile<T, EXTENT, KMAJOR> L;
    const int VEC = Shape<T>::VEC, PER_ROW = L::COLS / VEC, CHUNKS = L::ROWS * PER_ROW;
    for (int c = threadIdx.x; c < CHUNKS; c += THREADS) {
        int row = c / PER_ROW, col = (c - row * PER_ROW) * VEC;
        int grow = KMAJOR ? mn0 + row : k0 + row;
        int gcol = KMAJOR ? k0 + col : mn0 + col;
        int row_end = KMAJOR ? extent_mn : K, col_end = KMAJOR ? K : extent_mn;
        int left = col_end - gcol;
        int bytes = grow < row_end && left > 0 ? (left >= VEC ? 16 : left * (int)sizeof(T)) : 0;
        const T* src = bytes ? g + (long long)grow * ld + gcol : g;
        cp_async16(s + row * L::STRIDE + col, src, bytes);
    }
}

// TRANS_A: A is stored K x M (A[m][k] at A + k * lda + m), else M x K (A + m * lda + k).
// TRANS_B: B is stored N x K (B[k][n] at B + n * ldb + k), else K x N (B + k * ldb + n).
template <typename T, int SPLIT, bool TRANS_A, bool TRANS_B>
__device__ __forceinline__ void tiled(int M, int N, int K, const T* A, long long lda, long long a_bs, const T* B,
                                      long long ldb, long long b_bs, T* C, long long ldc, long long c_bs, const T* bias,
                                      float alpha, float beta) {
    const bool AK = !TRANS_A, BKM = TRANS_B;  // which operands have K contiguous
    typedef Tile<T, BM, AK> LA;
    typedef Tile<T, BN, BKM> LB;
    const int BK = Shape<T>::BK;
    __shared__ __align__(16) T sa[2][LA::SIZE];
    __shared__ __align__(16) T sb[2][LB::SIZE];

    long long batch = blockIdx.z;
    A += batch * a_bs;
    B += batch * b_bs;
    C += batch * c_bs;
    int m0 = blockIdx.y * BM, n0 = blockIdx.x * BN;
    int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    int wm = warp >> 2, wn = warp & 3, g = lane >> 2, t = lane & 3;

    float acc[4][4][4];
    #pragma unroll
    for (int i = 0; i < 4; ++i)
        #pragma unroll
        for (int j = 0; j < 4; ++j)
            #pragma unroll
            for (int r = 0; r < 4; ++r) acc[i][j][r] = 0.f;

    int slices = (K + BK - 1) / BK;
    load_tile<T, BM, AK>(sa[0], A, lda, m0, M, 0, K);
    load_tile<T, BN, BKM>(sb[0], B, ldb, n0, N, 0, K);
    cp_async_commit();
    for (int s = 0; s < slices; ++s) {
        if (s + 1 < slices) {  // the next slice goes into the other buffer while this one is used
            load_tile<T, BM, AK>(sa[(s + 1) & 1], A, lda, m0, M, (s + 1) * BK, K);
            load_tile<T, BN, BKM>(sb[(s + 1) & 1], B, ldb, n0, N, (s + 1) * BK, K);
        }
        cp_async_commit();      // possibly empty: keeps "all groups but the newest" meaning slice s
        cp_async_wait<1>();
        __syncthreads();
        multiply_slice<SPLIT, AK, BKM>(sa[s & 1], sb[s & 1], acc, wm, wn, g, t);
        __syncthreads();        // every warp is done with buffer s & 1 before it is refilled
    }

    #pragma unroll
    for (int mi = 0; mi < 4; ++mi)
        #pragma unroll
        for (int ni = 0; ni < 4; ++ni)
            #pragma unroll
            for (int r = 0; r < 4; ++r) {
                int m = m0 + wm * 64 + mi * 16 + g + (r >= 2 ? 8 : 0);
                int n = n0 + wn * 32 + ni * 8 + 2 * t + (r & 1);
                if (m >= M || n >= N) continue;
                T* c = C + (long long)m * ldc + n;
                float v = alpha * acc[mi][ni][r];
                if (beta != 0.f) v += beta * (float)weft_load(c);
                if (bias) v += (float)weft_load(bias + n);
                weft_store(c, v);
            }
}

}  // namespace weft_gemm

#define WEFT_GEMM_NAIVE(S, T, A)                                                               \
    extern "C" __global__ void weft_gemm_naive_##S(int M, int N, int K, const T* a, long long a_rs, \
                                                   long long a_cs, long long a_bs, const T* b, long long b_rs, \
                                                   long long b_cs, long long b_bs, T* c, long long ldc, \
                                                   long long c_bs, const T* bias, A alpha, A beta) { \
        weft_gemm::naive<T>(M, N, K, a, a_rs, a_cs, a_bs, b, b_rs, b_cs, b_bs, c, ldc, c_bs, bias, alpha, beta); \
    }
WEFT_GEMM_NAIVE(f32, float, float)
WEFT_GEMM_NAIVE(f64, double, double)
WEFT_GEMM_NAIVE(bf16, bf16, float)

#define WEFT_GEMM_TILED(NAME, T, SPLIT, SUF, TA, TB)                                           \
    extern "C" __global__ void __launch_bounds__(256)                                          \
    weft_gemm_##NAME##_##SUF(int M, int N, int K, const T* a, long long lda, long long a_bs, const T* b, \
                             long long ldb, long long b_bs, T* c, long long ldc, long long c_bs,    \
                             const T* bias, float alpha, float beta) {                         \
        weft_gemm::tiled<T, SPLIT, TA, TB>(M, N, K, a, lda, a_bs, b, ldb, b_bs, c, ldc, c_bs, bias, alpha, beta); \
    }
#define WEFT_GEMM_LAYOUTS(NAME, T, SPLIT)                  \
    WEFT_GEMM_TILED(NAME, T, SPLIT, nn, false, false)      \
    WEFT_GEMM_TILED(NAME, T, SPLIT, nt, false, true)       \
    WEFT_GEMM_TILED(NAME, T, SPLIT, tn, true, false)       \
    WEFT_GEMM_TILED(NAME, T, SPLIT, tt, true, true)
WEFT_GEMM_LAYOUTS(tf32, float, 1)
WEFT_GEMM_LAYOUTS(tf32x3, float, 3)
WEFT_GEMM_LAYOUTS(bf16, bf16, 1)
