// weft.cuh: what every Weft kernel file shares: the strided-operand descriptor, the
// bf16 storage type, per-dtype scalar traits and a block reduction.
//
// It includes nothing on purpose: every kernel file must compile under NVRTC at run time,
// where no host headers exist, exactly as under nvcc at build time (ABI.md, "Compiling").
// Not yet run on a GPU.
#pragma once

// ---------------------------------------------------------------------------------------
// Strided operands
// ---------------------------------------------------------------------------------------

// The most dimensions a strided operand may have (PyTorch allows 25; Weft's ops reach 6).
#define WEFT_MAX_DIMS 8

// One strided operand, passed BY VALUE as a kernel parameter (136 bytes, 8-byte aligned):
// offset 0 ndim, 4 padding, 8 sizes[8], 72 strides[8]. Sizes are the OUTPUT's shape (so a
// broadcast input has stride 0 where it is expanded); strides are in elements, not bytes.
// Entries past ndim are ignored. ndim == 0 is a single element (a scalar).
struct WeftStrides {
    int ndim;
    int pad;
    long long sizes[WEFT_MAX_DIMS];
    long long strides[WEFT_MAX_DIMS];
};
static_assert(sizeof(WeftStrides) == 136, "WeftStrides is 136 bytes in ABI.md");

// The element offset of linear (row-major) index i of the output within the operand.
// 64-bit division per dimension: slow, which is why every kernel checks is_contiguous first
// and the caller is asked to merge dimensions (ABI.md).
__device__ __forceinline__ long long weft_offset(const WeftStrides& d, long long i) {
    long long off = 0;
    for (int k = d.ndim - 1; k >= 0; --k) {
        long long size = d.sizes[k];
        long long c = i % size;
        i /= size;
        off += c * d.strides[k];
    }
    return off;
}

// A descriptor the caller marked dense and row-major over n elements: ndim 1, stride 1.
__device__ __forceinline__ bool weft_is_contiguous(const WeftStrides& d) {
    return d.ndim == 1 && d.strides[0] == 1;
}

// ---------------------------------------------------------------------------------------
// bf16: storage only. Arithmetic happens in float; conversion rounds to nearest even.
// A struct of our own rather than cuda_bf16.h's __nv_bfloat16, so no header is needed.
// ---------------------------------------------------------------------------------------

struct bf16 {
    unsigned short bits;
};

__device__ __forceinline__ float bf16_to_float(bf16 h) {
    return __uint_as_float(((unsigned int)h.bits) << 16);
}

__device__ __forceinline__ bf16 float_to_bf16(float f) {
    unsigned int u = __float_as_uint(f);
    bf16 h;
    if ((u & 0x7fffffffu) > 0x7f800000u) {
        h.bits = (unsigned short)((u >> 16) | 0x0040u);  // NaN stays a (quiet) NaN
    } else {
        u += 0x7fffu + ((u >> 16) & 1u);                 // round half to even
        h.bits = (unsigned short)(u >> 16);
    }
    return h;
}

// ---------------------------------------------------------------------------------------
// Per-dtype traits: Acc is the type arithmetic happens in; load/store convert to it.
// ---------------------------------------------------------------------------------------

template <typename T> struct Acc { typedef T type; };
template <> struct Acc<bf16> { typedef float type; };

template <typename T> __device__ __forceinline__ typename Acc<T>::type weft_load(const T* p) { return *p; }
template <> __device__ __forceinline__ float weft_load<bf16>(const bf16* p) { return bf16_to_float(*p); }

template <typename T> __device__ __forceinline__ void weft_store(T* p, typename Acc<T>::type v) { *p = v; }
template <> __device__ __forceinline__ void weft_store<bf16>(bf16* p, float v) { *p = float_to_bf16(v); }

// Infinity and NaN without <limits> or <cmath>.
template <typename A> __device__ __forceinline__ A weft_inf();
template <> __device__ __forceinline__ float weft_inf<float>() { return __int_as_float(0x7f800000); }
template <> __device__ __forceinline__ double weft_inf<double>() { return __longlong_as_double(0x7ff0000000000000LL); }
template <typename A> __device__ __forceinline__ A weft_nan();
template <> __device__ __forceinline__ float weft_nan<float>() { return __int_as_float(0x7fc00000); }
template <> __device__ __forceinline__ double weft_nan<double>() { return __longlong_as_double(0x7ff8000000000000LL); }

template <typename A> __device__ __forceinline__ bool weft_isnan(A x) { return x != x; }

// ---------------------------------------------------------------------------------------
// Grid-stride loop over n elements, 64-bit indices throughout.
// ---------------------------------------------------------------------------------------

#define WEFT_GRID_STRIDE(i, n)                                                         \
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (n);      \
         i += (long long)blockDim.x * gridDim.x)

// ---------------------------------------------------------------------------------------
// Block reduction
// ---------------------------------------------------------------------------------------

// Combine one value per thread over a block of exactly BLOCK threads (a power of two) with
// an associative functor `combine(a, b)` (the left operand always holds the lower thread
// indices, so order-sensitive tie rules work); every thread gets the result. `shared` must
// hold BLOCK values. Contains __syncthreads: call from every thread.
template <int BLOCK, typename V, typename F>
__device__ __forceinline__ V weft_block_combine(V v, V* shared, const F& f) {
    __syncthreads();                      // shared may still be read from a previous call
    shared[threadIdx.x] = v;
    __syncthreads();
    for (int s = BLOCK / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) shared[threadIdx.x] = f.combine(shared[threadIdx.x], shared[threadIdx.x + s]);
        __syncthreads();
    }
    return shared[0];
}

// The combine functors the kernels share. WeftMoments is Welford's running (count, mean, M2);
// weft_merge_moments merges two of them by Chan et al.'s formula, exact in any order.
struct WeftMoments { double n, mean, m2; };

__device__ __forceinline__ WeftMoments weft_merge_moments(WeftMoments a, WeftMoments b) {
    if (a.n == 0) return b;
    if (b.n == 0) return a;
    WeftMoments v;
    v.n = a.n + b.n;
    double d = b.mean - a.mean;
    v.mean = a.mean + d * (b.n / v.n);
    v.m2 = a.m2 + b.m2 + d * d * (a.n * (b.n / v.n));
    return v;
}

struct WeftChan { __device__ WeftMoments combine(WeftMoments a, WeftMoments b) const { return weft_merge_moments(a, b); } };
struct WeftDoubleSum { __device__ double combine(double a, double b) const { return a + b; } };
struct WeftSum2 { double a, b; };
struct WeftSum2Add {
    __device__ WeftSum2 combine(WeftSum2 x, WeftSum2 y) const { WeftSum2 r; r.a = x.a + y.a; r.b = x.b + y.b; return r; }
};
