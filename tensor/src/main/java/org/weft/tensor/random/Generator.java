package org.weft.tensor.random;

/**
 * A source of random numbers: a seed (the Philox key) and an offset (the next unused Philox
 * counter). Every random op reserves the counters it needs, advancing the offset, and fills
 * its result from those counters alone, so the numbers depend only on (seed, offset) and
 * never on threads, devices or how a kernel splits its work.
 *
 * <p>How an op maps counters to elements is specified once, in
 * {@link org.weft.tensor.backend.RandomKernels}, so another backend can reproduce the CPU
 * backend's numbers. Saving {@link #getState()} with a training checkpoint and restoring it
 * with {@link #setState} resumes the exact same stream.
 *
 * <p>The methods are synchronized: two threads drawing from one generator get disjoint
 * counters, though which gets which depends on timing.
 */
public final class Generator {

    /** The seed of a generator nobody seeded: fixed, so runs are reproducible by default (PyTorch's value). */
    public static final long DEFAULT_SEED = 67280421310721L;

    private static final Generator GLOBAL = new Generator();

    /** A generator's full state: restoring it replays the same numbers. */
    public record State(long seed, long offset) {
    }

    private long seed;
    private long offset;

    /** A generator with {@link #DEFAULT_SEED}. */
    public Generator() {
        this(DEFAULT_SEED);
    }

    public Generator(long seed) {
        this.seed = seed;
    }

    /** The generator random ops use when none is given. */
    public static Generator global() {
        return GLOBAL;
    }

    /** Restarts the stream of {@code seed}: sets the seed and rewinds the offset to 0. */
    public synchronized Generator manualSeed(long seed) {
        this.seed = seed;
        this.offset = 0;
        return this;
    }

    public synchronized long seed() {
        return seed;
    }

    /** The next unused counter. */
    public synchronized long offset() {
        return offset;
    }

    public synchronized State getState() {
        return new State(seed, offset);
    }

    public synchronized Generator setState(State state) {
        this.seed = state.seed();
        this.offset = state.offset();
        return this;
    }

    /**
     * Hands out {@code counters} consecutive counters: returns the seed with the first of
     * them, and the next call starts after them. For ops, which reserve exactly what their
     * kernel reads. The offset is an unsigned 64-bit counter; it wraps after 2^64 counters.
     */
    public synchronized State reserve(long counters) {
        if (counters < 0) {
            throw new IllegalArgumentException("reserve: counters must be non-negative, got " + counters);
        }
        State first = new State(seed, offset);
        offset += counters;
        return first;
    }

    @Override
    public synchronized String toString() {
        return "Generator(seed=" + seed + ", offset=" + offset + ")";
    }
}
