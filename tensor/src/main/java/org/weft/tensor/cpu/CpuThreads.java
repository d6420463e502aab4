package org.weft.tensor.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * The one thread pool of the CPU backend, sized by {@code WEFT_NUM_THREADS} or the available
 * processors, and the parallel loop every kernel uses.
 *
 * <p>One pool for the whole process means an op never creates threads and two nested parallel
 * loops never oversubscribe the cores: a loop started from inside a pool worker runs serially.
 */
public final class CpuThreads {

    private static final int THREADS = configuredThreads();
    private static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS) : null;

    private CpuThreads() {
    }

    /** How many threads the CPU kernels use. */
    public static int count() {
        return THREADS;
    }

    /** A body of a parallel loop: handles the half-open range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #count()} contiguous
     * chunks. {@code grain} is the smallest chunk worth a thread: below {@code 2 * grain}
     * elements the loop runs on the calling thread.
     */
    public static void parallelFor(int n, int grain, RangeBody body) {
        int chunks = POOL == null ? 1 : Math.min(THREADS, n / Math.max(1, grain));
        if (chunks <= 1 || ForkJoinTask.getPool() == POOL) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        POOL.invoke(new Split(body, n, chunks, 0, chunks));
    }

    /** Splits chunk indices {@code [lo, hi)} in halves until one chunk is left. */
    private static final class Split extends RecursiveAction {
        private final RangeBody body;
        private final int n;
        private final int chunks;
        private final int lo;
        private final int hi;

        Split(RangeBody body, int n, int chunks, int lo, int hi) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        protected void compute() {
            if (hi - lo == 1) {
                int from = (int) ((long) n * lo / chunks);
                int to = (int) ((long) n * hi / chunks);
                body.run(from, to);
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Split(body, n, chunks, lo, mid), new Split(body, n, chunks, mid, hi));
        }
    }

    private static int configuredThreads() {
        String env = System.getenv("WEFT_NUM_THREADS");
        if (env != null && !env.isBlank()) {
            try {
                int n = Integer.parseInt(env.trim());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the error below
            }
            throw new IllegalStateException(
                    "WEFT_NUM_THREADS must be a positive integer, got '" + env + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }
}
