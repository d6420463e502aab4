package org.weft.recipes.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Paper 000's mixed sampling for two-domain training: batches alternate source, target, source, target, …, and one
 * step consumes a source batch with the target batch that follows it. An epoch ends when the smaller dataset is
 * exhausted, so it has min(source batches, target batches) steps; the rest of the larger one is not used that epoch
 * (its loader's shuffle gives other examples a turn in the next epoch).
 */
public final class TwoDomainLoader implements AutoCloseable {

    private final DataLoader source;
    private final DataLoader target;

    public TwoDomainLoader(DataLoader source, DataLoader target) {
        if (source == null || target == null) {
            throw new IllegalArgumentException("TwoDomainLoader: source and target loaders are required");
        }
        if (source == target) {
            throw new IllegalArgumentException("TwoDomainLoader: source and target must be two loaders (one loader"
                    + " runs one epoch iterator at a time)");
        }
        this.source = source;
        this.target = target;
    }

    public DataLoader source() {
        return source;
    }

    public DataLoader target() {
        return target;
    }

    /** min(source batches, target batches) per epoch. */
    public int stepsPerEpoch() {
        return Math.min(source.batchesPerEpoch(), target.batchesPerEpoch());
    }

    /**
     * The steps of epoch {@code epoch} from step {@code fromStep} on; step s pairs batch s of the source epoch with
     * batch s of the target epoch, so a resumed epoch gives the tail of the uninterrupted one.
     */
    public Iterator<BatchPair> epoch(int epoch, int fromStep) {
        int steps = stepsPerEpoch();
        if (fromStep < 0 || fromStep > steps) {
            throw new IllegalArgumentException("TwoDomainLoader: fromStep must be in [0, " + steps + "] for an epoch of "
                    + steps + " steps, got " + fromStep);
        }
        Iterator<Batch> s = source.epoch(epoch, fromStep);
        Iterator<Batch> t = target.epoch(epoch, fromStep);
        return new Iterator<>() {
            private int step = fromStep;

            @Override
            public boolean hasNext() {
                return step < steps;
            }

            @Override
            public BatchPair next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("TwoDomainLoader: epoch " + epoch + " has " + steps + " steps");
                }
                Batch sourceBatch = s.next();
                Batch targetBatch = t.next();
                if (++step == steps) {
                    // The larger domain still has batches: stop its workers rather than leave them waiting.
                    close(s);
                    close(t);
                }
                return new BatchPair(sourceBatch, targetBatch);
            }
        };
    }

    private static void close(Iterator<Batch> it) {
        if (it instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Closes both loaders. */
    @Override
    public void close() {
        source.close();
        target.close();
    }
}
