package org.weft.recipes.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The metrics of one training of a run folder (one {@code "run"} name in {@code metrics.jsonl}): its train
 * points in step order and its eval points in epoch order.
 *
 * <p>A resumed training starts again from its last checkpoint, which may be older than its last metrics
 * line, so the same steps can be logged twice. A point therefore replaces every point of the interrupted
 * attempt at or after its own step (train) or epoch (eval): the series shows the training that counted.
 */
public final class RunSeries {

    private final String name;
    private final List<MetricPoint> train = new ArrayList<>();
    private final List<MetricPoint> eval = new ArrayList<>();

    RunSeries(String name) {
        this.name = name;
    }

    void addTrain(MetricPoint p) {
        // Within one attempt steps increase, so the points to replace are at the tail.
        while (!train.isEmpty() && train.get(train.size() - 1).step() >= p.step()) {
            train.remove(train.size() - 1);
        }
        train.add(p);
    }

    void addEval(MetricPoint p) {
        while (!eval.isEmpty() && eval.get(eval.size() - 1).epoch() >= p.epoch()) {
            eval.remove(eval.size() - 1);
        }
        eval.add(p);
    }

    public String name() {
        return name;
    }

    public List<MetricPoint> train() {
        return List.copyOf(train);
    }

    public List<MetricPoint> eval() {
        return List.copyOf(eval);
    }

    /** The last evaluation of this training (its final metrics), or null when it never evaluated. */
    public MetricPoint lastEval() {
        return eval.isEmpty() ? null : eval.get(eval.size() - 1);
    }

    /** The train keys that are losses (their name starts with "loss": loss, loss_s, loss_mmd, ...), first seen first. */
    public List<String> lossKeys() {
        List<String> keys = new ArrayList<>();
        for (String k : keysOf(train)) {
            if (k.startsWith("loss")) {
                keys.add(k);
            }
        }
        return keys;
    }

    /** Every key that some eval point carries, first seen first. */
    public List<String> evalKeys() {
        return new ArrayList<>(keysOf(eval));
    }

    private static Set<String> keysOf(List<MetricPoint> points) {
        Set<String> keys = new LinkedHashSet<>();
        for (MetricPoint p : points) {
            keys.addAll(p.values().keySet());
        }
        return keys;
    }
}
