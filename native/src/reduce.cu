// reduce.cu: reductions over the middle axis of a contiguous [outer, r, inner] view:
// sum, mean, var/std (Welford), amax/amin, argmax/argmin (with values), logsumexp, p-norm.
//
// The caller makes the input contiguous and permutes/merges dimensions so the reduced ones
// form one axis r between outer and inner (reducing dims that are not adjacent: permute them
// together first, or reduce one run at a time); the output is [outer, inner] contiguous, which
// is the keepdim form up to size-one dimensions the caller adds back.
//
// Versions (not yet run on a GPU):
//   version 1  (reference, the CPU backend's CpuReduction): for each (o, k), fold
//              x[o, 0..r-1, k] in order in double.
//   version 2  inner == 1 (the reduced axis is the contiguous one): one 256-thread block per
//              row, each thread folds a strided slice of the row (coalesced), then a tree in
//              shared memory combines the 256 partial results.
//              inner > 1: one thread per output (o, k), folding down the column; neighbouring
//              threads read neighbouring k, so loads coalesce.
// Planned: a split-r pass for inner > 1 when outer * inner is too small to fill the GPU (a
// [N, C] sum over N), and warp-per-row for short rows.
//
// Floating-point folds run in double for every float dtype (as the CPU backend does), so an
// f32 result is the double result rounded once whatever the order. Integer sums fold in int64.
// Every combine below is order-independent in its result up to double rounding, and argmax's
// tie rule (first index, NaN first) is exact under any order.
#include "weft.cuh"

