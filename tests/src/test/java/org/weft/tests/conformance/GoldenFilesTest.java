package org.weft.tests.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.tensor.NDArray;
import org.weft.tensor.io.SafeTensors;

/**
 * The goldens are written by tests/goldens/harness.py, a safetensors writer independent of
 * Weft's: every file must read, and writing back what was read must give the same bytes
 * (both writers follow the reference layout, header padding included).
 */
class GoldenFilesTest {

    @TempDir
    Path dir;

    @Test
    void filesWrittenByThePythonHarnessReadAndRewriteIdentically() throws IOException {
        Path goldens = Goldens.location();
        if (goldens == null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true and no goldens were generated (weft.goldens = " + System.getProperty("weft.goldens") + ")");
            }
            Assumptions.abort("no goldens generated");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(goldens)) {
            files = s.filter(f -> f.toString().endsWith(".safetensors")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "golden safetensors files in " + goldens);
        for (Path f : files) {
            Map<String, NDArray> tensors = SafeTensors.read(f);
            Path copy = dir.resolve(f.getFileName());
            SafeTensors.write(copy, tensors);
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(copy), f + " rewritten");
        }
    }
}
