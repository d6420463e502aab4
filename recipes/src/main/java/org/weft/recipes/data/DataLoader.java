package org.weft.recipes.data;

import java.util.Iterator;
import java.util.List;

/**
 * Turns a {@link Dataset} into batches, epoch by epoch: a {@link BatchSampler} decides which examples form each
 * batch, worker threads decode ({@link Dataset#get}) and {@link Transform transform} the examples of upcoming
 * batches while the consumer trains on the current one, and {@link Collate} stacks them into a {@link Batch}.
 *
 * <p>Everything random is a function of (seed, epoch, position), never of threads or timing: the batch sampler
 * is seeded by (seed, epoch), and each example's transform draws from a generator seeded by (seed, epoch, dataset
 * index, occurrence), where occurrence counts earlier appearances of that index in the epoch (0 unless a sampler
 * draws with replacement; it keeps a repeated example from getting the very same augmentation). So
 * {@code epoch(e, from)} gives the same batches for 0, 1 or 8 workers, and a run resumed at batch {@code from}
 * sees exactly the tail of the uninterrupted epoch.
 *
 * <p>The dataset's {@code get} and the transform are called from several worker threads at once, so both must be
 * safe for that (the transforms of {@code org.weft.recipes.data.transforms} keep no state between calls).
 *
 * <p>Threads: each call to {@link #epoch} starts its own {@code workers} daemon threads, which end when the
 * epoch's batches are all made. At most {@code prefetch} batches are being made or waiting for the consumer at any
 * time, which bounds memory. Starting another epoch of the same loader, {@link #close()}, an exception, or the
 * iterator becoming unreachable stops the previous iterator's threads.
 *
 * <p>Batches are ordinary heap arrays. A GPU backend would want them in pinned (page-locked) host memory for fast
 * asynchronous copies; Weft has no GPU backend yet, so there is nothing to pin and the loader does not pretend to.
 */
public final class DataLoader implements AutoCloseable {

    private final Dataset dataset;
    private final Transform transform;
    private final BatchSampler batchSampler;
    private final long seed;
    private final int workers;
    private final int prefetch;
    private int batchesPerEpoch = -1;
    /** The workers of the newest epoch iterator, stopped when another epoch starts or the loader closes. */
    private EpochIterator.Workers current;
    private boolean closed;

    private DataLoader(Builder b, BatchSampler batchSampler) {
        this.dataset = b.dataset;
        this.transform = b.transform;
        this.batchSampler = batchSampler;
        this.seed = b.seed;
        this.workers = b.workers;
        this.prefetch = b.prefetch;
    }

    public static Builder builder(Dataset dataset) {
        if (dataset == null) {
            throw new IllegalArgumentException("DataLoader: dataset is null");
        }
        return new Builder(dataset);
    }

    public Dataset dataset() {
        return dataset;
    }

    /** The number of batches of an epoch (those of epoch 0; the samplers here give the same number every epoch). */
    public synchronized int batchesPerEpoch() {
        if (batchesPerEpoch < 0) {
            batchesPerEpoch = batchSampler.batches(0).size();
        }
        return batchesPerEpoch;
    }

    /** Worker threads per epoch iterator (0: the consumer's thread decodes). */
    public int workers() {
        return workers;
    }

    /**
     * The batches of epoch {@code epoch} (0-based), from batch {@code fromBatch} on. Stops the threads of this
     * loader's previous epoch iterator, if any is still running.
     */
    public synchronized Iterator<Batch> epoch(int epoch, int fromBatch) {
        if (closed) {
            throw new IllegalStateException("DataLoader: epoch(" + epoch + ", " + fromBatch + ") called after close()");
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("DataLoader: epoch must be >= 0, got " + epoch);
        }
        List<int[]> batches = batchSampler.batches(epoch);
        if (fromBatch < 0 || fromBatch > batches.size()) {
            throw new IllegalArgumentException("DataLoader: fromBatch must be in [0, " + batches.size()
                    + "] for an epoch of " + batches.size() + " batches, got " + fromBatch);
        }
        if (current != null) {
            current.stop(false);
        }
        EpochIterator it = new EpochIterator(this, epoch, batches, occurrences(batches), fromBatch);
        current = it.workers();
        return it;
    }

    /** Stops the threads of the running epoch iterator and waits briefly for them to end. */
    @Override
    public synchronized void close() {
        closed = true;
        if (current != null) {
            current.stop(true);
            current = null;
        }
    }

