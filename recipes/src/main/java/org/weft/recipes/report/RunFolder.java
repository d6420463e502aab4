package org.weft.recipes.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a run folder holds, read and checked: {@code config.json}, {@code metrics.jsonl}, {@code tables/*.json},
 * {@code confusion/*.json} and {@code notes.md}. Every file is optional (a run stopped early has only some of
 * them), but a folder with none of them is not a run folder. A file that exists and is malformed is an error
 * naming it.
 */
public final class RunFolder {

    /** A confusion matrix as recorded by a recipe: counts with row = true class, column = predicted class. */
    public record Confusion(String name, String title, List<String> classes, long[][] counts) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);

    private final Path dir;
    private final JsonNode config;
    private final MetricsFile metrics;
    private final Map<String, Table> tables;
    private final List<Confusion> confusions;
    private final String notes;

    private RunFolder(Path dir, JsonNode config, MetricsFile metrics, Map<String, Table> tables,
                      List<Confusion> confusions, String notes) {
        this.dir = dir;
        this.config = config;
        this.metrics = metrics;
        this.tables = tables;
        this.confusions = confusions;
        this.notes = notes;
    }

    /** Reads everything {@code dir} holds; fails when it is missing, not a folder, or holds no run file. */
    public static RunFolder read(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            throw new IOException("no run folder " + dir + ": it does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " is not a run folder: it is a file, expected a folder runs/<recipe>-<time>/");
        }
        Path configFile = dir.resolve("config.json");
        Path metricsFile = dir.resolve("metrics.jsonl");
        Path notesFile = dir.resolve("notes.md");
        JsonNode config = Files.isRegularFile(configFile) ? readJson(configFile) : null;
        if (config != null && !config.isObject()) {
            throw new IOException(configFile + ": expected a JSON object, got " + config.getNodeType());
        }
        MetricsFile metrics = Files.isRegularFile(metricsFile) ? MetricsFile.read(metricsFile) : null;
        Map<String, Table> tables = new LinkedHashMap<>();
        for (Path f : jsonFiles(dir.resolve("tables"))) {
            tables.put(baseName(f), readTable(f));
        }
        List<Confusion> confusions = new ArrayList<>();
        for (Path f : jsonFiles(dir.resolve("confusion"))) {
            confusions.add(readConfusion(f));
        }
        String notes = Files.isRegularFile(notesFile) ? Files.readString(notesFile, StandardCharsets.UTF_8) : null;
        if (config == null && metrics == null && tables.isEmpty() && confusions.isEmpty() && notes == null) {
            throw new IOException(dir + " is not a run folder: it holds none of config.json, metrics.jsonl,"
                    + " tables/*.json, confusion/*.json, notes.md");
        }
        return new RunFolder(dir, config, metrics, tables, confusions, notes);
    }

    public Path dir() {
        return dir;
    }

    /** The parsed {@code config.json}, or null when the folder has none. */
    public JsonNode config() {
        return config;
    }

    /** The parsed {@code metrics.jsonl}, or null when the folder has none. */
    public MetricsFile metrics() {
        return metrics;
    }

    /** The tables by file name (without .json), in file-name order. */
    public Map<String, Table> tables() {
        return java.util.Collections.unmodifiableMap(tables);
    }

    /** The confusion matrices, in file-name order. */
    public List<Confusion> confusions() {
        return List.copyOf(confusions);
    }

    /** The text of {@code notes.md}, or null when the folder has none. */
    public String notes() {
        return notes;
    }

    private static List<Path> jsonFiles(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json") && Files.isRegularFile(f))
                    .sorted().toList();
        }
    }

    private static String baseName(Path f) {
        String name = f.getFileName().toString();
        return name.substring(0, name.length() - ".json".length());
    }

    private static JsonNode readJson(Path file) throws IOException {
        try {
            return JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Table readTable(Path file) throws IOException {
        JsonNode node = readJson(file);
        try {
            List<String> columns = strings(node, "columns");
            JsonNode rowsNode = node.get("rows");
            if (rowsNode == null || !rowsNode.isArray()) {
                throw new IllegalArgumentException("expected an array \"rows\"");
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode row : rowsNode) {
                if (!row.isArray()) {
                    throw new IllegalArgumentException("every row must be an array of cells, got " + row);
                }
                List<String> cells = new ArrayList<>();
                for (JsonNode c : row) {
                    cells.add(c.isNull() ? "" : c.asText());
                }
                rows.add(cells);
            }
            return new Table(optionalText(node, "title", baseName(file)), columns, rows,
                    optionalText(node, "note", null));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    static Confusion readConfusion(Path file) throws IOException {
        JsonNode node = readJson(file);
        try {
            List<String> classes = strings(node, "classes");
            JsonNode m = node.get("matrix");
            if (m == null || !m.isArray()) {
                throw new IllegalArgumentException("expected an array of rows \"matrix\"");
            }
            int n = classes.size();
            if (m.size() != n) {
                throw new IllegalArgumentException("\"matrix\" has " + m.size() + " rows but there are " + n
                        + " classes");
            }
            long[][] counts = new long[n][n];
            for (int i = 0; i < n; i++) {
                JsonNode row = m.get(i);
                if (!row.isArray() || row.size() != n) {
                    throw new IllegalArgumentException("row " + i + " of \"matrix\" must hold " + n
                            + " counts, got " + row);
                }
                for (int j = 0; j < n; j++) {
                    JsonNode c = row.get(j);
                    if (!c.canConvertToExactIntegral() || c.asLong() < 0) {
                        throw new IllegalArgumentException("matrix[" + i + "][" + j
                                + "] must be a count (an integer >= 0), got " + c);
                    }
                    counts[i][j] = c.asLong();
                }
            }
            String name = baseName(file);
            return new Confusion(name, optionalText(node, "title", name), classes, counts);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static List<String> strings(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isArray()) {
            throw new IllegalArgumentException("expected an array \"" + key + "\", got "
                    + (v == null ? "none" : v.toString()));
        }
        List<String> out = new ArrayList<>();
        for (JsonNode s : v) {
            out.add(s.asText());
        }
        return out;
    }

    private static String optionalText(JsonNode node, String key, String fallback) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? fallback : v.asText();
    }
}