namespace weft_reduce {

const int BLOCK = 256;

template <typename T> struct Fold { typedef double type; };  // f32, f64, bf16
template <> struct Fold<long long> { typedef long long type; };
template <> struct Fold<int> { typedef long long type; };

template <typename T> __device__ __forceinline__ typename Fold<T>::type fold_load(const T* p) {
    return (typename Fold<T>::type)weft_load(p);
}

// ---- reducers: V value type; init(); push(v, x, j); combine(a, b); write(v, idx) ----

template <typename T, typename O> struct Sum {
    typedef typename Fold<T>::type V;
    O* out;
    double scale;  // 1 for sum, 1/r for mean
    __device__ V init() const { return 0; }
    __device__ V push(V v, V x, long long) const { return v + x; }
    __device__ V combine(V a, V b) const { return a + b; }
    __device__ void write(V v, long long i) const { weft_store(out + i, (typename Acc<O>::type)(v * scale)); }
};
template <typename T> struct SumInt {  // integer sums are exact, no scale
    typedef long long V;
    long long* out;
    __device__ V init() const { return 0; }
    __device__ V push(V v, V x, long long) const { return v + x; }
    __device__ V combine(V a, V b) const { return a + b; }
    __device__ void write(V v, long long i) const { out[i] = v; }
};

// Welford's running (count, mean, M2), merged by Chan et al.'s formula (weft.cuh).
typedef WeftMoments Moments;
template <typename T> struct Var {
    typedef Moments V;
    T* out;
    double correction;
    int take_sqrt;
    __device__ V init() const { V v; v.n = 0; v.mean = 0; v.m2 = 0; return v; }
    __device__ V push(V v, double x, long long) const {
        v.n += 1;
        double d = x - v.mean;
        v.mean += d / v.n;
        v.m2 += d * (x - v.mean);
        return v;
    }
    __device__ V combine(V a, V b) const { return weft_merge_moments(a, b); }
    __device__ void write(V v, long long i) const {
        double dof = v.n - correction;
        double var = v.m2 / (dof > 0 ? dof : 0.0);  // 0/0 = NaN, x/0 = inf, as PyTorch
        weft_store(out + i, (typename Acc<T>::type)(take_sqrt ? sqrt(var) : var));
    }
};

// Largest (or smallest) value; NaN wins over every number.
template <typename T> struct Extreme {
    typedef typename Fold<T>::type V;
    T* out;
    int largest;
    __device__ V init() const { return largest ? -weft_inf<double>() : weft_inf<double>(); }
    __device__ V push(V v, V x, long long) const { return combine(v, x); }
    __device__ V combine(V a, V b) const {
        if (weft_isnan(a)) return a;
        if (weft_isnan(b)) return b;
        return largest ? (b > a ? b : a) : (b < a ? b : a);
    }
    __device__ void write(V v, long long i) const { weft_store(out + i, (typename Acc<T>::type)v); }
};
template <> __device__ long long Extreme<long long>::init() const {
    return largest ? (long long)0x8000000000000000ULL : 0x7fffffffffffffffLL;
}
template <> __device__ long long Extreme<int>::init() const {
    return largest ? (long long)0x8000000000000000ULL : 0x7fffffffffffffffLL;
}

// Value and index of the first occurrence of the largest (or smallest) value, the first NaN
// if there is one. index -1 marks "nothing seen yet".
template <typename V0> struct ValIdx { V0 v; long long idx; };
template <typename T> struct ArgExtreme {
    typedef ValIdx<typename Fold<T>::type> V;
    T* values;          // may be null (argmax alone)
    long long* indices;
    int largest;
    __device__ V init() const { V r; r.v = 0; r.idx = -1; return r; }
    __device__ V push(V a, typename Fold<T>::type x, long long j) const { V b; b.v = x; b.idx = j; return combine(a, b); }
    // true if b should replace a
    __device__ bool better(V a, V b) const {
        if (b.idx < 0) return false;
        if (a.idx < 0) return true;
        bool an = weft_isnan(a.v), bn = weft_isnan(b.v);
        if (an || bn) return bn && (!an || b.idx < a.idx);
        if (a.v == b.v) return b.idx < a.idx;
        return largest ? b.v > a.v : b.v < a.v;
    }
    __device__ V combine(V a, V b) const { return better(a, b) ? b : a; }
    __device__ void write(V v, long long i) const {
        if (values) weft_store(values + i, (typename Acc<T>::type)v.v);
        indices[i] = v.idx;
    }
};

// log(sum(exp(x))) as a running (max m, sum s of exp(x - m)); NaN is carried in s.
struct MaxSum { double m, s; };
template <typename T> struct LogSumExp {
    typedef MaxSum V;
    T* out;
    __device__ V init() const { V v; v.m = -weft_inf<double>(); v.s = 0; return v; }
    __device__ V push(V v, double x, long long) const {
        V b;
        if (weft_isnan(x)) { b.m = v.m; b.s = x; }
        else { b.m = x; b.s = x == -weft_inf<double>() ? 0.0 : 1.0; }
        return combine(v, b);
    }
    __device__ V combine(V a, V b) const {
        V r;
        r.m = a.m > b.m ? a.m : b.m;
        // A term at the new maximum has factor 1 exactly (so inf - inf never happens).
        double fa = a.m == r.m ? 1.0 : exp(a.m - r.m);
        double fb = b.m == r.m ? 1.0 : exp(b.m - r.m);
        r.s = (a.s == 0 ? 0.0 : a.s * fa) + (b.s == 0 ? 0.0 : b.s * fb);
        if (weft_isnan(a.s) || weft_isnan(b.s)) r.s = weft_nan<double>();
        return r;
    }
    __device__ void write(V v, long long i) const {
        double r;
        if (weft_isnan(v.s)) r = v.s;
        else if (v.m == weft_inf<double>() || v.m == -weft_inf<double>()) r = v.m;  // empty or all -inf: -inf
        else r = v.m + log(v.s);
        weft_store(out + i, (typename Acc<T>::type)r);
    }
};

// (sum |x|^p)^(1/p); p = 0 counts nonzeros; p = +-inf is the largest/smallest |x|. One fold
// serves all: for infinite p it keeps an extreme, otherwise a sum of g(|x|).
template <typename T> struct Norm {
    typedef double V;
    T* out;
    double p;
    __device__ bool is_max() const { return p == weft_inf<double>(); }
    __device__ bool is_min() const { return p == -weft_inf<double>(); }
    __device__ V init() const { return is_max() ? 0.0 : is_min() ? weft_inf<double>() : 0.0; }
    __device__ V push(V v, double x, long long) const {
        double a = fabs(x);
        if (is_max() || is_min()) return combine(v, a);
        double g = p == 2.0 ? a * a : p == 1.0 ? a : p == 0.0 ? (a != 0.0 ? 1.0 : 0.0) : pow(a, p);
        if (weft_isnan(x)) g = x;
        return v + g;
    }
    __device__ V combine(V a, V b) const {
        if (is_max() || is_min()) {
            if (weft_isnan(a)) return a;
            if (weft_isnan(b)) return b;
            return is_max() ? (a > b ? a : b) : (a < b ? a : b);
        }
        return a + b;
    }
    __device__ void write(V v, long long i) const {
        double r = (is_max() || is_min() || p == 0.0 || p == 1.0) ? v : p == 2.0 ? sqrt(v) : pow(v, 1.0 / p);
        weft_store(out + i, (typename Acc<T>::type)r);
    }
};

// ---- the one kernel body all reductions share ----
template <typename T, typename R>
__device__ __forceinline__ void reduce(long long outer, long long r, long long inner, const T* x, const R& red) {
    typedef typename R::V V;
    if (inner == 1) {
        __shared__ V partial[BLOCK];
        for (long long row = blockIdx.x; row < outer; row += gridDim.x) {
            const T* p = x + row * r;
            V v = red.init();
            for (long long j = threadIdx.x; j < r; j += BLOCK) v = red.push(v, fold_load(p + j), j);
            partial[threadIdx.x] = v;
            __syncthreads();
            for (int s = BLOCK / 2; s > 0; s >>= 1) {
                // lower half takes the upper: the lower indices stay on the left of every combine
                if (threadIdx.x < s) partial[threadIdx.x] = red.combine(partial[threadIdx.x], partial[threadIdx.x + s]);
                __syncthreads();
            }
            if (threadIdx.x == 0) red.write(partial[0], row);
            __syncthreads();
        }
    } else {
        WEFT_GRID_STRIDE(c, outer * inner) {
            long long o = c / inner, k = c - o * inner;
            const T* p = x + o * r * inner + k;
            V v = red.init();
            for (long long j = 0; j < r; ++j) v = red.push(v, fold_load(p + j * inner), j);
            red.write(v, c);
        }
    }
}

}  // namespace weft_reduce

