package org.weft.tensor.random;

/**
 * Philox4x32-10, the counter-based random bijection of Salmon, Moraes, Dror and Shaw
 * ("Parallel random numbers: as easy as 1, 2, 3", SC 2011): a 128-bit counter and a 64-bit
 * key go in, 128 random-looking bits come out, and nothing else is remembered.
 *
 * <p>Because the output is a pure function of (counter, key), any block of a stream can be
 * computed on its own: a thread (or a GPU lane) that needs block {@code n} computes it
 * directly instead of stepping a state {@code n} times. That is what makes the numbers of a
 * parallel kernel independent of how the work is split.
 *
 * <p>A round multiplies two of the four words by fixed odd constants, splits each 64-bit
 * product into its high and low halves, and mixes the high halves with the other two words
 * and the round key; the key is bumped by two Weyl constants between rounds. Ten rounds is
 * the published choice that passes BigCrush with a safety margin.
 */
public final class Philox {

    /** The round multipliers of Philox4x32, from the paper. */
    static final long M0 = 0xD2511F53L;
    static final long M1 = 0xCD9E8D57L;
    /** The key increments (the golden ratio and sqrt(3) - 1, as 32-bit fractions). */
    static final int W0 = 0x9E3779B9;
    static final int W1 = 0xBB67AE85;
    static final int ROUNDS = 10;

    private Philox() {
    }

    /**
     * Writes the four output words of counter {@code (c0, c1, c2, c3)} under key
     * {@code (k0, k1)} into {@code out[0..3]}; word 0 is the least significant in both.
     */
    public static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
        int x0 = c0;
        int x1 = c1;
        int x2 = c2;
        int x3 = c3;
        for (int round = 0; round < ROUNDS; round++) {
            if (round > 0) {
                k0 += W0;
                k1 += W1;
            }
            long p0 = M0 * (x0 & 0xFFFFFFFFL);
            long p1 = M1 * (x2 & 0xFFFFFFFFL);
            int y0 = (int) (p1 >>> 32) ^ x1 ^ k0;
            int y2 = (int) (p0 >>> 32) ^ x3 ^ k1;
            x1 = (int) p1;
            x3 = (int) p0;
            x0 = y0;
            x2 = y2;
        }
        out[0] = x0;
        out[1] = x1;
        out[2] = x2;
        out[3] = x3;
    }

    /**
     * The block Weft's generators use: the 64-bit {@code counter} in words 0 and 1 (low half
     * first), {@code lane} in word 2, zero in word 3, and the 64-bit {@code seed} as the key
     * (low half in k0). Ordinary draws use lane 0; the other lanes give fresh blocks for
     * rejection sampling without touching any other element's counter.
     */
    public static void block(long seed, long counter, int lane, int[] out) {
        block((int) counter, (int) (counter >>> 32), lane, 0, (int) seed, (int) (seed >>> 32), out);
    }
}
