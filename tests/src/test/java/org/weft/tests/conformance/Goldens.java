package org.weft.tests.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.weft.tensor.NDArray;
import org.weft.tensor.io.SafeTensors;

/**
 * The golden set the suite runs against: the directory named by the system property
 * {@code weft.goldens} (the build generates the default set into tests/target/goldens).
 */
final class Goldens {

    private final Path dir;
    private final List<GoldenCase> cases;
    private final int seed;
    private final Map<String, Map<String, NDArray>> files = new HashMap<>();

    private Goldens(Path dir, List<GoldenCase> cases, int seed) {
        this.dir = dir;
        this.cases = cases;
        this.seed = seed;
    }

    /** The goldens directory, or null if none was generated. */
    static Path location() {
        String p = System.getProperty("weft.goldens");
        if (p == null || p.isBlank() || p.contains("${")) {
            return null;
        }
        Path dir = Path.of(p);
        return Files.isRegularFile(dir.resolve("manifest.json")) ? dir : null;
    }

    static Goldens load(Path dir) {
        try {
            JsonNode root = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
            List<GoldenCase> cases = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                cases.add(GoldenCase.parse(c));
            }
            return new Goldens(dir, cases, root.get("seed").asInt());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve("manifest.json"), e);
        }
    }

    List<GoldenCase> cases() {
        return cases;
    }

    int seed() {
        return seed;
    }

    Path dir() {
        return dir;
    }

    /** A stored tensor of a case: "in.a", "out.0", "gout.0", "grad.a". */
    synchronized NDArray tensor(GoldenCase c, String key) {
        Map<String, NDArray> file = files.computeIfAbsent(c.file(), f -> {
            try {
                return SafeTensors.read(dir.resolve(f));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        NDArray t = file.get(c.name() + "/" + key);
        if (t == null) {
            throw new IllegalStateException("golden file " + c.file() + " lacks " + c.name() + "/" + key);
        }
        return t;
    }

    boolean has(GoldenCase c, String key) {
        tensor(c, "in." + c.inputs().get(0).name()); // loads the file
        synchronized (this) {
            return files.get(c.file()).containsKey(c.name() + "/" + key);
        }
    }
}
