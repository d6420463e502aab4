// batchnorm.cu: batch normalisation of a contiguous [N, C, S] array (S the product of the
// spatial sizes): per-channel batch statistics, the normalising affine map, and its backward
// (the CPU backend's NormKernels.channelMoments, batchNormApply, batchNormBackward).
// Running-statistics updates are the caller's (two elementwise ops on [C] arrays).
//
// Versions (not yet run on a GPU):
//   version 1  (reference) per channel c over its M = N * S elements: mean, biased var (two
//              passes in double); y = (x - mean) * invstd * w + b;
//              backward: sum_g = sum g, sum_gx = sum g * xhat, and
//              dx = w * invstd * (g - sum_g / M - xhat * sum_gx / M)   (training)
//              dx = w * invstd * g                                      (eval: constants)
//              dw = sum_gx, db = sum_g.
//   version 2  a 256-thread block per channel walks its N runs of S elements (coalesced when S
//              is large), Welford in double per thread, merged in shared memory (Chan et al.);
//              the backward sums likewise; apply and dx are grid-stride elementwise kernels.
// Planned: for small S (the [N, C] case of BatchNorm1d, or late 7x7 layers) a block per channel
// reads S-strided runs that are short; a split over N with a second pass would fill the GPU.
// Statistics are stored in float for f32 and bf16 inputs, double for f64.
#include "weft.cuh"

namespace weft_bn {

const int BLOCK = 256;

typedef WeftMoments Moments;
typedef WeftChan Chan;
typedef WeftSum2 Sum2;
typedef WeftSum2Add Sum2Add;

template <typename T>
__device__ __forceinline__ void moments(long long N, long long C, long long S, const T* x, typename Acc<T>::type* mean,
                                        typename Acc<T>::type* var) {
    typedef typename Acc<T>::type A;
    __shared__ Moments shared[BLOCK];
    long long M = N * S;
    for (long long c = blockIdx.x; c < C; c += gridDim.x) {
        Moments v = {0, 0, 0};
        for (long long i = threadIdx.x; i < M; i += BLOCK) {
            long long n = i / S, s = i - n * S;
            double xv = (double)weft_load(x + (n * C + c) * S + s);
            v.n += 1;
            double d = xv - v.mean;
            v.mean += d / v.n;
            v.m2 += d * (xv - v.mean);
        }
        v = weft_block_combine<BLOCK>(v, shared, Chan());
        if (threadIdx.x == 0) {
            mean[c] = (A)v.mean;
            var[c] = (A)(v.m2 / (double)M);  // 0/0 = NaN for an empty batch, as PyTorch
        }
    }
}

template <typename T>
__device__ __forceinline__ void apply(long long N, long long C, long long S, const T* x,
                                      const typename Acc<T>::type* mean, const typename Acc<T>::type* invstd,
                                      const T* w, const T* b, T* out) {
    typedef typename Acc<T>::type A;
    WEFT_GRID_STRIDE(i, N * C * S) {
        long long c = (i / S) % C;
        A v = (weft_load(x + i) - mean[c]) * invstd[c];
        if (w) v *= weft_load(w + c);
        if (b) v += weft_load(b + c);
        weft_store(out + i, v);
    }
}

template <typename T>
__device__ __forceinline__ void backward_reduce(long long N, long long C, long long S, const T* g, const T* x,
                                                const typename Acc<T>::type* mean,
                                                const typename Acc<T>::type* invstd, typename Acc<T>::type* sum_g,
                                                typename Acc<T>::type* sum_gx, T* dw, T* db) {
    typedef typename Acc<T>::type A;
    __shared__ Sum2 shared[BLOCK];
    long long M = N * S;
    for (long long c = blockIdx.x; c < C; c += gridDim.x) {
        double mu = (double)mean[c], rs = (double)invstd[c];
        Sum2 v = {0, 0};
        for (long long i = threadIdx.x; i < M; i += BLOCK) {
            long long n = i / S, s = i - n * S;
            long long at = (n * C + c) * S + s;
            double gv = (double)weft_load(g + at);
            v.a += gv;
            v.b += gv * ((double)weft_load(x + at) - mu) * rs;
        }
        v = weft_block_combine<BLOCK>(v, shared, Sum2Add());
        if (threadIdx.x == 0) {
            if (sum_g) sum_g[c] = (A)v.a;
            if (sum_gx) sum_gx[c] = (A)v.b;
            if (dw) weft_store(dw + c, (A)v.b);
            if (db) weft_store(db + c, (A)v.a);
        }
    }
}

template <typename T>
__device__ __forceinline__ void backward_input(long long N, long long C, long long S, const T* g, const T* x,
                                               const typename Acc<T>::type* mean,
                                               const typename Acc<T>::type* invstd, const T* w,
                                               const typename Acc<T>::type* sum_g,
                                               const typename Acc<T>::type* sum_gx, int training, T* dx) {
    typedef typename Acc<T>::type A;
    A inv_m = (A)(1.0 / (double)(N * S));
    WEFT_GRID_STRIDE(i, N * C * S) {
        long long c = (i / S) % C;
        A scale = invstd[c] * (w ? weft_load(w + c) : (A)1);
        A gv = weft_load(g + i);
        if (training) {
            A xhat = (weft_load(x + i) - mean[c]) * invstd[c];
            gv = gv - sum_g[c] * inv_m - xhat * sum_gx[c] * inv_m;
        }
        weft_store(dx + i, scale * gv);
    }
}

}  // namespace weft_bn

#define WEFT_BN(SUF, T, A)                                                                     \
    extern "C" __global__ void weft_batchnorm_moments_##SUF(long long N, long long C, long long S, const T* x, \
                                                            A* mean, A* var) {                 \
        weft_bn::moments<T>(N, C, S, x, mean, var);                                            \
    }                                                                                          \
    extern "C" __global__ void weft_batchnorm_apply_##SUF(long long N, long long C, long long S, const T* x, \
                                                          const A* mean, const A* invstd, const T* weight, \
                                                          const T* bias, T* out) {             \
        weft_bn::apply<T>(N, C, S, x, mean, invstd, weight, bias, out);                        \
    }                                                                                          \
    extern "C" __global__ void weft_batchnorm_backward_reduce_##SUF(long long N, long long C, long long S, \
                                                                    const T* grad, const T* x, const A* mean, \
                                                                    const A* invstd, A* sum_grad, \
                                                                    A* sum_grad_xhat, T* grad_weight, \
                                                                    T* grad_bias) {            \
        weft_bn::backward_reduce<T>(N, C, S, grad, x, mean, invstd, sum_grad, sum_grad_xhat, grad_weight, \
                                    grad_bias);                                                \
    }                                                                                          \
    extern "C" __global__ void weft_batchnorm_backward_input_##SUF(long long N, long long C, long long S, \
                                                                   const T* grad, const T* x, const A* mean, \
                                                                   const A* invstd, const T* weight, \
                                                                   const A* sum_grad, const A* sum_grad_xhat, \
                                                                   int training, T* grad_input) { \
        weft_bn::backward_input<T>(N, C, S, grad, x, mean, invstd, weight, sum_grad, sum_grad_xhat, training, \
                                   grad_input);                                                \
    }
WEFT_BN(f32, float, float)
WEFT_BN(f64, double, double)
WEFT_BN(bf16, bf16, float)
