package org.weft.recipes.train;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's {@code metrics.jsonl}: one JSON object per line, appended and flushed line by line so that a crash
 * loses nothing already logged. A line is {@code {"time", "run", "phase", "epoch", "step", <scalars>...}}
 * (see the run folder layout). A non-finite scalar (a diverged loss) is written as the bare token {@code NaN},
 * {@code Infinity} or {@code -Infinity}, as Python's {@code json} module writes and reads it.
 */
public final class MetricsLog {

    static final JsonMapper JSON = JsonMapper.builder()
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final Path file;

    public MetricsLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /**
     * Appends one line.
     *
     * @param phase "train" or "eval"
     * @param epoch 1-based: the epoch being trained, or the one just finished for an evaluation
     * @param step the global step in training {@code run}
     */
    public void write(String run, String phase, int epoch, long step, Map<String, Double> values) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("run", run);
        line.put("phase", phase);
        line.put("epoch", epoch);
        line.put("step", step);
        line.putAll(values);
        // Opening for each line costs microseconds next to the steps between lines, and leaves no stream to flush.
        Files.writeString(file, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /** Every line of {@code file} as a map, in order; an empty list when the file does not exist. */
    public static List<Map<String, Object>> read(Path file) throws IOException {
        List<Map<String, Object>> lines = new ArrayList<>();
        if (!Files.exists(file)) {
            return lines;
        }
        int number = 0;
        for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            if (text.isBlank()) {
                continue;
            }
            try {
                lines.add(JSON.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() { }));
            } catch (IOException e) {
                throw new IOException(file + ":" + number + ": not a JSON object: " + e.getMessage(), e);
            }
        }
        return lines;
    }

    /**
     * Drops the lines of training {@code run} logged after global step {@code step}: a training resumed from a
     * checkpoint at that step logs them again, and the file should read as if it had never stopped. The file is
     * rewritten through a temporary file, so a crash leaves the old one whole.
     */
    void dropAfter(String run, long step) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<String> kept = new ArrayList<>();
        boolean dropped = false;
        for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Map<String, Object> line = text.isBlank() ? null
                    : JSON.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() { });
            if (line != null && run.equals(line.get("run")) && line.get("step") instanceof Number n
                    && n.longValue() > step) {
                dropped = true;
            } else {
                kept.add(text);
            }
        }
        if (dropped) {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, kept, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
