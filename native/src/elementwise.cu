// elementwise.cu: the engine's unary, binary, comparison, where and clamp kernels, and the
// fused backward helpers (GELU, threshold) of the CPU backend's ElementwiseKernels.
//
// Versions (one kernel per op and dtype below; not yet run on a GPU):
//   version 1  one thread per output element, grid-stride; every input's offset from the
//              output's linear index through its WeftStrides (broadcast = stride 0).
//   version 2  inputs the caller marked contiguous (ndim 1, stride 1) are read at i
//              directly: no divisions, coalesced; a uniform branch, decided once per kernel.
// Planned: 16-byte vector loads/stores on the all-contiguous path (4 f32 / 8 bf16 per
// thread) once a GPU run shows the scalar stream below the copy bandwidth.
//
// The output is always contiguous (the caller copies into a strided destination after).
// Arithmetic is in float for f32 and bf16 (bf16 is storage only), double for f64, integer
// for i64/i32. The scalar definitions are the CPU backend's UnaryOp, BinaryOp, CompareOp,
// GeluDerivative (org.weft.tensor.backend), the reference:
//   for i in 0..n-1:  out[i] = op(a[offset(a_desc, i)], b[offset(b_desc, i)])
// Math is CUDA's libdevice without fast-math (expf etc., their documented ulp bounds).
#include "weft.cuh"

