package org.weft.recipes.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.weft.autograd.Grad;
import org.weft.nn.io.TrainingCheckpoint;
import org.weft.recipes.data.Batch;
import org.weft.recipes.data.BatchPair;

/**
 * The loop around a {@link TrainingTask}: epochs of steps with a progress bar, means of the step metrics
 * logged every {@code logEvery} steps, evaluation every {@code evalEvery} epochs and after the last,
 * checkpoints every {@code checkpointEvery} epochs and after the last, resume, and a clean stop on request.
 *
 * <p>One training is known by its run name and has one checkpoint, {@code checkpoints/<run name>.safetensors}
 * in the run folder. The checkpoint holds what {@link TrainingCheckpoint} holds (model, optimiser, scheduler,
 * global random state) plus, as extras, the epochs planned, the epochs done, the steps done in the epoch
 * under way, whether the training finished, its final metrics and the run's seed. Calling {@link #fit} again
 * with that checkpoint present therefore picks up exactly where it stood: the task gives the same batches
 * from that step on, and the weights at the end are bit for bit those of a training that never stopped.
 */
public final class Trainer {

    private static final JsonMapper JSON = MetricsLog.JSON;
    private static final Pattern RUN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    /** How often the trainer logs (in steps), evaluates and checkpoints (in epochs); each at least 1. */
    public record Settings(int logEvery, int evalEvery, int checkpointEvery) {

        public static final Settings DEFAULT = new Settings(10, 1, 1);

        public Settings {
            if (logEvery < 1 || evalEvery < 1 || checkpointEvery < 1) {
                throw new IllegalArgumentException("log_every, eval_every and checkpoint_every must be at least 1, got "
                        + logEvery + ", " + evalEvery + " and " + checkpointEvery);
            }
        }
    }

    private final Path runDir;
    private final Settings settings;
    private final MetricsLog metrics;
    private final ProgressBar progress;
    private final PrintStream log;
    private final StopSignal stop;
    private final long seed;

    /**
     * @param runDir the run folder; checkpoints go to its {@code checkpoints/}
     * @param seed the run's seed, recorded in every checkpoint
     */
    public Trainer(Path runDir, Settings settings, MetricsLog metrics, ProgressBar progress, PrintStream log,
            StopSignal stop, long seed) {
        this.runDir = runDir;
        this.settings = settings;
        this.metrics = metrics;
        this.progress = progress;
        this.log = log;
        this.stop = stop;
        this.seed = seed;
    }

    /** Where training {@code runName} keeps its checkpoint. */
    public Path checkpoint(String runName) {
        return runDir.resolve("checkpoints").resolve(runName + ".safetensors");
    }

    /**
     * Trains {@code task} for {@code epochs} epochs as training {@code runName}, resuming its checkpoint if there
     * is one, and returns the metrics of the final evaluation. A training whose checkpoint says it finished is not
     * trained again: its weights, optimiser and random state are loaded and its recorded metrics returned.
     *
     * @throws RunInterruptedException when the stop signal was raised; the checkpoint was written first
     */
    public <B> Map<String, Double> fit(String runName, TrainingTask<B> task, int epochs) throws IOException {
        if (runName == null || !RUN_NAME.matcher(runName).matches()) {
            throw new IllegalArgumentException("run name must be letters, digits, '.', '_' or '-' (starting with a"
                    + " letter or digit), got '" + runName + "'");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("training '" + runName + "' needs at least 1 epoch, got " + epochs);
        }
        int steps = task.stepsPerEpoch();
        if (steps < 1) {
            throw new IllegalArgumentException("training '" + runName + "': the task has " + steps
                    + " steps per epoch; it needs at least 1 (is the batch larger than the data?)");
        }
        Path path = checkpoint(runName);
        int epoch = 0;
        int fromStep = 0;
        long step = 0;
        if (Files.exists(path)) {
            TrainingCheckpoint.Info info = TrainingCheckpoint.load(path, task.model(), task.optimizer(), task.scheduler());
            Map<String, String> extra = info.extra();
            int planned = Integer.parseInt(extra.getOrDefault("epochs", Integer.toString(epochs)));
            if (planned != epochs) {
                throw new IllegalArgumentException(path + " belongs to a training of " + planned + " epochs, but "
                        + epochs + " were asked for");
            }
            if (Boolean.parseBoolean(extra.get("finished"))) {
                Map<String, Double> done = parseMetrics(path, extra.get("metrics"));
                log.println(runName + ": finished before in this run; its final metrics: " + format(done));
                return done;
            }
            epoch = (int) info.epoch();
            fromStep = Integer.parseInt(extra.getOrDefault("step_in_epoch", "0"));
            step = info.step();
            if (fromStep > steps) {
                throw new IllegalArgumentException(path + " stopped at step " + fromStep + " of an epoch, but the task"
                        + " has only " + steps + " steps per epoch (did the data or batch size change?)");
            }
            log.printf("%s: resuming at epoch %d, step %d/%d (global step %d) from %s%n", runName, epoch + 1,
                    fromStep, steps, step, path);
        }

        // Lines logged after the checkpoint (by a process that crashed) are logged again below.
        metrics.dropAfter(runName, step);
        Map<String, Double> last = Map.of();
        Window window = new Window();
        long start = System.nanoTime();
        while (epoch < epochs) {
            if (fromStep < steps) {
                task.model().train();
                Iterator<B> batches = task.batches(epoch, fromStep);
                progress.startEpoch(String.format(Locale.ROOT, "%s epoch %d/%d", runName, epoch + 1, epochs), steps,
                        fromStep);
                for (int s = fromStep; s < steps; s++) {
                    if (stop.requested()) {
                        throw stopAt(runName, task, epochs, epoch, s, step, window);
                    }
                    if (!batches.hasNext()) {
                        throw new IllegalStateException("training '" + runName + "': the task gave " + s
                                + " batches in epoch " + (epoch + 1) + " but promised " + steps + " steps per epoch");
                    }
                    B batch = batches.next();
                    double lr = task.optimizer().paramGroups().get(0).lr();
                    Map<String, Double> values = task.trainStep(batch);
                    step++;
                    window.add(values, lr);
                    progress.step(s + 1, images(batch), values.getOrDefault("loss", Double.NaN));
                    if (window.count == settings.logEvery()) {
                        window.flush(runName, epoch + 1, step);
                    }
                }
                window.flush(runName, epoch + 1, step);
                progress.finish();
            }
            if (stop.requested()) {
                throw stopAt(runName, task, epochs, epoch, steps, step, window);
            }
            epoch++;
            fromStep = 0;
            boolean finished = epoch == epochs;
            if (finished || epoch % settings.evalEvery() == 0) {
                last = evaluate(task);
                metrics.write(runName, "eval", epoch, step, last);
                log.printf("%s epoch %d/%d  eval  %s  (%s)%n", runName, epoch, epochs, format(last),
                        ProgressBar.duration((System.nanoTime() - start) / 1e9));
            }
            if (finished || epoch % settings.checkpointEvery() == 0) {
                save(runName, task, epochs, epoch, 0, step, finished, last);
            }
        }
        return last;
    }

