package org.weft.recipes.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A run folder's {@code metrics.jsonl} read into one {@link RunSeries} per training, in the order the
 * trainings first appear. Each line is a JSON object {@code {"time", "run", "phase": "train"|"eval",
 * "epoch", "step", <name>: <number>, ...}}; every numeric field other than epoch and step is a metric.
 *
 * <p>A line that is not such an object is an error naming the file and the line, except a last line with
 * no newline after it: that is what a process killed while writing leaves, so it is skipped and reported in
 * {@link #skipped()} instead of making the whole run unreadable.
 */
public final class MetricsFile {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);

    private final Map<String, RunSeries> runs;
    private final List<String> skipped;

    private MetricsFile(Map<String, RunSeries> runs, List<String> skipped) {
        this.runs = runs;
        this.skipped = skipped;
    }

    /** The trainings of this file by run name, in the order they first appear. */
    public Map<String, RunSeries> runs() {
        return java.util.Collections.unmodifiableMap(runs);
    }

    /** Messages about lines that were skipped (a cut-off last line); empty for a clean file. */
    public List<String> skipped() {
        return List.copyOf(skipped);
    }

    /** Reads {@code file}; a malformed line fails with an IOException naming the file and its line number. */
    public static MetricsFile read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        Map<String, RunSeries> runs = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            boolean cutOff = i == lines.length - 1; // split leaves "" after a final newline
            try {
                parseLine(line, runs);
            } catch (IllegalArgumentException | JsonProcessingException e) {
                String where = file + " line " + (i + 1);
                String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
                if (cutOff) {
                    skipped.add(where + " is cut off (the run was probably stopped while writing it) and was"
                            + " skipped: " + why);
                } else {
                    throw new IOException(where + ": " + why + ": " + abbreviate(line), e);
                }
            }
        }
        return new MetricsFile(runs, skipped);
    }

    private static void parseLine(String line, Map<String, RunSeries> runs) throws JsonProcessingException {
        JsonNode node = JSON.readTree(line);
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        String run = text(node, "run");
        String phase = text(node, "phase");
        int epoch = (int) integer(node, "epoch");
        long step = integer(node, "step");
        Map<String, Double> values = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = f.getKey();
            if (key.equals("time") || key.equals("run") || key.equals("phase") || key.equals("epoch")
                    || key.equals("step")) {
                continue;
            }
            JsonNode v = f.getValue();
            if (v.isNumber()) {
                values.put(key, v.doubleValue());
            } else if (v.isNull()) {
                values.put(key, Double.NaN); // how a writer that cannot write NaN writes it
            } else {
                throw new IllegalArgumentException("metric \"" + key + "\" must be a number, got " + v);
            }
        }
        RunSeries series = runs.computeIfAbsent(run, RunSeries::new);
        MetricPoint point = new MetricPoint(epoch, step, values);
        switch (phase) {
            case "train" -> series.addTrain(point);
            case "eval" -> series.addEval(point);
            default -> throw new IllegalArgumentException("\"phase\" must be \"train\" or \"eval\", got \""
                    + phase + "\"");
        }
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("expected a string \"" + key + "\", got "
                    + (v == null ? "none" : v.toString()));
        }
        return v.asText();
    }

    private static long integer(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.canConvertToExactIntegral()) {
            throw new IllegalArgumentException("expected an integer \"" + key + "\", got "
                    + (v == null ? "none" : v.toString()));
        }
        return v.asLong();
    }

    private static String abbreviate(String line) {
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }
}
