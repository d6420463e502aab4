package org.weft.recipes.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.weft.recipes.train.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft report RUN_DIR}: writes (again) the report of a run from the files in its folder. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write a run's report.md and plots from its config, metrics, tables and notes.")
final class ReportCommand implements Callable<Integer> {

    private final ReportWriter reports;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR")
    Path runDir;

    ReportCommand(ReportWriter reports) {
        this.reports = reports;
    }

    @Override
    public Integer call() throws IOException {
        RunFolder folder = RunFolder.open(runDir);
        reports.write(folder.dir());
        spec.commandLine().getOut().println(folder.dir().resolve("report.md"));
        return 0;
    }
}
