package org.weft.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;

/**
 * PthReader on hand-made files, broken in the ways real files break: each error must name
 * the file and say what is wrong. (Files written by torch itself are tested in the tests
 * module, against PyTorch.)
 */
class PthReaderErrorsTest {

    @TempDir
    Path dir;

    /** A pickle assembled opcode by opcode, as torch.save would write it. */
    private static final class Pickle {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int... bytes) {
            for (int b : bytes) {
                out.write(b);
            }
            return this;
        }

        Pickle str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X').op(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
            out.writeBytes(b);
            return this;
        }

        Pickle op(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        Pickle global(String module, String name) {
            op('c').op((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        /** _rebuild_tensor_v2(('storage', type, key, 'cpu', numel), 0, (rows, cols), (cols, 1), False, OrderedDict()). */
        Pickle tensor(String storageType, String key, int numel, int rows, int cols) {
            global("torch._utils", "_rebuild_tensor_v2").op('(');
            op('(').str("storage").global("torch", storageType).str(key).str("cpu").op('K', numel).op('t').op('Q');
            op('K', 0).op('K', rows, 'K', cols, 0x86).op('K', cols, 'K', 1, 0x86).op(0x89);
            global("collections", "OrderedDict").op(')', 'R');
            return op('t', 'R');
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    /** A zip laid out as torch.save lays it out: archive/data.pkl, archive/data/KEY, archive/version. */
    private Path archive(String name, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        Path path = dir.resolve(name);
        try (OutputStream f = Files.newOutputStream(path); ZipOutputStream zip = new ZipOutputStream(f)) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(pickle);
            for (Map.Entry<String, byte[]> s : storages.entrySet()) {
                zip.putNextEntry(new ZipEntry("archive/data/" + s.getKey()));
                zip.write(s.getValue());
            }
            zip.putNextEntry(new ZipEntry("archive/version"));
            zip.write("3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return path;
    }

    private static byte[] oneTensor(String storageType, int numel, int rows, int cols) {
        return new Pickle().op(0x80, 2).op('}').str("w").tensor(storageType, "0", numel, rows, cols)
                .op('s', '.').bytes();
    }

    private Path good() throws IOException {
        return archive("good.pth", oneTensor("FloatStorage", 6, 2, 3), Map.of("0", floats(0, 1, 2, 3, 4, 5)));
    }

    private static void assertMessage(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message should contain '" + p + "': " + e.getMessage());
        }
    }

    @Test
    void handMadeArchiveReads() throws IOException {
        Map<String, NDArray> state = PthReader.stateDict(good());
        assertArrayEquals(new int[] {2, 3}, state.get("w").dims());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, state.get("w").toFloatArray());
    }

    @Test
    void notAZipIsNamed() throws IOException {
        Path path = Files.writeString(dir.resolve("notes.pth"), "hello, these are not weights");
        var e = assertThrows(CheckpointFormatException.class, () -> PthReader.read(path));
        assertMessage(e, path.toString(), "not a PyTorch file", "zip header");
    }

    @Test
    void emptyFileIsNotAZip() throws IOException {
        Path path = Files.write(dir.resolve("empty.pth"), new byte[0]);
        var e = assertThrows(CheckpointFormatException.class, () -> PthReader.read(path));
        assertMessage(e, path.toString(), "not a PyTorch file");
    }

    @Test
    void legacyFormatSaysHowToResave() throws IOException {
        // The legacy format opens with a pickled magic number: PROTO 2, LONG1 of 10 bytes.
        byte[] legacy = {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20,
            0x6a, (byte) 0xa8, 0x50, 0x19, 0x2e};
        Path path = Files.write(dir.resolve("old.pth"), legacy);
        var e = assertThrows(CheckpointFormatException.class, () -> PthReader.read(path));
        assertMessage(e, path.toString(), "legacy", "_use_new_zipfile_serialization=True");
    }

    @Test
    void truncatedZipIsNamed() throws IOException {
        byte[] whole = Files.readAllBytes(good());
        Path path = Files.write(dir.resolve("cut.pth"), Arrays.copyOf(whole, whole.length / 2));
        var e = assertThrows(CheckpointFormatException.class, () -> PthReader.read(path));
        assertMessage(e, path.toString(), "truncated");
    }

    @Test
    void missingStorageEntryIsNamed() throws IOException {
        Path path = archive("nostorage.pth", oneTensor("FloatStorage", 6, 2, 3), Map.of());
        var e = assertThrows(CheckpointFormatException.class, () -> PthReader.read(path));
        assertMessage(e, path.toString(), "storage '0'", "archive/data/0");
    }

    @Test
    void storageShorterThanDeclaredIsNamed() throws IOException {
        Path path = archive("short.pth", oneTensor("FloatStorage", 6, 2, 3), Map.of("0", floats(0, 1, 2)));
        var e = assertThrows(CheckpointFormatException.class, () -> PthReader.read(path));
        assertMessage(e, path.toString(), "archive/data/0", "12 bytes", "6 F32 elements (24 bytes)");
    }

    @Test
    void tensorReachingPastItsStorageIsRefused() throws IOException {
        Path path = archive("past.pth", oneTensor("FloatStorage", 5, 2, 3), Map.of("0", floats(0, 1, 2, 3, 4)));
        var e = assertThrows(CheckpointFormatException.class, () -> PthReader.read(path));
        assertMessage(e, path.toString(), "size [2, 3]", "storage of 5 elements");
    }

    @Test
    void unsupportedOpcodeIsNamedWithItsOffset() throws IOException {
        // INT ('I', a decimal line) is protocol 0; torch.save never writes it.
        byte[] pickle = new Pickle().op(0x80, 2).op('}').str("w").op('I').op("12\n".getBytes(StandardCharsets.US_ASCII))
                .op('s', '.').bytes();
        Path path = archive("opcode.pth", pickle, Map.of());
        var e = assertThrows(CheckpointFormatException.class, () -> PthReader.read(path));
        assertMessage(e, path.toString(), "archive/data.pkl", "byte 9", "unsupported pickle opcode INT (0x49)");
    }

    @Test
    void unsupportedStorageTypeIsNamed() throws IOException {
        Path path = archive("int8.pth", oneTensor("CharStorage", 6, 2, 3), Map.of("0", new byte[6]));
        var e = assertThrows(CheckpointFormatException.class, () -> PthReader.read(path));
        assertMessage(e, path.toString(), "torch.CharStorage", "not supported");
    }

    @Test
    void truncatedPickleIsNamed() throws IOException {
        byte[] pickle = oneTensor("FloatStorage", 6, 2, 3);
        Path path = archive("cutpickle.pth", Arrays.copyOf(pickle, pickle.length - 2), Map.of("0", floats(0, 1, 2, 3, 4, 5)));
        var e = assertThrows(CheckpointFormatException.class, () -> PthReader.read(path));
        assertMessage(e, path.toString(), "without a STOP opcode");
    }

    @Test
    void severalStateDictsAreListed() throws IOException {
        byte[] pickle = new Pickle().op(0x80, 2).op('}')
                .str("ema").op('}').str("w").tensor("FloatStorage", "0", 6, 2, 3).op('s', 's')
                .str("weights").op('}').str("w").tensor("FloatStorage", "0", 6, 2, 3).op('s', 's')
                .op('.').bytes();
        Path path = archive("two.pth", pickle, Map.of("0", floats(0, 1, 2, 3, 4, 5)));
        var e = assertThrows(CheckpointFormatException.class, () -> PthReader.stateDict(path));
        assertMessage(e, path.toString(), "several state dicts", "[ema, weights]");
        assertEquals(6, PthReader.stateDict(path, "weights").get("w").numel());
        var missing = assertThrows(CheckpointFormatException.class, () -> PthReader.stateDict(path, "model"));
        assertMessage(missing, "no key 'model'", "[ema, weights]");
    }

    @Test
    void stateDictsRefusesToWritePth() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> StateDicts.save(dir.resolve("out.pth"), Map.of("w", Tensor.zeros(2))));
        assertMessage(e, "out.pth", "safetensors");
    }

    @Test
    void stateDictsNamesAnUnknownFormat() throws IOException {
        Path path = Files.writeString(dir.resolve("weights.dat"), "0123456789abcdef");
        var e = assertThrows(CheckpointFormatException.class, () -> StateDicts.load(path));
        assertMessage(e, path.toString(), "neither a safetensors file nor a PyTorch zip archive");
    }
}
