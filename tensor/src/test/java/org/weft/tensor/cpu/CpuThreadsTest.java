package org.weft.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The parallel loop covers every index exactly once, nests without deadlock and reports failures. */
class CpuThreadsTest {

    @Test
    void everyIndexIsVisitedOnce() {
        for (int n : new int[] {0, 1, 2, 3, 7, 1000, 12345}) {
            int[] hits = new int[n];
            CpuThreads.parallelFor(n, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    hits[i]++;
                }
            });
            for (int i = 0; i < n; i++) {
                assertEquals(1, hits[i], "index " + i + " of " + n);
            }
        }
    }

    @Test
    void nestedLoopsComplete() {
        AtomicInteger total = new AtomicInteger();
        CpuThreads.parallelFor(8, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                CpuThreads.parallelFor(100, 1, (a, b) -> total.addAndGet(b - a));
            }
        });
        assertEquals(800, total.get());
    }

    @Test
    void aFailingChunkIsRethrownAfterEveryChunkFinished() {
        AtomicInteger finished = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                CpuThreads.parallelFor(CpuThreads.count() * 4, 1, (from, to) -> {
                    if (from == 0) {
                        throw new IllegalStateException("chunk 0 fails");
                    }
                    finished.incrementAndGet();
                }));
        assertTrue(e.getMessage().contains("chunk 0"));
        assertEquals(CpuThreads.count() - 1, finished.get());
    }
}
