package org.weft.recipes.data;

/**
 * An example failed to load or transform in a {@link DataLoader}: it names the dataset index and the epoch, and
 * carries what the dataset or transform threw as its cause. It is thrown by the consumer's {@code next()}, whichever
 * thread decoded the example.
 */
public final class DataLoaderException extends RuntimeException {

    private final int index;
    private final int epoch;

    DataLoaderException(int index, int epoch, Throwable cause) {
        super("DataLoader: example " + index + " (dataset index) of epoch " + epoch + " failed: " + cause, cause);
        this.index = index;
        this.epoch = epoch;
    }

    /** The dataset index of the example that failed. */
    public int index() {
        return index;
    }

    public int epoch() {
        return epoch;
    }
}
