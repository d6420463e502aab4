// conv.cu: 2-d convolution (cross-correlation, as PyTorch's conv2d) with stride, padding,
// dilation and groups, over contiguous NCHW input and OIHW weights: forward, and the
// gradients with respect to the input and the weight (the bias's is a reduction of gradOut
// over N, OH, OW: weft_reduce_sum).
//
// Versions (not yet run on a GPU):
//   version 1  weft_conv2d_naive_*: one thread per output element, the direct six-fold sum;
//              f32, f64, bf16. The reference, and the path for shapes the tiled kernel does
//              badly (depthwise: one output channel per group).
//   version 2  weft_conv2d_implicit_{tf32,tf32x3}: implicit GEMM on tensor cores. Per group,
//              out[n, o, oh, ow] is C[m][o] of a GEMM with m = (n, oh, ow) (M = N*OH*OW rows),
//              o the group's output channels, and k = (c, r, s) (K = C/groups * KH * KW):
//              A[m][k] = x[n, c, oh*sh - ph + r*dh, ow*sw - pw + s*dw] (zero outside the
//              input), B[k][o] = weight[o][k]. The im2col matrix A is never written to memory:
//              each K slice of it is gathered straight into shared memory with 4-byte cp.async
//              (a padding tap is a zero-fill), double-buffered, and multiplied by the same
//              mma.sync warp code as gemm.cu (weft_mma.cuh). Each thread keeps one m for the
//              whole kernel, so its (n, oh, ow) is divided out once; neighbouring threads take
//              neighbouring m, so the gather reads neighbouring pixels.
//   backward, version 1 (both direct, deterministic, no atomics):
//              weft_conv2d_backward_input_*: one thread per input element GATHERS the output
//              gradients whose windows read it: for each tap (r, s) the output position is
//              oh = (h + ph - r*dh) / sh when that divides exactly and lands inside.
//              weft_conv2d_backward_weight_*: one 256-thread block per weight element sums
//              gradOut * x over N*OH*OW in double, merged in shared memory.
//   backward weight, version 2: weft_conv2d_backward_weight_implicit_{tf32,tf32x3}, an
//              implicit GEMM on tensor cores with its N*OH*OW reduction split over blocks
//              (a slab per split, summed by the caller: deterministic).
// Planned: 16-byte loads of the weights when C/groups*KH*KW is a multiple of 4; an NHWC
// variant (channels contiguous: 16-byte gathers); backward input (a transposed convolution)
// as an implicit GEMM on tensor cores; the bf16 variant.
//
// Reference (the CPU backend's CpuConv.conv2d), for g = o / (O/groups), Cg = C/groups:
//   out[n][o][oh][ow] = bias[o] + sum_{c < Cg, r < KH, s < KW}
//       x[n][g*Cg + c][oh*sh - ph + r*dh][ow*sw - pw + s*dw] * weight[o][c][r][s]
// with taps outside the input contributing nothing.
#include "weft_mma.cuh"