// ---- the exported kernels (names, parameters and launch rules: ABI.md) ----
#define WEFT_REDUCE_ARGS long long outer, long long r, long long inner

#define WEFT_REDUCE_FLOAT(S, T)                                                                \
    extern "C" __global__ void weft_reduce_sum_##S(WEFT_REDUCE_ARGS, const T* x, T* out) {     \
        weft_reduce::Sum<T, T> red = {out, 1.0};                                               \
        weft_reduce::reduce(outer, r, inner, x, red);                                          \
    }                                                                                          \
    extern "C" __global__ void weft_reduce_mean_##S(WEFT_REDUCE_ARGS, const T* x, T* out) {    \
        weft_reduce::Sum<T, T> red = {out, 1.0 / (double)r};                                   \
        weft_reduce::reduce(outer, r, inner, x, red);                                          \
    }                                                                                          \
    extern "C" __global__ void weft_reduce_var_##S(WEFT_REDUCE_ARGS, const T* x, T* out,       \
                                                   double correction, int take_sqrt) {         \
        weft_reduce::Var<T> red = {out, correction, take_sqrt};                                \
        weft_reduce::reduce(outer, r, inner, x, red);                                          \
    }                                                                                          \
    extern "C" __global__ void weft_reduce_logsumexp_##S(WEFT_REDUCE_ARGS, const T* x, T* out) { \
        weft_reduce::LogSumExp<T> red = {out};                                                 \
        weft_reduce::reduce(outer, r, inner, x, red);                                          \
    }                                                                                          \
    extern "C" __global__ void weft_reduce_norm_##S(WEFT_REDUCE_ARGS, const T* x, T* out, double p) { \
        weft_reduce::Norm<T> red = {out, p};                                                   \
        weft_reduce::reduce(outer, r, inner, x, red);                                          \
    }
#define WEFT_REDUCE_ORDERED(S, T)                                                              \
    extern "C" __global__ void weft_reduce_extreme_##S(WEFT_REDUCE_ARGS, const T* x, T* out, int largest) { \
        weft_reduce::Extreme<T> red = {out, largest};                                          \
        weft_reduce::reduce(outer, r, inner, x, red);                                          \
    }                                                                                          \
    extern "C" __global__ void weft_reduce_arg_extreme_##S(WEFT_REDUCE_ARGS, const T* x, T* values, \
                                                           long long* indices, int largest) {  \
        weft_reduce::ArgExtreme<T> red = {values, indices, largest};                           \
        weft_reduce::reduce(outer, r, inner, x, red);                                          \
    }
#define WEFT_REDUCE_INT(S, T)                                                                  \
    extern "C" __global__ void weft_reduce_sum_##S(WEFT_REDUCE_ARGS, const T* x, long long* out) { \
        weft_reduce::SumInt<T> red = {out};                                                    \
        weft_reduce::reduce(outer, r, inner, x, red);                                          \
    }

WEFT_REDUCE_FLOAT(f32, float)
WEFT_REDUCE_FLOAT(f64, double)
WEFT_REDUCE_FLOAT(bf16, bf16)
WEFT_REDUCE_ORDERED(f32, float)
WEFT_REDUCE_ORDERED(f64, double)
WEFT_REDUCE_ORDERED(bf16, bf16)
WEFT_REDUCE_ORDERED(i64, long long)
WEFT_REDUCE_ORDERED(i32, int)
WEFT_REDUCE_INT(i64, long long)
WEFT_REDUCE_INT(i32, int)
