// layernorm.cu: layer norm over the rows of a contiguous [M, K] array, forward and backward
// (the CPU backend's NormKernels.layerNorm and layerNormBackward).
//
// Versions (not yet run on a GPU):
//   version 1  (reference) per row: mean = sum x / K; var = sum (x - mean)^2 / K (two passes);
//              invstd = 1 / sqrt(var + eps); y = (x - mean) * invstd * w + b.
//   version 2  forward: a 256-thread block per row; each thread runs Welford's (count, mean,
//              M2) in double over a strided slice, the block merges them (Chan et al.), so x
//              is read once for the statistics and once for y.
//              backward: a block per row for dx; a thread per column for dw and db (a second
//              kernel), folding down the rows, neighbouring threads on neighbouring columns.
// Planned: warp per row for K <= 1024 with the row in registers; split-M partial sums for dw,
// db when K is small (few threads) and M large.
//
// Backward, with xhat = (x - mean) * invstd and gw = g * w (w = 1 when absent):
//   dx = invstd * (gw - mean(gw) - xhat * mean(gw * xhat))
//   dw = sum over rows of g * xhat;   db = sum over rows of g
// Statistics (mean, invstd) are stored in float for f32 and bf16 inputs, double for f64.
#include "weft.cuh"

namespace weft_layernorm {

const int BLOCK = 256;

typedef WeftMoments Moments;
typedef WeftChan Chan;
typedef WeftSum2 Sum2;
typedef WeftSum2Add Sum2Add;

template <typename T>
__device__ __forceinline__ void forward(long long M, long long K, const T* x, const T* w, const T* b, double eps,
                                        T* y, typename Acc<T>::type* mean_out, typename Acc<T>::type* invstd_out) {
    typedef typename Acc<T>::type A;
    __shared__ Moments shared[BLOCK];
    for (long long row = blockIdx.x; row < M; row += gridDim.x) {
        const T* xr = x + row * K;
        Moments v = {0, 0, 0};
        for (long long j = threadIdx.x; j < K; j += BLOCK) {
            double xv = (double)weft_load(xr + j);
            v.n += 1;
            double d = xv - v.mean;
            v.mean += d / v.n;
            v.m2 += d * (xv - v.mean);
        }
        v = weft_block_combine<BLOCK>(v, shared, Chan());
        double invstd = 1.0 / sqrt(v.m2 / (double)K + eps);
        if (threadIdx.x == 0) {
            mean_out[row] = (A)v.mean;
            invstd_out[row] = (A)invstd;
        }
        A mu = (A)v.mean, rs = (A)invstd;
        for (long long j = threadIdx.x; j < K; j += BLOCK) {
            A o = (weft_load(xr + j) - mu) * rs;
            if (w) o *= weft_load(w + j);
            if (b) o += weft_load(b + j);
            weft_store(y + row * K + j, o);
        }
    }
}

template <typename T>
__device__ __forceinline__ void backward_input(long long M, long long K, const T* g, const T* x, const T* w,
                                               const typename Acc<T>::type* mean, const typename Acc<T>::type* invstd,
                                               T* dx) {
    typedef typename Acc<T>::type A;
    __shared__ Sum2 shared[BLOCK];
    for (long long row = blockIdx.x; row < M; row += gridDim.x) {
        long long base = row * K;
        A mu = mean[row], rs = invstd[row];
        Sum2 s = {0, 0};
        for (long long j = threadIdx.x; j < K; j += BLOCK) {
            A gw = weft_load(g + base + j) * (w ? weft_load(w + j) : (A)1);
            A xhat = (weft_load(x + base + j) - mu) * rs;
            s.a += (double)gw;
            s.b += (double)gw * (double)xhat;
        }
        s = weft_block_combine<BLOCK>(s, shared, Sum2Add());
        A mean_gw = (A)(s.a / (double)K), mean_gw_xhat = (A)(s.b / (double)K);
        for (long long j = threadIdx.x; j < K; j += BLOCK) {
            A gw = weft_load(g + base + j) * (w ? weft_load(w + j) : (A)1);
            A xhat = (weft_load(x + base + j) - mu) * rs;
            weft_store(dx + base + j, rs * (gw - mean_gw - xhat * mean_gw_xhat));
        }
    }
}

template <typename T>
__device__ __forceinline__ void backward_params(long long M, long long K, const T* g, const T* x,
                                                const typename Acc<T>::type* mean,
                                                const typename Acc<T>::type* invstd, T* dw, T* db) {
    typedef typename Acc<T>::type A;
    WEFT_GRID_STRIDE(j, K) {
        double sw = 0, sb = 0;
        for (long long row = 0; row < M; ++row) {
            A gv = weft_load(g + row * K + j);
            A xhat = (weft_load(x + row * K + j) - mean[row]) * invstd[row];
            sw += (double)gv * (double)xhat;
            sb += (double)gv;
        }
        if (dw) weft_store(dw + j, (A)sw);
        if (db) weft_store(db + j, (A)sb);
    }
}

}  // namespace weft_layernorm

#define WEFT_LAYERNORM(S, T, A)                                                                \
    extern "C" __global__ void weft_layernorm_forward_##S(long long M, long long K, const T* x,  \
                                                          const T* weight, const T* bias, double eps, \
                                                          T* out, A* mean, A* invstd) {        \
        weft_layernorm::forward<T>(M, K, x, weight, bias, eps, out, mean, invstd);             \
    }                                                                                          \
    extern "C" __global__ void weft_layernorm_backward_input_##S(long long M, long long K, const T* grad, \
                                                                 const T* x, const T* weight,  \
                                                                 const A* mean, const A* invstd, \
                                                                 T* grad_input) {              \
        weft_layernorm::backward_input<T>(M, K, grad, x, weight, mean, invstd, grad_input);    \
    }                                                                                          \
    extern "C" __global__ void weft_layernorm_backward_params_##S(long long M, long long K, const T* grad, \
                                                                  const T* x, const A* mean,   \
                                                                  const A* invstd, T* grad_weight, \
                                                                  T* grad_bias) {              \
        weft_layernorm::backward_params<T>(M, K, grad, x, mean, invstd, grad_weight, grad_bias); \
    }
WEFT_LAYERNORM(f32, float, float)
WEFT_LAYERNORM(f64, double, double)
WEFT_LAYERNORM(bf16, bf16, float)