namespace weft_conv {

struct Geometry {
    int N, C, H, W, O, OH, OW, KH, KW, sh, sw, ph, pw, dh, dw, groups;
};

// ---------------------------------------------------------------------------------------
// version 1: direct
// ---------------------------------------------------------------------------------------
template <typename T>
__device__ __forceinline__ void naive(const Geometry& q, const T* x, const T* weight, const T* bias, T* out) {
    typedef typename Acc<T>::type A;
    int Cg = q.C / q.groups, Og = q.O / q.groups;
    long long total = (long long)q.N * q.O * q.OH * q.OW;
    WEFT_GRID_STRIDE(i, total) {
        long long t = i;
        int ow = (int)(t % q.OW); t /= q.OW;
        int oh = (int)(t % q.OH); t /= q.OH;
        int o = (int)(t % q.O);
        int n = (int)(t / q.O);
        int g = o / Og;
        A acc = bias ? weft_load(bias + o) : (A)0;
        for (int c = 0; c < Cg; ++c) {
            const T* xp = x + ((long long)n * q.C + g * Cg + c) * q.H * q.W;
            const T* wp = weight + ((long long)o * Cg + c) * q.KH * q.KW;
            for (int r = 0; r < q.KH; ++r) {
                int ih = oh * q.sh - q.ph + r * q.dh;
                if (ih < 0 || ih >= q.H) continue;
                for (int s = 0; s < q.KW; ++s) {
                    int iw = ow * q.sw - q.pw + s * q.dw;
                    if (iw < 0 || iw >= q.W) continue;
                    acc += weft_load(xp + (long long)ih * q.W + iw) * weft_load(wp + r * q.KW + s);
                }
            }
        }
        weft_store(out + i, acc);
    }
}

// gradIn[n][g*Cg + c][h][w] = sum over the group's o and taps (r, s) with
//   oh*sh - ph + r*dh = h, ow*sw - pw + s*dw = w   of   gradOut[n][o][oh][ow] * weight[o][c][r][s]
template <typename T>
__device__ __forceinline__ void backward_input(const Geometry& q, const T* grad_out, const T* weight, T* grad_in) {
    typedef typename Acc<T>::type A;
    int Cg = q.C / q.groups, Og = q.O / q.groups;
    long long total = (long long)q.N * q.C * q.H * q.W;
    WEFT_GRID_STRIDE(i, total) {
        long long t = i;
        int w = (int)(t % q.W); t /= q.W;
        int h = (int)(t % q.H); t /= q.H;
        int ci = (int)(t % q.C);
        int n = (int)(t / q.C);
        int g = ci / Cg, c = ci - g * Cg;
        A acc = 0;
        for (int r = 0; r < q.KH; ++r) {
            int y = h + q.ph - r * q.dh;          // = oh * sh
            if (y < 0 || y % q.sh) continue;
            int oh = y / q.sh;
            if (oh >= q.OH) continue;
            for (int s = 0; s < q.KW; ++s) {
                int x = w + q.pw - s * q.dw;
                if (x < 0 || x % q.sw) continue;
                int ow = x / q.sw;
                if (ow >= q.OW) continue;
                for (int oo = 0; oo < Og; ++oo) {
                    int o = g * Og + oo;
                    acc += weft_load(grad_out + (((long long)n * q.O + o) * q.OH + oh) * q.OW + ow) *
                           weft_load(weight + (((long long)o * Cg + c) * q.KH + r) * q.KW + s);
                }
            }
        }
        weft_store(grad_in + i, acc);
    }
}

typedef WeftDoubleSum DoubleSum;

// gradWeight[o][c][r][s] = sum over n, oh, ow of gradOut[n][o][oh][ow] * x[n][g*Cg + c][ih][iw]
template <typename T>
__device__ __forceinline__ void backward_weight(const Geometry& q, const T* grad_out, const T* x, T* grad_weight) {
    const int BLOCK = 256;
    __shared__ double shared[BLOCK];
    int Cg = q.C / q.groups, Og = q.O / q.groups;
    long long weights = (long long)q.O * Cg * q.KH * q.KW;
    long long positions = (long long)q.N * q.OH * q.OW;
    for (long long e = blockIdx.x; e < weights; e += gridDim.x) {
        long long t = e;
        int s = (int)(t % q.KW); t /= q.KW;
        int r = (int)(t % q.KH); t /= q.KH;
        int c = (int)(t % Cg);
        int o = (int)(t / Cg);
        int ci = (o / Og) * Cg + c;
        double acc = 0;
        for (long long p = threadIdx.x; p < positions; p += BLOCK) {
            int ow = (int)(p % q.OW);
            long long u = p / q.OW;
            int oh = (int)(u % q.OH);
            int n = (int)(u / q.OH);
            int ih = oh * q.sh - q.ph + r * q.dh, iw = ow * q.sw - q.pw + s * q.dw;
            if (ih < 0 || ih >= q.H || iw < 0 || iw >= q.W) continue;
            acc += (double)weft_load(grad_out + (((long long)n * q.O + o) * q.OH + oh) * q.OW + ow) *
                   (double)weft_load(x + (((long long)n * q.C + ci) * q.H + ih) * q.W + iw);
        }
        acc = weft_block_combine<BLOCK>(acc, shared, DoubleSum());
        if (threadIdx.x == 0) weft_store(grad_weight + e, (typename Acc<T>::type)acc);
    }
}

// ---------------------------------------------------------------------------------------
// version 2: implicit GEMM on tensor cores (f32 data, TF32 or 3xTF32 products)
// ---------------------------------------------------------------------------------------
using namespace weft_mma;

template <int SPLIT>
__device__ __forceinline__ void implicit(const Geometry& q, const float* x, const float* weight, const float* bias,
                                         float* out) {
    typedef Tile<float, BM, false> LA;  // A staged [k][m]: neighbouring threads, neighbouring m
    typedef Tile<float, BN, true> LB;   // B staged [o][k]: the weight rows as stored
    const int BK = Shape<float>::BK;
    __shared__ __align__(16) float sa[2][LA::SIZE];
    __shared__ __align__(16) float sb[2][LB::SIZE];

    const int Cg = q.C / q.groups, Og = q.O / q.groups, KHW = q.KH * q.KW, K = Cg * KHW;
    const int OHW = q.OH * q.OW;
    const long long M = (long long)q.N * OHW;
    const int g = blockIdx.z;
    const long long m0 = (long long)blockIdx.x * BM;
    const int o0 = blockIdx.y * BN;

    // This thread's row of A for the whole kernel: m = m0 + (tid % 128).
    const int my_m = threadIdx.x & (BM - 1), my_k = threadIdx.x >> 7;  // k rows my_k, my_k + 2, ...
    const long long m = m0 + my_m;
    const bool m_valid = m < M;
    int n = 0, oh = 0, ow = 0;
    if (m_valid) {
        n = (int)(m / OHW);
        int p = (int)(m - (long long)n * OHW);
        oh = p / q.OW;
        ow = p - oh * q.OW;
    }
    const float* xg = x + ((long long)n * q.C + (long long)g * Cg) * q.H * q.W;
    const int ih0 = oh * q.sh - q.ph, iw0 = ow * q.sw - q.pw;
    // This thread's slice of B: output channel o0 + tid / 2, eight consecutive k.
    const int my_o = threadIdx.x >> 1, my_kb = (threadIdx.x & 1) * 8;
    const bool o_valid = o0 + my_o < Og;
    const float* wg = weight + ((long long)g * Og + o0 + my_o) * K;

    auto load = [&](int buf, int k0) {
        for (int kl = my_k; kl < BK; kl += THREADS / BM) {
            int k = k0 + kl, bytes = 0;
            const float* src = x;
            if (m_valid && k < K) {
                int c = k / KHW, rs = k - c * KHW, r = rs / q.KW, s = rs - r * q.KW;
                int ih = ih0 + r * q.dh, iw = iw0 + s * q.dw;
                if (ih >= 0 && ih < q.H && iw >= 0 && iw < q.W) {
                    src = xg + ((long long)c * q.H + ih) * q.W + iw;
                    bytes = 4;
                }
            }
            cp_async4(&sa[buf][LA::index(my_m, kl)], src, bytes);
        }
        for (int j = 0; j < 8; ++j) {
            int k = k0 + my_kb + j;
            bool ok = o_valid && k < K;
            cp_async4(&sb[buf][LB::index(my_o, my_kb + j)], ok ? wg + k : weight, ok ? 4 : 0);
        }
    };

    float acc[4][4][4];
#pragma unroll
    for (int i = 0; i < 4; ++i)
#pragma unroll
        for (int j = 0; j < 4; ++j)
#pragma unroll
            for (int r = 0; r < 4; ++r) acc[i][j][r] = 0.f;

    int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    int wm = warp >> 2, wn = warp & 3, gi = lane >> 2, t = lane & 3;
    int slices = (K + BK - 1) / BK;
    load(0, 0);
    cp_async_commit();
    for (int s = 0; s < slices; ++s) {
        if (s + 1 < slices) load((s + 1) & 1, (s + 1) * BK);
        cp_async_commit();
        cp_async_wait<1>();
        __syncthreads();
        multiply_slice<SPLIT, false, true>(sa[s & 1], sb[s & 1], acc, wm, wn, gi, t);
        __syncthreads();
    }

#pragma unroll
    for (int mi = 0; mi < 4; ++mi)
#pragma unroll
        for (int ni = 0; ni < 4; ++ni)
#pragma unroll
            for (int r = 0; r < 4; ++r) {
                long long mm = m0 + wm * 64 + mi * 16 + gi + (r >= 2 ? 8 : 0);
                int o = o0 + wn * 32 + ni * 8 + 2 * t + (r & 1);
                if (mm >= M || o >= Og) continue;
                int nn = (int)(mm / OHW), p = (int)(mm - (long long)nn * OHW);
                int oc = g * Og + o;
                float v = acc[mi][ni][r];
                if (bias) v += bias[oc];
                out[((long long)nn * q.O + oc) * OHW + p] = v;
            }
}

// Backward weight as an implicit GEMM (version 2 of the weight gradient), per group:
//   dW[o][k] = sum_m gradOut[m][o] * A[m][k],  m = (n, oh, ow) the reduction (N*OH*OW long),
// k = (c, r, s), A the same im2col gather as the forward. Both operands are gathered with
// 4-byte cp.async, staged K-major ([o][m] and [k][m] in shared memory: neighbouring m are
// neighbouring pixels). Few output tiles and a very long reduction, so the reduction is split
// over `splits` blocks per tile (blockIdx.z = group * splits + split), each writing its own
// [O, C/groups*KH*KW] slab of `partial`; the caller sums the slabs (weft_reduce_sum), which
// keeps the result deterministic.
template <int SPLIT>
__device__ __forceinline__ void implicit_backward_weight(const Geometry& q, int splits, const float* grad_out,
                                                         const float* x, float* partial) {
    typedef Tile<float, BM, true> LA;  // gradOut^T staged [o][m]
    typedef Tile<float, BN, true> LB;  // im2col(x)^T staged [k][m]
    const int BK = Shape<float>::BK;
    __shared__ __align__(16) float sa[2][LA::SIZE];
    __shared__ __align__(16) float sb[2][LB::SIZE];

    const int Cg = q.C / q.groups, Og = q.O / q.groups, KHW = q.KH * q.KW, Kg = Cg * KHW;
    const int OHW = q.OH * q.OW;
    const long long M = (long long)q.N * OHW;
    const int g = blockIdx.z / splits, split = blockIdx.z - g * splits;
    const long long slices_total = (M + BK - 1) / BK, per_split = (slices_total + splits - 1) / splits;
    const long long m_begin = split * per_split * BK;
    const long long m_end = m_begin + per_split * BK < M ? m_begin + per_split * BK : M;
    const int o0 = blockIdx.y * BM, k0 = blockIdx.x * BN;

    // Each thread stages row tid / 2 of both tiles, eight consecutive m from (tid & 1) * 8.
    const int my_row = threadIdx.x >> 1, my_mb = (threadIdx.x & 1) * 8;
    const bool o_valid = o0 + my_row < Og;
    const float* go = grad_out + (long long)(g * Og + o0 + my_row) * OHW;  // + n * O * OHW + p
    const bool k_valid = k0 + my_row < Kg;
    int c = 0, r = 0, s = 0;
    if (k_valid) {
        int kk = k0 + my_row;
        c = kk / KHW;
        int rs = kk - c * KHW;
        r = rs / q.KW;
        s = rs - r * q.KW;
    }
    const float* xc = x + (long long)(g * Cg + c) * q.H * q.W;  // + n * C * H * W + ih * W + iw

    auto load = [&](int buf, long long m0) {
        for (int j = 0; j < 8; ++j) {
            long long m = m0 + my_mb + j;
            bool in = m < m_end;
            long long n = in ? m / OHW : 0;
            int p = in ? (int)(m - n * OHW) : 0;
            const float* a_src = grad_out;
            int a_bytes = 0;
            if (in && o_valid) {
                a_src = go + n * q.O * OHW + p;
                a_bytes = 4;
            }
            cp_async4(&sa[buf][LA::index(my_row, my_mb + j)], a_src, a_bytes);
            const float* b_src = x;
            int b_bytes = 0;
            if (in && k_valid) {
                int oh = p / q.OW, ow = p - oh * q.OW;
                int ih = oh * q.sh - q.ph + r * q.dh, iw = ow * q.sw - q.pw + s * q.dw;
                if (ih >= 0 && ih < q.H && iw >= 0 && iw < q.W) {
                    b_src = xc + n * q.C * q.H * q.W + (long long)ih * q.W + iw;
                    b_bytes = 4;
                }
            }
            cp_async4(&sb[buf][LB::index(my_row, my_mb + j)], b_src, b_bytes);
        }
    };

    float acc[4][4][4];
#pragma unroll
    for (int i = 0; i < 4; ++i)
#pragma unroll
        for (int j = 0; j < 4; ++j)
#pragma unroll
            for (int e = 0; e < 4; ++e) acc[i][j][e] = 0.f;

    int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    int wm = warp >> 2, wn = warp & 3, gi = lane >> 2, t = lane & 3;
    long long slices = m_end > m_begin ? (m_end - m_begin + BK - 1) / BK : 0;
    if (slices > 0) {
        load(0, m_begin);
        cp_async_commit();
        for (long long sl = 0; sl < slices; ++sl) {
            if (sl + 1 < slices) load((int)((sl + 1) & 1), m_begin + (sl + 1) * BK);
            cp_async_commit();
            cp_async_wait<1>();
            __syncthreads();
            multiply_slice<SPLIT, true, true>(sa[sl & 1], sb[sl & 1], acc, wm, wn, gi, t);
            __syncthreads();
        }
    }

    float* slab = partial + (long long)split * q.O * Kg;
#pragma unroll
    for (int mi = 0; mi < 4; ++mi)
#pragma unroll
        for (int ni = 0; ni < 4; ++ni)
#pragma unroll
            for (int e = 0; e < 4; ++e) {
                int o = o0 + wm * 64 + mi * 16 + gi + (e >= 2 ? 8 : 0);
                int k = k0 + wn * 32 + ni * 8 + 2 * t + (e & 1);
                if (o < Og && k < Kg) slab[(long long)(g * Og + o) * Kg + k] = acc[mi][ni][e];
            }
}

}  // namespace weft_conv

