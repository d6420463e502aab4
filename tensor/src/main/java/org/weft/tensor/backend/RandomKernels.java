package org.weft.tensor.backend;

import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/**
 * Random numbers from the counter-based generator, specified bit for bit so that every
 * backend produces the same numbers from the same {@code (seed, offset)}.
 *
 * <h2>Counters and words</h2>
 * An op that reserved counters {@code offset, offset+1, ...} from a
 * {@link org.weft.tensor.random.Generator} reads the word stream
 * {@code w[4n + j] = Philox.block(seed, offset + n, lane 0)[j]} ({@code j = 0..3}; see
 * {@link org.weft.tensor.random.Philox#block(long, long, int, int[])}). Element {@code i}
 * is element {@code i} of the output in row-major order; it depends on {@code (seed, offset, i)}
 * only, so a GPU thread can compute it without the others. Words of the op's last counter
 * that no element needs are discarded: the next op starts on a fresh counter.
 *
 * <h2>From words to numbers</h2>
 * <ul>
 * <li>{@code U24(a) = (a >>> 8) * 2^-24}: the top 24 bits of one word, a float in
 *     {@code [0, 1 - 2^-24]} (every value exact in F32).
 * <li>{@code U53(a, b) = ((a << 32 | b) >>> 11) * 2^-53}, {@code a} and {@code b} unsigned:
 *     the top 53 bits of the 64-bit number whose high word is {@code a}, a double in
 *     {@code [0, 1 - 2^-53]}.
 * </ul>
 * Arithmetic below is IEEE double with each operation rounded on its own (no fused
 * multiply-add), and the result is rounded once to the output dtype.
 *
 * <h2>The ops</h2>
 * <ul>
 * <li>{@link #uniform}: F32 element {@code i} is {@code u = U24(w[i])}, F64 element {@code i}
 *     is {@code u = U53(w[2i], w[2i+1])}; the value is {@code low + (high - low) * u}.
 *     Counters: {@code ceil(n/4)} for F32, {@code ceil(n/2)} for F64.
 * <li>{@link #normal}: Box-Muller on pairs. Pair {@code j} makes elements {@code 2j} and
 *     {@code 2j+1} (the second is dropped when {@code n} is odd) from {@code u, v}: for F32
 *     {@code u = U24(w[2j]), v = U24(w[2j+1])}, for F64 {@code u = U53(w[4j], w[4j+1]),
 *     v = U53(w[4j+2], w[4j+3])}. With {@code r = sqrt(-2 log(1 - u))} and
 *     {@code t = 2 pi v} (pi the double nearest it), {@code z0 = r cos t, z1 = r sin t},
 *     and the elements are {@code mean + std * z}. Counters: {@code ceil(n/4)} for F32,
 *     {@code ceil(n/2)} for F64. The CPU backend evaluates log, sqrt, cos and sin with
 *     {@link StrictMath} (fdlibm); another implementation matches it bit for bit where its
 *     functions return the same doubles, and to within an ulp or two of F64 otherwise.
 * <li>{@link #randint}: element {@code i} owns counter {@code offset + i}. Its candidate
 *     {@code k = 0, 1, ...} is {@code x = a << 32 | b} with {@code a, b} words 0 and 1 of
 *     {@code Philox.block(seed, offset + i, lane k)}. With {@code R = high - low} (unsigned,
 *     1 to 2^64 - 1) and the 128-bit product {@code m = x * R}, the candidate is accepted when
 *     its low 64 bits are at least {@code 2^64 mod R} (Lemire's method, exactly unbiased)
 *     and the element is {@code low + (m >>> 64)}. Lanes above 0 never meet another op's
 *     counters, so rejections move no other element. Counters: {@code n}.
 * <li>{@link #bernoulli}: element {@code i} is 1 when {@code U53(w[2i], w[2i+1]) < p_i} and
 *     0 otherwise (so p = 0 never and p = 1 always gives 1). Counters: {@code ceil(n/2)}.
 * </ul>
 *
 * <p>Outputs are contiguous (any storage offset) and already allocated with the right
 * dtype: F32 or F64 for uniform, normal and bernoulli, I64 for randint.
 */
public interface RandomKernels {

    void uniform(NDArray out, long seed, long offset, double low, double high);

    void normal(NDArray out, long seed, long offset, double mean, double std);

    /** Integers in {@code [low, low + range)}, {@code range} read as unsigned and not zero. */
    void randint(NDArray out, long seed, long offset, long low, long range);

    /** {@code probs}: contiguous F64 of {@code out}'s shape. */
    void bernoulli(NDArray probs, NDArray out, long seed, long offset);

    /** Every element with the same probability {@code p}. */
    void bernoulli(double p, NDArray out, long seed, long offset);

    /** Counters {@link #uniform} reads for {@code n} elements of {@code dtype}. */
    static long uniformCounters(DType dtype, long n) {
        return dtype == DType.F64 ? (n + 1) / 2 : (n + 3) / 4;
    }

    /** Counters {@link #normal} reads for {@code n} elements of {@code dtype}. */
    static long normalCounters(DType dtype, long n) {
        return dtype == DType.F64 ? (n + 1) / 2 : (n + 3) / 4;
    }

    static long randintCounters(long n) {
        return n;
    }

    static long bernoulliCounters(long n) {
        return (n + 1) / 2;
    }
}