namespace weft_ew {

// Each math function for float and double, so one op body serves both.
#define WEFT_MATH(NAME, FLOAT_FN, DOUBLE_FN)                                                \
    __device__ __forceinline__ float NAME(float x) { return FLOAT_FN(x); }                 \
    __device__ __forceinline__ double NAME(double x) { return DOUBLE_FN(x); }
WEFT_MATH(m_exp, expf, exp)
WEFT_MATH(m_expm1, expm1f, expm1)
WEFT_MATH(m_log, logf, log)
WEFT_MATH(m_log1p, log1pf, log1p)
WEFT_MATH(m_sqrt, sqrtf, sqrt)
WEFT_MATH(m_sin, sinf, sin)
WEFT_MATH(m_cos, cosf, cos)
WEFT_MATH(m_tanh, tanhf, tanh)
WEFT_MATH(m_erf, erff, erf)
WEFT_MATH(m_erfc, erfcf, erfc)
WEFT_MATH(m_floor, floorf, floor)
WEFT_MATH(m_ceil, ceilf, ceil)
WEFT_MATH(m_rint, rintf, rint)
WEFT_MATH(m_fabs, fabsf, fabs)
__device__ __forceinline__ float m_pow(float a, float b) { return powf(a, b); }
__device__ __forceinline__ double m_pow(double a, double b) { return pow(a, b); }

// ---- unary ops: apply(A x) for the accumulate type A ----
struct Neg { template <typename A> static __device__ A apply(A x) { return -x; } };
struct Abs { template <typename A> static __device__ A apply(A x) { return x < (A)0 ? -x : x; } };
struct AbsF { template <typename A> static __device__ A apply(A x) { return m_fabs(x); } };  // -0.0 -> 0.0
// (0 < x) - (x < 0): NaN and -0.0 give +0.0, as PyTorch's sign.
struct Sign { template <typename A> static __device__ A apply(A x) { return x > (A)0 ? (A)1 : x < (A)0 ? (A)-1 : (A)0; } };
// x unless x < 0: NaN stays NaN, -0.0 stays -0.0.
struct Relu { template <typename A> static __device__ A apply(A x) { return x < (A)0 ? (A)0 : x; } };
struct Floor { template <typename A> static __device__ A apply(A x) { return m_floor(x); } };
struct Ceil { template <typename A> static __device__ A apply(A x) { return m_ceil(x); } };
struct Round { template <typename A> static __device__ A apply(A x) { return m_rint(x); } };  // half to even
struct Exp { template <typename A> static __device__ A apply(A x) { return m_exp(x); } };
struct Expm1 { template <typename A> static __device__ A apply(A x) { return m_expm1(x); } };
struct Log { template <typename A> static __device__ A apply(A x) { return m_log(x); } };
struct Log1p { template <typename A> static __device__ A apply(A x) { return m_log1p(x); } };
struct Sqrt { template <typename A> static __device__ A apply(A x) { return m_sqrt(x); } };
// 1/sqrt(x) correctly rounded twice, as the reference; rsqrtf would be off by up to 2 ulp.
struct Rsqrt { template <typename A> static __device__ A apply(A x) { return (A)1 / m_sqrt(x); } };
struct Reciprocal { template <typename A> static __device__ A apply(A x) { return (A)1 / x; } };
struct Sin { template <typename A> static __device__ A apply(A x) { return m_sin(x); } };
struct Cos { template <typename A> static __device__ A apply(A x) { return m_cos(x); } };
struct Tanh { template <typename A> static __device__ A apply(A x) { return m_tanh(x); } };
struct Erf { template <typename A> static __device__ A apply(A x) { return m_erf(x); } };
// Two forms so exp never overflows into inf/inf.
struct Sigmoid {
    template <typename A> static __device__ A apply(A x) {
        if (x >= (A)0) return (A)1 / ((A)1 + m_exp(-x));
        A e = m_exp(x);
        return e / ((A)1 + e);
    }
};
// x * Phi(x) = 0.5 x erfc(-x / sqrt 2).
struct GeluErf {
    template <typename A> static __device__ A apply(A x) {
        return (A)0.5 * x * m_erfc(-x * (A)0.70710678118654752440);
    }
};
// 0.5 x (1 + tanh u) computed as x sigmoid(2u), u = sqrt(2/pi) (x + 0.044715 x^3): the same
// function without the cancellation of 1 + tanh u for very negative u.
struct GeluTanh {
    template <typename A> static __device__ A apply(A x) {
        A u = (A)0.79788456080286535588 * (x + (A)0.044715 * x * x * x);
        A e = m_exp((A)-2 * (u < (A)0 ? -u : u));
        return u >= (A)0 ? x / ((A)1 + e) : x * e / ((A)1 + e);
    }
};

// ---- binary ops ----
struct Add { template <typename A> static __device__ A apply(A a, A b) { return a + b; } };
struct Sub { template <typename A> static __device__ A apply(A a, A b) { return a - b; } };
struct Mul { template <typename A> static __device__ A apply(A a, A b) { return a * b; } };
struct Div { template <typename A> static __device__ A apply(A a, A b) { return a / b; } };
struct Pow { template <typename A> static __device__ A apply(A a, A b) { return m_pow(a, b); } };
// Integer power by squaring; the caller has rejected negative exponents, as PyTorch does.
struct PowInt {
    template <typename A> static __device__ A apply(A a, A b) {
        A result = 1, base = a;
        for (A e = b; e > 0; e >>= 1) {
            if (e & 1) result *= base;
            base *= base;
        }
        return result;
    }
};
// NaN in either operand wins; ties return a (visible only for signed zeros).
struct Maximum { template <typename A> static __device__ A apply(A a, A b) { return weft_isnan(b) ? b : a < b ? b : a; } };
struct Minimum { template <typename A> static __device__ A apply(A a, A b) { return weft_isnan(b) ? b : a > b ? b : a; } };

// ---- comparisons (false with NaN, except ne) ----
struct Eq { template <typename A> static __device__ bool apply(A a, A b) { return a == b; } };
struct Ne { template <typename A> static __device__ bool apply(A a, A b) { return a != b; } };
struct Lt { template <typename A> static __device__ bool apply(A a, A b) { return a < b; } };
struct Le { template <typename A> static __device__ bool apply(A a, A b) { return a <= b; } };
struct Gt { template <typename A> static __device__ bool apply(A a, A b) { return a > b; } };
struct Ge { template <typename A> static __device__ bool apply(A a, A b) { return a >= b; } };

// ---- kernel bodies ----

template <typename T>
__device__ __forceinline__ typename Acc<T>::type at(const T* p, const WeftStrides& d, bool contiguous, long long i) {
    return weft_load(p + (contiguous ? i : weft_offset(d, i)));
}

template <typename T, typename Op>
__device__ __forceinline__ void unary(long long n, const T* x, const WeftStrides& xs, T* out) {
    if (weft_is_contiguous(xs)) {
        WEFT_GRID_STRIDE(i, n) weft_store(out + i, Op::apply(weft_load(x + i)));
    } else {
        WEFT_GRID_STRIDE(i, n) weft_store(out + i, Op::apply(weft_load(x + weft_offset(xs, i))));
    }
}

template <typename T, typename Op>
__device__ __forceinline__ void binary(long long n, const T* a, const WeftStrides& as, const T* b,
                                       const WeftStrides& bs, T* out) {
    bool ac = weft_is_contiguous(as), bc = weft_is_contiguous(bs);
    if (ac && bc) {
        WEFT_GRID_STRIDE(i, n) weft_store(out + i, Op::apply(weft_load(a + i), weft_load(b + i)));
    } else {
        WEFT_GRID_STRIDE(i, n) weft_store(out + i, Op::apply(at(a, as, ac, i), at(b, bs, bc, i)));
    }
}

template <typename T, typename Op>
__device__ __forceinline__ void compare(long long n, const T* a, const WeftStrides& as, const T* b,
                                        const WeftStrides& bs, unsigned char* out) {
    bool ac = weft_is_contiguous(as), bc = weft_is_contiguous(bs);
    WEFT_GRID_STRIDE(i, n) out[i] = Op::apply(at(a, as, ac, i), at(b, bs, bc, i)) ? 1 : 0;
}

// where only moves bits, so it is written per element width, not per dtype.
template <typename W>
__device__ __forceinline__ void where(long long n, const unsigned char* c, const WeftStrides& cs, const W* a,
                                      const WeftStrides& as, const W* b, const WeftStrides& bs, W* out) {
    bool cc = weft_is_contiguous(cs), ac = weft_is_contiguous(as), bc = weft_is_contiguous(bs);
    WEFT_GRID_STRIDE(i, n) {
        bool take_a = c[cc ? i : weft_offset(cs, i)] != 0;
        out[i] = take_a ? a[ac ? i : weft_offset(as, i)] : b[bc ? i : weft_offset(bs, i)];
    }
}

// min(max(x, lo), hi); an infinite bound is no bound and NaN stays NaN (both comparisons false).
template <typename T, typename S>
__device__ __forceinline__ void clamp(long long n, const T* x, const WeftStrides& xs, S lo, S hi, T* out) {
    typedef typename Acc<T>::type A;
    bool xc = weft_is_contiguous(xs);
    WEFT_GRID_STRIDE(i, n) {
        A v = at(x, xs, xc, i);
        v = v < (A)lo ? (A)lo : v;
        v = v > (A)hi ? (A)hi : v;
        weft_store(out + i, v);
    }
}

// grad * gelu'(x); see GeluDerivative.java for the two forms.
struct GeluErfGrad {
    template <typename A> static __device__ A apply(A x) {
        return (A)0.5 * m_erfc(-x * (A)0.70710678118654752440) + x * m_exp((A)-0.5 * x * x) * (A)0.39894228040143267794;
    }
};
struct GeluTanhGrad {
    template <typename A> static __device__ A apply(A x) {
        const A beta = (A)0.79788456080286535588, kappa = (A)0.044715;
        A u = beta * (x + kappa * x * x * x);
        // s and 1 - s from the same exp(-2|u|), so neither cancels (1 - tanh^2 would).
        A e = m_exp((A)-2 * (u < (A)0 ? -u : u));
        A s = u >= (A)0 ? (A)1 / ((A)1 + e) : e / ((A)1 + e);
        A one_minus_s = u >= (A)0 ? e / ((A)1 + e) : (A)1 / ((A)1 + e);
        return s + (A)2 * x * s * one_minus_s * beta * ((A)1 + (A)3 * kappa * x * x);
    }
};

template <typename T, typename Deriv>
__device__ __forceinline__ void grad_times(long long n, const T* g, const WeftStrides& gs, const T* x,
                                           const WeftStrides& xs, T* out) {
    bool gc = weft_is_contiguous(gs), xc = weft_is_contiguous(xs);
    WEFT_GRID_STRIDE(i, n) weft_store(out + i, at(g, gs, gc, i) * Deriv::apply(at(x, xs, xc, i)));
}

// x <= threshold ? 0 : grad (ReLU's gradient at threshold 0).
template <typename T, typename S>
__device__ __forceinline__ void threshold_backward(long long n, const T* g, const WeftStrides& gs, const T* x,
                                                   const WeftStrides& xs, S threshold, T* out) {
    typedef typename Acc<T>::type A;
    bool gc = weft_is_contiguous(gs), xc = weft_is_contiguous(xs);
    WEFT_GRID_STRIDE(i, n) weft_store(out + i, at(x, xs, xc, i) <= (A)threshold ? (A)0 : at(g, gs, gc, i));
}

}  // namespace weft_ew

