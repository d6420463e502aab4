package org.weft.tensor.cuda;

/**
 * A device allocation that failed even after the allocator gave its cache back to the
 * device; the message names the request and what the allocator holds (as
 * {@code torch.OutOfMemoryError}).
 */
public final class OutOfDeviceMemoryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long requestedBytes;

    OutOfDeviceMemoryException(String message, long requestedBytes) {
        super(message);
        this.requestedBytes = requestedBytes;
    }

    public long requestedBytes() {
        return requestedBytes;
    }
}