#define WEFT_CONV_ARGS                                                                         \
    int N, int C, int H, int W, int O, int OH, int OW, int KH, int KW, int sh, int sw, int ph, int pw, int dh, \
        int dw, int groups
#define WEFT_CONV_GEOMETRY weft_conv::Geometry q = {N, C, H, W, O, OH, OW, KH, KW, sh, sw, ph, pw, dh, dw, groups};

#define WEFT_CONV_NAIVE(S, T)                                                                  \
    extern "C" __global__ void weft_conv2d_naive_##S(WEFT_CONV_ARGS, const T* x, const T* weight, const T* bias, \
                                                     T* out) {                                 \
        WEFT_CONV_GEOMETRY weft_conv::naive<T>(q, x, weight, bias, out);                       \
    }
#define WEFT_CONV_BACKWARD(S, T)                                                               \
    extern "C" __global__ void weft_conv2d_backward_input_##S(WEFT_CONV_ARGS, const T* grad_out, const T* weight, \
                                                              T* grad_input) {                 \
        WEFT_CONV_GEOMETRY weft_conv::backward_input<T>(q, grad_out, weight, grad_input);      \
    }                                                                                          \
    extern "C" __global__ void weft_conv2d_backward_weight_##S(WEFT_CONV_ARGS, const T* grad_out, const T* x, \
                                                               T* grad_weight) {               \
        WEFT_CONV_GEOMETRY weft_conv::backward_weight<T>(q, grad_out, x, grad_weight);         \
    }
