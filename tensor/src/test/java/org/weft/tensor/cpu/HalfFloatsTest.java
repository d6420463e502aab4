package org.weft.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The 16-bit float conversions against a slow reference in exact integer arithmetic: every
 * value involved (floats, both 16-bit formats, the midpoints between them) is a whole number
 * of units of 2^-160, so the reference holds values as BigIntegers in those units. Every bit
 * pattern must decode to the value its fields define, and a float must round to the nearest
 * 16-bit value (ties to the even pattern, overflowing to infinity from the largest finite
 * value plus half an ulp), checked on every rounding boundary and millions of random floats.
 */
class HalfFloatsTest {

    /** Values are held as multiples of 2^-UNITS; the smallest float, 2^-149, is 2^11 units. */
    private static final int UNITS = 160;

    /** The exact value of a finite float in units of 2^-160 (IEEE binary32: bias 127, 23 mantissa bits). */
    private static BigInteger exactValue(float x) {
        int bits = Float.floatToRawIntBits(Math.abs(x));
        int e = bits >>> 23;
        int m = bits & 0x7FFFFF;
        long significand = e == 0 ? m : (1L << 23) + m;
        return BigInteger.valueOf(significand).shiftLeft((e == 0 ? 1 : e) - 150 + UNITS);
    }

    /** The float whose value is {@code units} (exactly representable by construction). */
    private static float toFloat(BigInteger units) {
        return (float) Math.scalb(units.doubleValue(), -UNITS);
    }

    /** One of the two formats, described by its field widths only. */
    private enum Format {
        F16(5, 10), BF16(8, 7);

        final int exponentBits;
        final int mantissaBits;
        final int bias;
        final int infinity;
        final int quietBit;

        Format(int exponentBits, int mantissaBits) {
            this.exponentBits = exponentBits;
            this.mantissaBits = mantissaBits;
            this.bias = (1 << (exponentBits - 1)) - 1;
            this.infinity = ((1 << exponentBits) - 1) << mantissaBits;
            this.quietBit = 1 << (mantissaBits - 1);
        }

        float decode(int bits) {
            return this == F16 ? HalfFloats.f16ToFloat((short) bits) : HalfFloats.bf16ToFloat((short) bits);
        }

        int encode(float f) {
            return (this == F16 ? HalfFloats.floatToF16(f) : HalfFloats.floatToBf16(f)) & 0xFFFF;
        }

        boolean isNaN(int bits) {
            return (bits & 0x7FFF) > infinity;
        }

        /**
         * The value of a non-negative finite pattern in units of 2^-160, from its fields:
         * {@code m * 2^(1 - bias - mb)} when the exponent field is 0, else {@code (2^mb + m) * 2^(e - bias - mb)}.
         */
        BigInteger exactValue(int bits) {
            int e = bits >>> mantissaBits;
            int m = bits & ((1 << mantissaBits) - 1);
            long significand = e == 0 ? m : (1L << mantissaBits) + m;
            int exponent = (e == 0 ? 1 : e) - bias - mantissaBits;
            return BigInteger.valueOf(significand).shiftLeft(exponent + UNITS);
        }
    }

    /**
     * The non-negative finite values of a format in increasing order, then 2^(emax+1) standing
     * for infinity: a float past the largest finite value rounds to it exactly as IEEE says
     * (its pattern, the infinity, is even, so the halfway case goes to infinity too).
     */
    private static final class Table {
        final BigInteger[] values;
        final int[] patterns;

        Table(Format f) {
            int n = (f.infinity) + 1;
            values = new BigInteger[n];
            patterns = new int[n];
            for (int bits = 0; bits < f.infinity; bits++) {
                values[bits] = f.exactValue(bits);
                patterns[bits] = bits;
            }
            int emax = (1 << f.exponentBits) - 2 - f.bias;
            values[f.infinity] = BigInteger.ONE.shiftLeft(emax + 1 + UNITS);
            patterns[f.infinity] = f.infinity;
        }

        /** The reference rounding of a non-NaN float. */
        int round(float x) {
            int sign = Float.floatToRawIntBits(x) < 0 ? 0x8000 : 0;
            if (Float.isInfinite(x)) {
                return sign | patterns[patterns.length - 1];
            }
            BigInteger a = exactValue(x);
            int lo = 0;
            int hi = values.length - 1;
            if (a.compareTo(values[hi]) >= 0) {
                return sign | patterns[hi];
            }
            while (hi - lo > 1) { // invariant: values[lo] <= a < values[hi]
                int mid = (lo + hi) >>> 1;
                if (values[mid].compareTo(a) <= 0) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            int c = a.subtract(values[lo]).compareTo(values[hi].subtract(a));
            int chosen = c < 0 ? lo : c > 0 ? hi : ((patterns[lo] & 1) == 0 ? lo : hi);
            return sign | patterns[chosen];
        }
    }

    // ------------------------------------------------------------ 16 bits to float

