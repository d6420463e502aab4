package org.weft.tensor.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * The threads of the CPU backend, sized by {@code WEFT_NUM_THREADS} or the available
 * processors, and the parallel loop every kernel uses.
 *
 * <p>The calling thread always runs the first chunk itself and a pool of {@code count() - 1}
 * workers runs the others, so a loop on n threads occupies exactly n cores and the caller
 * never idles while workers wake. One pool for the whole process means an op never creates
 * threads, and a loop started from inside a worker runs serially, so nested parallel loops
 * never oversubscribe the cores.
 */
public final class CpuThreads {

    private static final int THREADS = configuredThreads();
    private static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS - 1) : null;
    /** Set while the calling thread runs its own chunk, so loops nested in it run serially too. */
    private static final ThreadLocal<boolean[]> IN_LOOP = ThreadLocal.withInitial(() -> new boolean[1]);

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
        boolean[] inLoop = IN_LOOP.get();
        if (chunks <= 1 || inLoop[0] || ForkJoinTask.getPool() == POOL) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        ForkJoinTask<?>[] others = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int from = bound(n, c, chunks);
            int to = bound(n, c + 1, chunks);
            others[c - 1] = POOL.submit(() -> body.run(from, to));
        }
        Throwable failure = null;
        inLoop[0] = true;
        try {
            body.run(0, bound(n, 1, chunks));
        } catch (RuntimeException | Error e) {
            failure = e;
        } finally {
            inLoop[0] = false;
        }
        // Wait for every chunk even after a failure, so no worker still writes into the
        // caller's arrays when this method returns or throws.
        for (ForkJoinTask<?> task : others) {
            try {
                task.join();
            } catch (RuntimeException | Error e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /** The start of chunk {@code c} of {@code chunks} over {@code [0, n)}. */
    private static int bound(int n, int c, int chunks) {
        return (int) ((long) n * c / chunks);
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