    /** For each position of each batch, how many times its index appeared earlier in the epoch. */
    private int[][] occurrences(List<int[]> batches) {
        int n = dataset.size();
        int[] seen = new int[n];
        int[][] occurrence = new int[batches.size()][];
        for (int b = 0; b < batches.size(); b++) {
            int[] batch = batches.get(b);
            if (batch.length == 0) {
                throw new IllegalArgumentException("DataLoader: the batch sampler gave an empty batch " + b);
            }
            occurrence[b] = new int[batch.length];
            for (int p = 0; p < batch.length; p++) {
                int index = batch[p];
                if (index < 0 || index >= n) {
                    throw new IllegalArgumentException("DataLoader: the batch sampler gave index " + index
                            + " (batch " + b + ") for a dataset of " + n + " examples");
                }
                occurrence[b][p] = seen[index]++;
            }
        }
        return occurrence;
    }

    /**
     * Decodes, transforms and collates one batch; runs on a worker thread (or the consumer's with no workers).
     * A failing example is reported as a {@link Failure} naming its index rather than thrown across threads.
     */
    Object makeBatch(int epoch, int[] indices, int[] occurrence) {
        Sample[] samples = new Sample[indices.length];
        for (int p = 0; p < indices.length; p++) {
            int index = indices[p];
            try {
                Sample s = dataset.get(index);
                if (transform != null) {
                    s = s.withImage(transform.apply(s.image(),
                            Seeds.random(seed, Seeds.TRANSFORM, epoch, index, occurrence[p])));
                }
                samples[p] = s;
            } catch (RuntimeException | Error e) {
                return new Failure(index, e);
            }
        }
        try {
            return Collate.collate(samples, indices);
        } catch (RuntimeException e) {
            return new Failure(-1, e);
        }
    }

    /** What went wrong in making a batch: the dataset index of the failing example (-1: collation), the cause. */
    record Failure(int index, Throwable cause) {
    }

    int prefetch() {
        return prefetch;
    }

    /** Options of a {@link DataLoader}, named as PyTorch's {@code DataLoader} arguments. */
    public static final class Builder {

        private final Dataset dataset;
        private Transform transform;
        private BatchSampler batchSampler;
        private Sampler sampler;
        private Integer batchSize;
        private Boolean shuffle;
        private Boolean dropLast;
        private long seed;
        private int workers = Math.min(Runtime.getRuntime().availableProcessors(), 4);
        private Integer prefetchOption;
        private int prefetch;

        private Builder(Dataset dataset) {
            this.dataset = dataset;
        }

        /** Applied to every example's image after decoding; none by default. */
        public Builder transform(Transform transform) {
            this.transform = transform;
            return this;
        }

        /** The batches themselves; excludes {@link #batchSize}, {@link #shuffle}, {@link #dropLast}, {@link #sampler}. */
        public Builder batchSampler(BatchSampler batchSampler) {
            this.batchSampler = batchSampler;
            return this;
        }

        /** The order of examples, cut into batches of {@link #batchSize}; excludes {@link #shuffle}. */
        public Builder sampler(Sampler sampler) {
            this.sampler = sampler;
            return this;
        }

        /** Examples per batch; 1 by default. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** A new random order every epoch ({@link RandomSampler}) instead of 0..n−1; false by default. */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Leave out the last, shorter batch; false by default. */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** Seeds the shuffle and the transforms' random draws; 0 by default. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Worker threads; 0 decodes on the consumer's thread. Default min(available processors, 4). */
        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        /** Batches made ahead of the consumer, at most (with workers > 0); default 2 × workers. */
        public Builder prefetch(int batches) {
            this.prefetchOption = batches;
            return this;
        }

        public DataLoader build() {
            if (workers < 0) {
                throw new IllegalArgumentException("DataLoader: workers must be >= 0, got " + workers);
            }
            if (prefetchOption != null && prefetchOption < 1) {
                throw new IllegalArgumentException("DataLoader: prefetch must be >= 1 batch, got " + prefetchOption);
            }
            prefetch = prefetchOption != null ? prefetchOption : Math.max(1, 2 * workers);
            BatchSampler batches = batchSampler;
            if (batches != null) {
                if (batchSize != null || shuffle != null || dropLast != null || sampler != null) {
                    throw new IllegalArgumentException("DataLoader: batchSampler excludes batchSize, shuffle, dropLast"
                            + " and sampler (the batch sampler decides them)");
                }
            } else {
                if (sampler != null && Boolean.TRUE.equals(shuffle)) {
                    throw new IllegalArgumentException("DataLoader: sampler excludes shuffle (the sampler decides the order)");
                }
                int size = batchSize != null ? batchSize : 1;
                if (size < 1) {
                    throw new IllegalArgumentException("DataLoader: batchSize must be >= 1, got " + size);
                }
                Sampler order = sampler != null ? sampler
                        : Boolean.TRUE.equals(shuffle) ? new RandomSampler(dataset.size(), seed)
                        : new SequentialSampler(dataset.size());
                batches = BatchSampler.of(order, size, Boolean.TRUE.equals(dropLast));
            }
            return new DataLoader(this, batches);
        }
    }
}