// ---- the exported kernels (names and parameters: ABI.md) ----

#define WEFT_UNARY(NAME, OP, S, T)                                                             \
    extern "C" __global__ void weft_unary_##NAME##_##S(long long n, const T* x, WeftStrides xs, T* out) { \
        weft_ew::unary<T, weft_ew::OP>(n, x, xs, out);                                         \
    }
#define WEFT_UNARY_FLOATS(NAME, OP) WEFT_UNARY(NAME, OP, f32, float) WEFT_UNARY(NAME, OP, f64, double) WEFT_UNARY(NAME, OP, bf16, bf16)
#define WEFT_UNARY_INTS(NAME, OP) WEFT_UNARY(NAME, OP, i64, long long) WEFT_UNARY(NAME, OP, i32, int)

WEFT_UNARY_FLOATS(neg, Neg) WEFT_UNARY_INTS(neg, Neg)
WEFT_UNARY_FLOATS(abs, AbsF) WEFT_UNARY_INTS(abs, Abs)
WEFT_UNARY_FLOATS(sign, Sign) WEFT_UNARY_INTS(sign, Sign)
WEFT_UNARY_FLOATS(relu, Relu) WEFT_UNARY_INTS(relu, Relu)
WEFT_UNARY_FLOATS(floor, Floor)
WEFT_UNARY_FLOATS(ceil, Ceil)
WEFT_UNARY_FLOATS(round, Round)
WEFT_UNARY_FLOATS(exp, Exp)
WEFT_UNARY_FLOATS(expm1, Expm1)
WEFT_UNARY_FLOATS(log, Log)
WEFT_UNARY_FLOATS(log1p, Log1p)
WEFT_UNARY_FLOATS(sqrt, Sqrt)
WEFT_UNARY_FLOATS(rsqrt, Rsqrt)
WEFT_UNARY_FLOATS(reciprocal, Reciprocal)
WEFT_UNARY_FLOATS(sin, Sin)
WEFT_UNARY_FLOATS(cos, Cos)
WEFT_UNARY_FLOATS(tanh, Tanh)
WEFT_UNARY_FLOATS(sigmoid, Sigmoid)
WEFT_UNARY_FLOATS(erf, Erf)
WEFT_UNARY_FLOATS(gelu_erf, GeluErf)
WEFT_UNARY_FLOATS(gelu_tanh, GeluTanh)

