package org.weft.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.autograd.Tensor;

/** Saving and loading state dicts through the format detection of {@link StateDicts}. */
class StateDictsTest {

    @TempDir
    Path dir;

    /**
     * A safetensors header length is arbitrary, so its first byte is sometimes 0x80, the byte
     * a pickle starts with; such a file must still be read as safetensors, whatever its name.
     */
    @Test
    void safetensorsIsRecognisedWhateverItsHeaderLengthStartsWith() throws IOException {
        boolean sawPickleByte = false;
        for (int length = 1; length <= 300; length++) {
            Path path = dir.resolve("weights-" + length + ".bin");
            String key = "k".repeat(length);
            StateDicts.save(path, Map.of(key, Tensor.of(new float[] {1.5f, -2f}, 2)));
            sawPickleByte |= (Files.readAllBytes(path)[0] & 0xff) == 0x80;
            assertEquals(StateDicts.Format.SAFETENSORS, StateDicts.detect(path), path.toString());
            assertArrayEquals(new float[] {1.5f, -2f}, StateDicts.load(path).get(key).data().toFloatArray());
        }
        assertTrue(sawPickleByte, "no header length began with 0x80; the case this test is for did not occur");
    }
}
