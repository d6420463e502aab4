package org.weft.recipes.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

import org.weft.recipes.metrics.ConfusionMatrix;
import org.weft.recipes.report.Table;
import org.weft.tensor.Device;

/**
 * One execution of a recipe in its run folder: the {@link RunContext} that {@code weft train} and
 * {@code weft eval} hand a recipe, with a {@link Trainer} behind {@link #fit}.
 */
public final class Run implements RunContext {

    private final RunFolder folder;
    private final Configs config;
    private final boolean quick;
    private final Device device;
    private final Path dataDir;
    private final PrintStream log;
    private final Trainer trainer;

    /**
     * @param dataDir the {@code --data} directory, or null for the recipe's default
     * @param progress where {@link #fit} shows its progress (on {@code log})
     * @param stop raised by Ctrl-C, or by a test
     */
    public Run(RunFolder folder, Configs config, boolean quick, Device device, Path dataDir, PrintStream log,
            ProgressBar progress, StopSignal stop) {
        this.folder = folder;
        this.config = config;
        this.quick = quick;
        this.device = device;
        this.dataDir = dataDir;
        this.log = log;
        this.trainer = new Trainer(folder.dir(), config.trainerSettings(), new MetricsLog(folder.metricsFile()), progress,
                log, stop, config.longValue("seed"));
    }

    public RunFolder folder() {
        return folder;
    }

    public Trainer trainer() {
        return trainer;
    }

    @Override
    public Path runDir() {
        return folder.dir();
    }

    @Override
    public Configs config() {
        return config;
    }

    @Override
    public boolean quick() {
        return quick;
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public PrintStream log() {
        return log;
    }

    @Override
    public <B> Map<String, Double> fit(String runName, TrainingTask<B> task, int epochs) throws IOException {
        return trainer.fit(runName, task, epochs);
    }

    @Override
    public void writeTable(String name, Table table) throws IOException {
        folder.writeTable(name, table);
    }

    @Override
    public void writeConfusion(String name, ConfusionMatrix matrix) throws IOException {
        folder.writeConfusion(name, matrix);
    }

    @Override
    public void writeNotes(String markdown) throws IOException {
        folder.writeNotes(markdown);
    }
}
