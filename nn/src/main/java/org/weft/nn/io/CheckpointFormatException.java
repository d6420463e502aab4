package org.weft.nn.io;

import java.io.IOException;

/** A weights or checkpoint file Weft cannot read; the message names the file and what is wrong. */
public final class CheckpointFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public CheckpointFormatException(String message) {
        super(message);
    }
}