    /**
     * The images a step consumed, for the progress bar's images/s: a {@link Batch}'s size, or the sum over a
     * {@link BatchPair} (two-domain steps) or an array or collection of batches; 0 (the bar shows steps/s) for
     * anything else.
     */
    static long images(Object batch) {
        if (batch instanceof Batch b) {
            return b.size();
        }
        if (batch instanceof BatchPair pair) {
            return pair.source().size() + pair.target().size();
        }
        Iterable<?> parts = batch instanceof Object[] array ? java.util.Arrays.asList(array)
                : batch instanceof java.util.Collection<?> c ? c : List.of();
        long n = 0;
        for (Object part : parts) {
            if (!(part instanceof Batch b)) {
                return 0;
            }
            n += b.size();
        }
        return n;
    }

    private static <B> Map<String, Double> evaluate(TrainingTask<B> task) {
        task.model().eval();
        try (var noGrad = Grad.disabled()) {
            return new LinkedHashMap<>(task.evaluate());
        }
    }

    /**
     * Writes the checkpoint of a training stopped before step {@code stepInEpoch} of {@code epoch} (0-based) and
     * returns the exception that ends it.
     */
    private <B> RunInterruptedException stopAt(String runName, TrainingTask<B> task, int epochs, int epoch,
            int stepInEpoch, long step, Window window) throws IOException {
        window.flush(runName, epoch + 1, step);
        progress.finish();
        save(runName, task, epochs, epoch, stepInEpoch, step, false, Map.of());
        log.printf("%s: stopped at epoch %d, step %d; checkpoint %s%n", runName, epoch + 1, stepInEpoch,
                checkpoint(runName));
        stop.stopped();
        return new RunInterruptedException(runDir);
    }

    private <B> void save(String runName, TrainingTask<B> task, int epochs, int epoch, int stepInEpoch, long step,
            boolean finished, Map<String, Double> finalMetrics) throws IOException {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("run", runName);
        extra.put("epochs", Integer.toString(epochs));
        extra.put("step_in_epoch", Integer.toString(stepInEpoch));
        extra.put("finished", Boolean.toString(finished));
        extra.put("seed", Long.toString(seed));
        if (finished) {
            extra.put("metrics", JSON.writeValueAsString(finalMetrics));
        }
        Path path = checkpoint(runName);
        Files.createDirectories(path.getParent());
        TrainingCheckpoint.save(path, task.model(), task.optimizer(), task.scheduler(), epoch, step, extra);
    }

    /** The final metrics a finished checkpoint recorded (NaN as a bare token, as in metrics.jsonl). */
    static Map<String, Double> parseMetrics(Path path, String json) throws IOException {
        if (json == null) {
            throw new IOException(path + ": a finished training's checkpoint must record its metrics ('metrics')");
        }
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Double>>() { });
        } catch (IOException e) {
            throw new IOException(path + ": its recorded metrics are not a JSON object of numbers: " + json, e);
        }
    }

    static String format(Map<String, Double> values) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (s.length() > 0) {
                s.append("  ");
            }
            s.append(e.getKey()).append(' ').append(String.format(Locale.ROOT, "%.4f", e.getValue()));
        }
        return s.toString();
    }

    /** The step metrics since the last train line: sums and counts per name, and the latest step's learning rate. */
    private final class Window {
        final Map<String, double[]> sums = new LinkedHashMap<>();
        int count;
        double lr;

        void add(Map<String, Double> values, double stepLr) {
            values.forEach((k, v) -> {
                double[] sum = sums.computeIfAbsent(k, key -> new double[2]);
                sum[0] += v;
                sum[1]++;
            });
            count++;
            lr = stepLr;
        }

        void flush(String runName, int epoch, long step) throws IOException {
            if (count == 0) {
                return;
            }
            Map<String, Double> means = new LinkedHashMap<>();
            sums.forEach((k, sum) -> means.put(k, sum[0] / sum[1]));
            means.put("lr", lr);
            metrics.write(runName, "train", epoch, step, means);
            sums.clear();
            count = 0;
        }
    }
}
