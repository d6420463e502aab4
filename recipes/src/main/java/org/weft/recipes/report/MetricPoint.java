package org.weft.recipes.report;

import java.util.Map;

/**
 * One line of {@code metrics.jsonl} once read: the epoch and global step it was logged at and its named
 * scalars (in the order the line lists them).
 */
public record MetricPoint(int epoch, long step, Map<String, Double> values) {

    public MetricPoint {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }
}
