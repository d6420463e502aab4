package org.weft.recipes.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

import org.weft.recipes.metrics.ConfusionMatrix;
import org.weft.recipes.report.Table;
import org.weft.tensor.Device;

/**
 * What a running recipe may use: its folder {@code runs/<recipe>-<time>/}, its resolved configuration, the
 * device, a log, and {@link #fit} which trains one task with progress, metrics, checkpoints and resume.
 * A recipe with several trainings (ablation settings, pretraining) calls {@code fit} once per training,
 * each under its own run name; a resumed run skips the trainings already finished.
 */
public interface RunContext {

    Path runDir();

    RecipeConfig config();

    /** Whether {@code --quick} was given. */
    boolean quick();

    Device device();

    /** The {@code --data} directory, or null when none was given (the recipe then uses its default). */
    Path dataDir();

    /** Where the recipe prints what it does (the progress bar goes to the same place). */
    PrintStream log();

    /**
     * Trains {@code task} for {@code epochs} epochs under {@code runName} (a path-safe name such as
     * {@code setting6-targetA}): progress, metrics lines, evaluation every {@code eval_every} epochs and at the
     * end, checkpoints, resume of an interrupted training, and a clean stop on Ctrl-C (a checkpoint is written
     * and {@link RunInterruptedException} thrown). Returns the final evaluation's metrics; when this training
     * had already finished in the run being resumed, returns its recorded metrics without training again.
     */
    <B> Map<String, Double> fit(String runName, TrainingTask<B> task, int epochs) throws IOException;

    /** Records a table for {@code report.md} (written as {@code tables/<name>.json}). */
    void writeTable(String name, Table table) throws IOException;

    /** Records a confusion matrix, rendered as a PNG in the report ({@code confusion/<name>.json}). */
    void writeConfusion(String name, ConfusionMatrix matrix) throws IOException;

    /** Adds prose for the report, e.g. the protocol a recipe ran ({@code notes.md}, replaced on each call). */
    void writeNotes(String markdown) throws IOException;
}
