package org.weft.recipes.mmd;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.weft.nn.io.TrainingCheckpoint;
import org.weft.recipes.metrics.ConfusionMatrix;
import org.weft.recipes.report.Table;
import org.weft.recipes.train.RecipeConfig;
import org.weft.recipes.train.RunContext;
import org.weft.recipes.train.TrainingTask;
import org.weft.tensor.Device;

/**
 * A run context for tests: {@code fit} is a plain loop (every epoch's batches, then one evaluation) that keeps the
 * step losses and writes the final checkpoint where the trainer would; tables, confusions and notes are kept in
 * memory.
 */
class PlainRunContext implements RunContext {

    final Path runDir;
    final MapConfig config;
    final Map<String, List<Double>> losses = new LinkedHashMap<>();
    final Map<String, Map<String, Double>> finalMetrics = new LinkedHashMap<>();
    final Map<String, Table> tables = new LinkedHashMap<>();
    final Map<String, ConfusionMatrix> confusions = new LinkedHashMap<>();
    String notes;
    /** What {@link #dataDir()} answers ({@code --data}); null by default. */
    Path dataDir;

    PlainRunContext(Path runDir, Map<String, Object> config) {
        this.runDir = runDir;
        this.config = new MapConfig(config);
    }

    @Override
    public Path runDir() {
        return runDir;
    }

    @Override
    public RecipeConfig config() {
        return config;
    }

    @Override
    public boolean quick() {
        return false;
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public PrintStream log() {
        return System.out;
    }

    @Override
    public <B> Map<String, Double> fit(String runName, TrainingTask<B> task, int epochs) throws IOException {
        List<Double> trace = new ArrayList<>();
        int step = 0;
        for (int e = 0; e < epochs; e++) {
            task.model().train();
            Iterator<B> batches = task.batches(e, 0);
            for (int s = 0; s < task.stepsPerEpoch(); s++) {
                trace.add(task.trainStep(batches.next()).get("loss"));
                step++;
            }
        }
        Map<String, Double> metrics = task.evaluate();
        losses.put(runName, trace);
        finalMetrics.put(runName, metrics);
        Path checkpoint = runDir.resolve("checkpoints").resolve(runName + ".safetensors");
        Files.createDirectories(checkpoint.getParent());
        TrainingCheckpoint.save(checkpoint, task.model(), task.optimizer(), task.scheduler(), epochs, step, Map.of());
        return metrics;
    }

    @Override
    public void writeTable(String name, Table table) {
        tables.put(name, table);
    }

    @Override
    public void writeConfusion(String name, ConfusionMatrix matrix) {
        confusions.put(name, matrix);
    }

    @Override
    public void writeNotes(String markdown) {
        notes = markdown;
    }

    /** A configuration read from a map, failing on absent keys as the real one does. */
    static final class MapConfig implements RecipeConfig {
        final Map<String, Object> values;

        MapConfig(Map<String, Object> values) {
            this.values = new LinkedHashMap<>(values);
        }

        private Object get(String key) {
            if (!values.containsKey(key)) {
                throw new IllegalArgumentException("no config key '" + key + "'");
            }
            return values.get(key);
        }

        @Override
        public int integer(String key) {
            return ((Number) get(key)).intValue();
        }

        @Override
        public long longValue(String key) {
            return ((Number) get(key)).longValue();
        }

        @Override
        public double number(String key) {
            return ((Number) get(key)).doubleValue();
        }

        @Override
        public boolean flag(String key) {
            return (Boolean) get(key);
        }

        @Override
        public String string(String key) {
            return (String) get(key);
        }

        @Override
        @SuppressWarnings("unchecked")
        public List<String> strings(String key) {
            return (List<String>) get(key);
        }
    }
}
