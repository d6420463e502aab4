package org.weft.recipes.train;

import java.nio.file.Path;

/** Thrown when Ctrl-C stopped a training cleanly: its checkpoint is written and the run can be resumed. */
public final class RunInterruptedException extends RuntimeException {

    private final Path runDir;

    public RunInterruptedException(Path runDir) {
        super("stopped by the user; resume with: weft train --resume " + runDir);
        this.runDir = runDir;
    }

    public Path runDir() {
        return runDir;
    }
}
