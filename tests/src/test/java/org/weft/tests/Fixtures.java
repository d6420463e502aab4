package org.weft.tests;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.weft.tensor.NDArray;
import org.weft.tensor.io.SafeTensors;

/**
 * Where the tests find the PyTorch fixtures that tests/goldens/fixtures.py writes (model
 * parity sets, optimiser trajectories, .pth files): {@code <weft.goldens>/fixtures/<name>/}.
 * A missing fixture skips the test on a machine without PyTorch and fails it under CI=true,
 * as the conformance suite does.
 */
public final class Fixtures {

    private Fixtures() {
    }

    /** The directory of fixture {@code name}, which exists and is complete. */
    public static Path dir(String name) {
        String root = System.getProperty("weft.goldens");
        Path dir = root == null || root.isBlank() || root.contains("${") ? null : Path.of(root, "fixtures", name);
        if (dir == null || !Files.isRegularFile(dir.resolve("stamp"))) {
            String why = "fixture '" + name + "' not generated (run /usr/bin/python3 tests/goldens/fixtures.py --seed 0"
                    + " --out DIR --only " + name + " and pass -Dweft.goldens=DIR)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true and the oracle is missing: " + why);
            }
            Assumptions.abort(why);
        }
        return dir;
    }

    /** Every tensor of {@code file} in fixture {@code name}, by name. */
    public static Map<String, NDArray> load(String name, String file) {
        Path path = dir(name).resolve(file);
        try {
            return new LinkedHashMap<>(SafeTensors.read(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
