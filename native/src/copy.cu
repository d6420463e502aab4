// copy.cu: moving elements without arithmetic: strided copies, fills, dtype conversions.
//
// Versions (all in the one kernel per op below; not yet run on a GPU):
//   version 1  one thread per element; each operand's offset from the linear index by a
//              division per dimension (weft_offset), any strides, 64-bit offsets.
//   version 2  an operand the caller marked contiguous (ndim 1, stride 1) skips the
//              divisions, so a dense copy or conversion is a plain coalesced stream.
// Planned: 16-byte vector loads for contiguous operands of 1- and 2-byte elements, where a
// scalar stream leaves bandwidth unused.
//
// Reference (what the CPU backend's CopyKernels does):
//   for i in 0..n-1:  dst[offset(dst_desc, i)] = convert(src[offset(src_desc, i)])
// i running over the elements of the shape both descriptors share, in row-major order.
#include "weft.cuh"

namespace weft_copy {

// Copy any strided operand into any strided destination of the same shape (same width).
template <typename W>
__device__ __forceinline__ void copy(long long n, const W* src, const WeftStrides& s, W* dst, const WeftStrides& d) {
    bool sc = weft_is_contiguous(s), dc = weft_is_contiguous(d);
    if (sc && dc) {
        WEFT_GRID_STRIDE(i, n) dst[i] = src[i];
    } else if (dc) {
        WEFT_GRID_STRIDE(i, n) dst[i] = src[weft_offset(s, i)];
    } else {
        WEFT_GRID_STRIDE(i, n) dst[weft_offset(d, i)] = src[sc ? i : weft_offset(s, i)];
    }
}

template <typename W>
__device__ __forceinline__ void fill(long long n, W* dst, const WeftStrides& d, W value) {
    if (weft_is_contiguous(d)) {
        WEFT_GRID_STRIDE(i, n) dst[i] = value;
    } else {
        WEFT_GRID_STRIDE(i, n) dst[weft_offset(d, i)] = value;
    }
}

// ---- conversions: every pair goes through one of three carriers: double for floating
// sources, long long for integer sources, and a bool test for BOOL destinations.

struct boolean { unsigned char v; };  // BOOL storage: one byte, 0 or 1

// double -> bf16 rounded once: round to float toward zero, set the sticky bit if that was
// inexact (round to odd), then float -> bf16 to nearest even. Going double -> float -> bf16
// with two nearest roundings could round twice in the same direction.
__device__ __forceinline__ bf16 double_to_bf16(double x) {
    float f = __double2float_rz(x);
    if ((double)f != x && f == f) f = __uint_as_float(__float_as_uint(f) | 1u);
    return float_to_bf16(f);
}

template <typename From> __device__ __forceinline__ double as_double(From x) { return (double)x; }
template <> __device__ __forceinline__ double as_double<bf16>(bf16 x) { return (double)bf16_to_float(x); }
template <> __device__ __forceinline__ double as_double<boolean>(boolean x) { return (double)x.v; }

template <typename From> __device__ __forceinline__ bool is_nonzero(From x) { return x != (From)0; }
template <> __device__ __forceinline__ bool is_nonzero<bf16>(bf16 x) { return (x.bits & 0x7fffu) != 0; }
template <> __device__ __forceinline__ bool is_nonzero<boolean>(boolean x) { return x.v != 0; }

template <typename From> struct IsInteger { static const bool value = false; };
template <> struct IsInteger<long long> { static const bool value = true; };
template <> struct IsInteger<int> { static const bool value = true; };
template <> struct IsInteger<unsigned char> { static const bool value = true; };
template <> struct IsInteger<boolean> { static const bool value = true; };

template <typename From> __device__ __forceinline__ long long as_long(From x) { return (long long)x; }
template <> __device__ __forceinline__ long long as_long<boolean>(boolean x) { return (long long)x.v; }
template <> __device__ __forceinline__ long long as_long<bf16>(bf16 x) { return (long long)bf16_to_float(x); }

template <typename From, typename To> struct Convert;

// Floating destinations: integer sources convert exactly up to 2^53, then round once.
template <typename From> struct Convert<From, double> {
    static __device__ __forceinline__ double apply(From x) { return as_double(x); }
};
template <typename From> struct Convert<From, float> {
    static __device__ __forceinline__ float apply(From x) { return (float)as_double(x); }
};
template <> struct Convert<bf16, float> {
    static __device__ __forceinline__ float apply(bf16 x) { return bf16_to_float(x); }
};
template <typename From> struct Convert<From, bf16> {
    static __device__ __forceinline__ bf16 apply(From x) { return double_to_bf16(as_double(x)); }
};
template <> struct Convert<float, bf16> {
    static __device__ __forceinline__ bf16 apply(float x) { return float_to_bf16(x); }
};
// Integer destinations: floating sources truncate toward zero into int64 (as a C cast; NaN
// and out-of-range values give what the hardware's saturating convert gives), then every
// integer narrows by wrapping, as Java's casts do.
template <typename From> __device__ __forceinline__ long long to_long(From x) {
    return IsInteger<From>::value ? as_long(x) : (long long)as_double(x);
}
template <typename From> struct Convert<From, long long> {
    static __device__ __forceinline__ long long apply(From x) { return to_long(x); }
};
template <typename From> struct Convert<From, int> {
    static __device__ __forceinline__ int apply(From x) { return (int)to_long(x); }
};
template <typename From> struct Convert<From, unsigned char> {
    static __device__ __forceinline__ unsigned char apply(From x) { return (unsigned char)to_long(x); }
};
// BOOL: nonzero is true (NaN included, as in PyTorch).
template <typename From> struct Convert<From, boolean> {
    static __device__ __forceinline__ boolean apply(From x) { boolean b; b.v = is_nonzero(x) ? 1 : 0; return b; }
};

template <typename From, typename To>
__device__ __forceinline__ void convert(long long n, const From* src, const WeftStrides& s, To* dst) {
    if (weft_is_contiguous(s)) {
        WEFT_GRID_STRIDE(i, n) dst[i] = Convert<From, To>::apply(src[i]);
    } else {
        WEFT_GRID_STRIDE(i, n) dst[i] = Convert<From, To>::apply(src[weft_offset(s, i)]);
    }
}

}  // namespace weft_copy

