package org.weft.recipes.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.weft.recipes.metrics.ConfusionMatrix;
import org.weft.recipes.report.Table;
import org.weft.tensor.cpu.CpuThreads;

/**
 * The folder of one run, {@code runs/<recipe>-<yyyyMMdd-HHmmss>/}, and the files in it: {@code config.json},
 * {@code metrics.jsonl}, {@code checkpoints/}, {@code tables/}, {@code confusion/}, {@code notes.md}. Files
 * other than the metrics log are written to a temporary file and renamed, so a crash never leaves half of one.
 */
public final class RunFolder {

    static final String CONFIG = "config.json";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What a run's config.json recorded: enough to run the same recipe the same way again. */
    public record Recorded(String recipe, boolean quick, String device, Path data, JsonNode config) {
    }

    private final Path dir;

    private RunFolder(Path dir) {
        this.dir = dir;
    }

    /**
     * Creates {@code runsDir/<recipe>-<time>/}; when two runs start in the same second, the later one gets
     * {@code -2}, {@code -3}, ... appended.
     */
    public static RunFolder create(Path runsDir, String recipe, LocalDateTime now) throws IOException {
        Files.createDirectories(runsDir);
        String base = recipe + "-" + STAMP.format(now);
        for (int n = 1; ; n++) {
            Path dir = runsDir.resolve(n == 1 ? base : base + "-" + n);
            try {
                Files.createDirectory(dir);
                return new RunFolder(dir);
            } catch (FileAlreadyExistsException e) {
                // Taken by another run started this second: try the next suffix.
            }
        }
    }

    /** An existing run folder, e.g. one given to {@code --resume}: it must hold a config.json. */
    public static RunFolder open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("no such run folder: " + dir);
        }
        if (!Files.isRegularFile(dir.resolve(CONFIG))) {
            throw new IOException(dir + " is not a run folder: it has no " + CONFIG
                    + " (weft train creates one in runs/<recipe>-<time>/)");
        }
        return new RunFolder(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path configFile() {
        return dir.resolve(CONFIG);
    }

    public Path metricsFile() {
        return dir.resolve("metrics.jsonl");
    }

    public Path checkpointsDir() {
        return dir.resolve("checkpoints");
    }

    /** The checkpoints in {@code checkpoints/}, by name. */
    public List<Path> checkpoints() throws IOException {
        if (!Files.isDirectory(checkpointsDir())) {
            return List.of();
        }
        try (var files = Files.list(checkpointsDir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
        }
    }

    /** Writes config.json: the recipe, its resolved configuration, how it runs and on what machine. */
    public void writeConfig(String recipe, Configs config, boolean quick, String device, Path data) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("recipe", recipe);
        json.put("config", config.values());
        json.put("seed", config.longValue("seed"));
        json.put("device", device);
        json.put("quick", quick);
        json.put("data", data == null ? null : data.toAbsolutePath().toString());
        json.put("machine", machine());
        json.put("started", OffsetDateTime.now().toString());
        writeAtomically(configFile(), JSON.writeValueAsString(json));
    }

    /** Reads config.json back. */
    public Recorded readConfig() throws IOException {
        Path file = configFile();
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new IOException(file + ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr() + ": "
                    + e.getOriginalMessage().replace('\n', ' '), e);
        }
        if (root == null || !root.isObject() || !root.path("recipe").isTextual() || !root.path("config").isObject()) {
            throw new IOException(file + ": expected an object with a string 'recipe' and an object 'config'");
        }
        JsonNode data = root.path("data");
        return new Recorded(root.get("recipe").textValue(), root.path("quick").asBoolean(false),
                root.path("device").asText("cpu"), data.isTextual() ? Path.of(data.textValue()) : null,
                root.get("config"));
    }

    /** Writes {@code tables/<name>.json}: {"title", "columns", "rows", "note"}. */
    public void writeTable(String name, Table table) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("title", table.title());
        json.put("columns", table.columns());
        json.put("rows", table.rows());
        json.put("note", table.note());
        writeAtomically(dir.resolve("tables").resolve(fileName(name, ".json")), JSON.writeValueAsString(json));
    }

    /** Writes {@code confusion/<name>.json}: {"title", "classes", "matrix"} (row = truth, column = prediction). */
    public void writeConfusion(String name, ConfusionMatrix matrix) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("title", name);
        json.put("classes", matrix.classes());
        json.put("matrix", matrix.counts());
        writeAtomically(dir.resolve("confusion").resolve(fileName(name, ".json")), JSON.writeValueAsString(json));
    }

    /** Replaces {@code notes.md}. */
    public void writeNotes(String markdown) throws IOException {
        writeAtomically(dir.resolve("notes.md"), markdown);
    }

    private static String fileName(String name, String suffix) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("names of tables and confusion matrices must be letters, digits, '.',"
                    + " '_' or '-' (starting with a letter or digit), got '" + name + "'");
        }
        return name + suffix;
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text.endsWith("\n") ? text : text + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The facts about this machine that decide how fast (and, for threads, in what order) a run computes. */
    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("threads", CpuThreads.count());
        m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("cpu", cpuName());
        return m;
    }

    /** The processor's model name from /proc/cpuinfo on Linux; the architecture elsewhere. */
    private static String cpuName() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        try {
            if (Files.isReadable(cpuinfo)) {
                for (String line : Files.readAllLines(cpuinfo)) {
                    if (line.startsWith("model name")) {
                        return line.substring(line.indexOf(':') + 1).trim();
                    }
                }
            }
        } catch (IOException e) {
            // Fall through to the architecture: the name is informative, not needed.
        }
        return System.getProperty("os.arch");
    }
}
