package org.weft.recipes.mmd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the recipe through {@link PlainRunContext} to measure it before choosing its budgets:
 * {@code MmdTransferMeasure quick|full key=value ...} starts from the quick or full defaults, applies the
 * overrides, prints the seconds of each training and every step's loss terms, and the whole run's seconds.
 */
final class MmdTransferMeasure {

    private MmdTransferMeasure() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        Map<String, Object> config = new LinkedHashMap<>(new MmdTransferRecipe().defaults(args[0].equals("quick")));
        config.put("seed", 0L);
        for (String kv : List.of(args).subList(1, args.length)) {
            String key = kv.substring(0, kv.indexOf('='));
            String value = kv.substring(kv.indexOf('=') + 1);
            Object old = config.get(key);
            config.put(key, old instanceof Integer ? (Object) Integer.valueOf(value) : old instanceof Double
                    ? (Object) Double.valueOf(value) : old instanceof List ? List.of(value.split(",")) : value);
        }
        Path dir = Files.createTempDirectory("mmd-measure");
        PlainRunContext context = new PlainRunContext(dir, config) {
            @Override
            public <B> Map<String, Double> fit(String runName, org.weft.recipes.train.TrainingTask<B> task, int epochs)
                    throws java.io.IOException {
                long t = System.nanoTime();
                TrainingTaskTrace<B> traced = new TrainingTaskTrace<>(task);
                Map<String, Double> m = super.fit(runName, traced, epochs);
                System.out.printf("%s: %d steps/epoch x %d epochs, %.1f s (train %.1f s, eval %.1f s) -> %s%n", runName,
                        task.stepsPerEpoch(), epochs, (System.nanoTime() - t) / 1e9, traced.trainNanos / 1e9,
                        traced.evalNanos / 1e9, m);
                return m;
            }
        };
        new MmdTransferRecipe().run(context);
        context.tables.forEach((name, table) -> System.out.println(name + ": " + table.columns() + " " + table.rows()));
        System.out.printf("total %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** A task that prints each step's metrics and adds up the time spent training and evaluating. */
    static final class TrainingTaskTrace<B> implements org.weft.recipes.train.TrainingTask<B> {
        final org.weft.recipes.train.TrainingTask<B> task;
        long trainNanos;
        long evalNanos;
        int step;

        TrainingTaskTrace(org.weft.recipes.train.TrainingTask<B> task) {
            this.task = task;
        }

        public org.weft.nn.Module model() {
            return task.model();
        }

        public org.weft.nn.optim.Optimizer optimizer() {
            return task.optimizer();
        }

        public org.weft.nn.optim.LRScheduler scheduler() {
            return task.scheduler();
        }

        public int stepsPerEpoch() {
            return task.stepsPerEpoch();
        }

        public java.util.Iterator<B> batches(int epoch, int fromStep) {
            return task.batches(epoch, fromStep);
        }

        public Map<String, Double> trainStep(B batch) {
            long t = System.nanoTime();
            Map<String, Double> m = task.trainStep(batch);
            trainNanos += System.nanoTime() - t;
            if (++step % 5 == 0) {
                System.out.printf("  step %d %s (%.2f s/step)%n", step, m, trainNanos / 1e9 / step);
            }
            return m;
        }

        public Map<String, Double> evaluate() {
            long t = System.nanoTime();
            Map<String, Double> m = task.evaluate();
            evalNanos += System.nanoTime() - t;
            return m;
        }
    }
}
