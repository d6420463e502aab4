package org.weft.recipes.data;

import java.lang.ref.Cleaner;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The batches of one epoch of a {@link DataLoader}, handed out in order. With workers, its {@link Workers} make
 * batches ahead in their own threads; without, {@link #next} makes each batch when asked.
 */
final class EpochIterator implements Iterator<Batch>, AutoCloseable {

    /** One daemon thread for the whole process that stops the workers of iterators nobody holds any more. */
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "weft-data-cleaner");
        t.setDaemon(true);
        return t;
    });

    private final DataLoader loader;
    private final int epoch;
    private final List<int[]> batches;
    private final int[][] occurrences;
    private final Workers workers;
    private int next;

    EpochIterator(DataLoader loader, int epoch, List<int[]> batches, int[][] occurrences, int fromBatch) {
        this.loader = loader;
        this.epoch = epoch;
        this.batches = batches;
        this.occurrences = occurrences;
        this.next = fromBatch;
        this.workers = new Workers(loader, epoch, batches, occurrences, fromBatch);
        if (loader.workers() > 0 && fromBatch < batches.size()) {
            Workers w = workers; // the cleaning action must not capture this iterator, or it would never be unreachable
            w.start(loader.workers());
            CLEANER.register(this, () -> w.stop(false));
        }
    }

    Workers workers() {
        return workers;
    }

    @Override
    public boolean hasNext() {
        return next < batches.size() && !workers.failed;
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("DataLoader: epoch " + epoch + " has no batch after " + next
                    + (workers.failed ? " (an earlier batch failed)" : ""));
        }
        if (workers.stopped) {
            throw workers.stoppedError();
        }
        int b = next++;
        Object made = workers.threads == null ? loader.makeBatch(epoch, batches.get(b), occurrences[b]) : workers.take(b);
        if (made instanceof DataLoader.Failure f) {
            workers.failed = true;
            workers.stop(false);
            if (f.index() >= 0) {
                throw new DataLoaderException(f.index(), epoch, f.cause());
            }
            throw new IllegalArgumentException("DataLoader: batch " + b + " of epoch " + epoch + ": "
                    + f.cause().getMessage(), f.cause());
        }
        return (Batch) made;
    }

    /** Stops the workers and waits briefly for their threads to end. */
    @Override
    public void close() {
        workers.stop(true);
    }

    /**
     * The state the worker threads share with the consumer. It holds no reference to the iterator, so an iterator
     * that is dropped can be collected and its workers stopped by the cleaner.
     */
    static final class Workers {

        private final DataLoader loader;
        private final int epoch;
        private final List<int[]> batches;
        private final int[][] occurrences;
        private final int from;
        /** Made batches (a Batch or a Failure) by batch number − from, until the consumer takes them. */
        private final Object[] made;
        /** One permit per batch that may be made ahead: taken by a worker before it starts a batch, given back when
         * the consumer takes that batch, so made-but-unconsumed plus in-progress batches never exceed prefetch. */
        private final Semaphore permits;
        private int nextToMake;
        volatile boolean stopped;
        volatile boolean failed;
        Thread[] threads;

        Workers(DataLoader loader, int epoch, List<int[]> batches, int[][] occurrences, int from) {
            this.loader = loader;
            this.epoch = epoch;
            this.batches = batches;
            this.occurrences = occurrences;
            this.from = from;
            this.made = new Object[batches.size() - from];
            this.permits = new Semaphore(loader.prefetch());
            this.nextToMake = from;
        }

        void start(int count) {
            threads = new Thread[count];
            for (int w = 0; w < count; w++) {
                Thread t = new Thread(this::work, "weft-data-worker-e" + epoch + "-" + w);
                t.setDaemon(true);
                threads[w] = t;
            }
            for (Thread t : threads) {
                t.start();
            }
        }

        private void work() {
            while (!stopped) {
                try {
                    permits.acquire();
                } catch (InterruptedException e) {
                    return;
                }
                int b;
                synchronized (this) {
                    if (stopped || nextToMake >= batches.size()) {
                        permits.release();
                        return;
                    }
                    b = nextToMake++;
                }
                Object result = loader.makeBatch(epoch, batches.get(b), occurrences[b]);
                synchronized (this) {
                    made[b - from] = result;
                    notifyAll();
                }
            }
        }

        /** Waits for batch {@code b}, hands it over and lets a worker start another. */
        synchronized Object take(int b) {
            Object result;
            while ((result = made[b - from]) == null) {
                if (stopped) {
                    throw stoppedError();
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stop(false);
                    throw new IllegalStateException("DataLoader: interrupted while waiting for batch " + b
                            + " of epoch " + epoch, e);
                }
            }
            made[b - from] = null;
            permits.release();
            return result;
        }

        IllegalStateException stoppedError() {
            return new IllegalStateException("DataLoader: the iterator of epoch " + epoch
                    + " was stopped (another epoch of its loader started, or it or its loader was closed)");
        }

        /** Stops the threads; with {@code join}, waits up to 10 s for them to end (a dataset read may be slow). */
        void stop(boolean join) {
            synchronized (this) {
                stopped = true;
                notifyAll();
            }
            if (threads == null) {
                return;
            }
            for (Thread t : threads) {
                t.interrupt();
            }
            if (join) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                for (Thread t : threads) {
                    long left = deadline - System.nanoTime();
                    if (left > 0) {
                        try {
                            t.join(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            }
        }
    }
}