#define WEFT_BINARY(NAME, OP, S, T)                                                            \
    extern "C" __global__ void weft_binary_##NAME##_##S(long long n, const T* a, WeftStrides as, \
                                                        const T* b, WeftStrides bs, T* out) {  \
        weft_ew::binary<T, weft_ew::OP>(n, a, as, b, bs, out);                                 \
    }
#define WEFT_BINARY_FLOATS(NAME, OP) WEFT_BINARY(NAME, OP, f32, float) WEFT_BINARY(NAME, OP, f64, double) WEFT_BINARY(NAME, OP, bf16, bf16)
#define WEFT_BINARY_INTS(NAME, OP) WEFT_BINARY(NAME, OP, i64, long long) WEFT_BINARY(NAME, OP, i32, int)

WEFT_BINARY_FLOATS(add, Add) WEFT_BINARY_INTS(add, Add)
WEFT_BINARY_FLOATS(sub, Sub) WEFT_BINARY_INTS(sub, Sub)
WEFT_BINARY_FLOATS(mul, Mul) WEFT_BINARY_INTS(mul, Mul)
WEFT_BINARY_FLOATS(div, Div)
WEFT_BINARY_FLOATS(pow, Pow) WEFT_BINARY_INTS(pow, PowInt)
WEFT_BINARY_FLOATS(maximum, Maximum) WEFT_BINARY_INTS(maximum, Maximum)
WEFT_BINARY_FLOATS(minimum, Minimum) WEFT_BINARY_INTS(minimum, Minimum)