    @Test
    void everyPatternDecodesToTheValueOfItsFields() {
        for (Format f : Format.values()) {
            for (int bits = 0; bits < 65536; bits++) {
                float got = f.decode(bits);
                int magnitude = bits & 0x7FFF;
                boolean negative = (bits & 0x8000) != 0;
                if (f.isNaN(bits)) {
                    assertTrue(Float.isNaN(got), f + " " + Integer.toHexString(bits) + " must be NaN");
                    continue;
                }
                float expected = magnitude == f.infinity ? Float.POSITIVE_INFINITY
                        : toFloat(f.exactValue(magnitude));
                if (negative) {
                    expected = -expected;
                }
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(got),
                        f + " pattern " + Integer.toHexString(bits));
            }
        }
    }

    @Test
    void everyPatternRoundTripsThroughFloat() {
        for (Format f : Format.values()) {
            for (int bits = 0; bits < 65536; bits++) {
                int back = f.encode(f.decode(bits));
                // A NaN comes back quiet with its sign and payload, as IEEE conversions keep them.
                int expected = f.isNaN(bits) ? bits | f.quietBit : bits;
                assertEquals(expected, back, f + " pattern " + Integer.toHexString(bits));
            }
        }
    }

    // ------------------------------------------------------------ float to 16 bits

    /** Checks one float against the reference; NaN must stay NaN with its sign. */
    private static void check(Format f, Table t, float x) {
        int got = f.encode(x);
        if (Float.isNaN(x)) {
            assertTrue(f.isNaN(got), f + ": NaN " + Integer.toHexString(Float.floatToRawIntBits(x)) + " gave "
                    + Integer.toHexString(got));
            assertEquals(Float.floatToRawIntBits(x) < 0, (got & 0x8000) != 0, "NaN sign");
            return;
        }
        int expected = t.round(x);
        if (got != expected) {
            throw new AssertionError(f + ": " + x + " (0x" + Integer.toHexString(Float.floatToRawIntBits(x))
                    + ") rounds to 0x" + Integer.toHexString(expected) + " but gave 0x" + Integer.toHexString(got));
        }
    }

    @Test
    void specialValuesRound() {
        for (Format f : Format.values()) {
            Table t = new Table(f);
            List<Float> specials = new ArrayList<>(List.of(0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                    Float.NaN, Float.intBitsToFloat(0x7F800001), Float.intBitsToFloat(0xFF800001),
                    Float.intBitsToFloat(0x7FC00000), Float.intBitsToFloat(0x7FFFFFFF),
                    Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE));
            float max = toFloat(t.values[f.infinity - 1]);
            float minSubnormal = toFloat(t.values[1]);
            for (float v : new float[] {max, minSubnormal, minSubnormal / 2, toFloat(t.values[f.infinity])}) {
                specials.add(v);
                specials.add(Math.nextUp(v));
                specials.add(Math.nextDown(v));
            }
            // max + half an ulp: the first value that becomes infinity.
            float overflow = toFloat(t.values[f.infinity - 1].add(t.values[f.infinity]).shiftRight(1));
            specials.add(overflow);
            specials.add(Math.nextDown(overflow));
            for (float x : specials) {
                check(f, t, x);
                check(f, t, -x);
            }
            // The expectations the reference implies, spelled out for the reader.
            assertEquals(f.infinity, f.encode(overflow));
            assertEquals(f.infinity - 1, f.encode(Math.nextDown(overflow)));
            assertEquals(0x8000, f.encode(-0f));
            assertEquals(0, f.encode(minSubnormal / 2), "halfway to the smallest subnormal ties to zero");
            assertEquals(1, f.encode(Math.nextUp(minSubnormal / 2)));
        }
    }

    @Test
    void everyRoundingBoundaryRounds() {
        // Each 16-bit value, the midpoints to its neighbours (where ties to even decide), and the
        // floats one ulp either side of both: about 400 000 floats per format, both signs.
        for (Format f : Format.values()) {
            Table t = new Table(f);
            for (int k = 0; k < f.infinity; k++) {
                float h = toFloat(t.values[k]);
                float mid = toFloat(t.values[k].add(t.values[k + 1]).shiftRight(1));
                for (float x : new float[] {h, Math.nextUp(h), Math.nextDown(h), mid, Math.nextUp(mid),
                        Math.nextDown(mid)}) {
                    check(f, t, x);
                    check(f, t, -x);
                }
            }
        }
    }

    @Test
    void millionsOfRandomFloatsRound() {
        // Uniform random bit patterns cover every exponent, subnormals and NaNs included.
        Random random = new Random(20240601);
        for (Format f : Format.values()) {
            Table t = new Table(f);
            for (int i = 0; i < 1_500_000; i++) {
                check(f, t, Float.intBitsToFloat(random.nextInt()));
            }
            // And floats within the 16-bit range, where most real values are.
            for (int i = 0; i < 500_000; i++) {
                float x = (float) (random.nextGaussian() * Math.pow(2, random.nextInt(40) - 20));
                check(f, t, x);
            }
        }
    }
}