WEFT_CONV_BACKWARD(f32, float)
WEFT_CONV_BACKWARD(f64, double)
WEFT_CONV_BACKWARD(bf16, bf16)

WEFT_CONV_NAIVE(f32, float)
WEFT_CONV_NAIVE(f64, double)
WEFT_CONV_NAIVE(bf16, bf16)

#define WEFT_CONV_IMPLICIT(NAME, SPLIT)                                                        \
    extern "C" __global__ void __launch_bounds__(256)                                          \
    weft_conv2d_implicit_##NAME(WEFT_CONV_ARGS, const float* x, const float* weight, const float* bias, float* out) { \
        WEFT_CONV_GEOMETRY weft_conv::implicit<SPLIT>(q, x, weight, bias, out);                \
    }
WEFT_CONV_IMPLICIT(tf32, 1)
WEFT_CONV_IMPLICIT(tf32x3, 3)

#define WEFT_CONV_IMPLICIT_BACKWARD_WEIGHT(NAME, SPLIT)                                        \
    extern "C" __global__ void __launch_bounds__(256)                                          \
    weft_conv2d_backward_weight_implicit_##NAME(WEFT_CONV_ARGS, int splits, const float* grad_out, const float* x, \
                                                float* partial) {                              \
        WEFT_CONV_GEOMETRY weft_conv::implicit_backward_weight<SPLIT>(q, splits, grad_out, x, partial); \
    }
WEFT_CONV_IMPLICIT_BACKWARD_WEIGHT(tf32, 1)
WEFT_CONV_IMPLICIT_BACKWARD_WEIGHT(tf32x3, 3)