#define WEFT_COMPARE(NAME, OP, S, T)                                                           \
    extern "C" __global__ void weft_compare_##NAME##_##S(long long n, const T* a, WeftStrides as, \
                                                         const T* b, WeftStrides bs, unsigned char* out) { \
        weft_ew::compare<T, weft_ew::OP>(n, a, as, b, bs, out);                                \
    }
#define WEFT_COMPARE_ALL(NAME, OP)                                                             \
    WEFT_COMPARE(NAME, OP, f32, float) WEFT_COMPARE(NAME, OP, f64, double)                     \
    WEFT_COMPARE(NAME, OP, bf16, bf16) WEFT_COMPARE(NAME, OP, i64, long long)                  \
    WEFT_COMPARE(NAME, OP, i32, int)
WEFT_COMPARE_ALL(eq, Eq)
WEFT_COMPARE_ALL(ne, Ne)
WEFT_COMPARE_ALL(lt, Lt)
WEFT_COMPARE_ALL(le, Le)
WEFT_COMPARE_ALL(gt, Gt)
WEFT_COMPARE_ALL(ge, Ge)

#define WEFT_WHERE(S, W)                                                                       \
    extern "C" __global__ void weft_where_##S(long long n, const unsigned char* cond, WeftStrides cs, \
                                              const W* a, WeftStrides as, const W* b,          \
                                              WeftStrides bs, W* out) {                        \
        weft_ew::where<W>(n, cond, cs, a, as, b, bs, out);                                     \
    }
WEFT_WHERE(b1, unsigned char)
WEFT_WHERE(b2, unsigned short)
WEFT_WHERE(b4, unsigned int)
WEFT_WHERE(b8, unsigned long long)

#define WEFT_CLAMP(S, T, SCALAR)                                                               \
    extern "C" __global__ void weft_clamp_##S(long long n, const T* x, WeftStrides xs, SCALAR lo, \
                                              SCALAR hi, T* out) {                             \
        weft_ew::clamp<T, SCALAR>(n, x, xs, lo, hi, out);                                      \
    }
WEFT_CLAMP(f32, float, float)
WEFT_CLAMP(f64, double, double)
WEFT_CLAMP(bf16, bf16, float)
WEFT_CLAMP(i64, long long, long long)
WEFT_CLAMP(i32, int, long long)

#define WEFT_BACKWARD(S, T, SCALAR)                                                            \
    extern "C" __global__ void weft_gelu_erf_backward_##S(long long n, const T* grad, WeftStrides gs, \
                                                          const T* x, WeftStrides xs, T* out) { \
        weft_ew::grad_times<T, weft_ew::GeluErfGrad>(n, grad, gs, x, xs, out);                 \
    }                                                                                          \
    extern "C" __global__ void weft_gelu_tanh_backward_##S(long long n, const T* grad, WeftStrides gs, \
                                                           const T* x, WeftStrides xs, T* out) { \
        weft_ew::grad_times<T, weft_ew::GeluTanhGrad>(n, grad, gs, x, xs, out);                \
    }                                                                                          \
    extern "C" __global__ void weft_threshold_backward_##S(long long n, const T* grad, WeftStrides gs, \
                                                           const T* x, WeftStrides xs,         \
                                                           SCALAR threshold, T* out) {         \
        weft_ew::threshold_backward<T, SCALAR>(n, grad, gs, x, xs, threshold, out);            \
    }
WEFT_BACKWARD(f32, float, float)
WEFT_BACKWARD(f64, double, double)
WEFT_BACKWARD(bf16, bf16, float)
