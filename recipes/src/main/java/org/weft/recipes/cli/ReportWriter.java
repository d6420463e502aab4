package org.weft.recipes.cli;

import java.io.IOException;
import java.nio.file.Path;

/** Writes a run's {@code report.md} and plots from the files in its folder (the report package's job). */
@FunctionalInterface
interface ReportWriter {

    void write(Path runDir) throws IOException;
}