#define WEFT_COPY(SUFFIX, W)                                                                    \
    extern "C" __global__ void weft_copy_##SUFFIX(long long n, const W* src, WeftStrides s,    \
                                                  W* dst, WeftStrides d) {                     \
        weft_copy::copy<W>(n, src, s, dst, d);                                                 \
    }                                                                                          \
    extern "C" __global__ void weft_fill_##SUFFIX(long long n, W* dst, WeftStrides d, W value) { \
        weft_copy::fill<W>(n, dst, d, value);                                                  \
    }
WEFT_COPY(b1, unsigned char)
WEFT_COPY(b2, unsigned short)
WEFT_COPY(b4, unsigned int)
WEFT_COPY(b8, unsigned long long)

#define WEFT_CONVERT(FS, FT, TS, TT)                                                           \
    extern "C" __global__ void weft_convert_##FS##_##TS(long long n, const FT* src,            \
                                                        WeftStrides s, TT* dst) {              \
        weft_copy::convert<FT, TT>(n, src, s, dst);                                            \
    }
#define WEFT_CONVERT_FROM(FS, FT)                        \
    WEFT_CONVERT(FS, FT, f32, float)                     \
    WEFT_CONVERT(FS, FT, f64, double)                    \
    WEFT_CONVERT(FS, FT, bf16, bf16)                     \
    WEFT_CONVERT(FS, FT, i64, long long)                 \
    WEFT_CONVERT(FS, FT, i32, int)                       \
    WEFT_CONVERT(FS, FT, u8, unsigned char)              \
    WEFT_CONVERT(FS, FT, bool, weft_copy::boolean)
WEFT_CONVERT_FROM(f32, float)
WEFT_CONVERT_FROM(f64, double)
WEFT_CONVERT_FROM(bf16, bf16)
WEFT_CONVERT_FROM(i64, long long)
WEFT_CONVERT_FROM(i32, int)
WEFT_CONVERT_FROM(u8, unsigned char)
WEFT_CONVERT_FROM(bool, weft_copy::boolean)
