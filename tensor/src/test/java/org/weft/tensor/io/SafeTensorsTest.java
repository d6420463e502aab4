package org.weft.tensor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.NDArray;
import org.weft.tensor.Shape;
import org.weft.tensor.Storage;
import org.weft.tensor.cpu.CpuStorage;

/**
 * The safetensors reader and writer: lossless round trips, the byte layout of the format
 * checked against bytes written by hand from the specification, and a clear error naming
 * the file for every way a file can be malformed.
 */
class SafeTensorsTest {

    @TempDir
    Path dir;

    // ------------------------------------------------------------ helpers

    /** A file as the specification lays it out: u64 little-endian header length, header, data. */
    private static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        return b.putLong(h.length).put(h).put(data).array();
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private Path save(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static NDArray halfBits(DType dtype, short... bits) {
        return NDArray.fromStorage(new CpuStorage(dtype, bits.clone()), Shape.of(bits.length), new int[] {1}, 0);
    }

    /** The raw elements of a contiguous CPU array, for bit-exact comparison. */
    private static Object raw(NDArray a) {
        NDArray c = a.contiguous();
        Object array = ((CpuStorage) c.storage()).array();
        int n = c.numel();
        int from = c.offset();
        return switch (c.dtype()) {
            case F32 -> java.util.Arrays.copyOfRange((float[]) array, from, from + n);
            case F64 -> java.util.Arrays.copyOfRange((double[]) array, from, from + n);
            case I64 -> java.util.Arrays.copyOfRange((long[]) array, from, from + n);
            case I32 -> java.util.Arrays.copyOfRange((int[]) array, from, from + n);
            case U8, BOOL -> java.util.Arrays.copyOfRange((byte[]) array, from, from + n);
            case BF16, F16 -> java.util.Arrays.copyOfRange((short[]) array, from, from + n);
        };
    }

    private static void assertSameArray(NDArray expected, NDArray actual, String what) {
        assertEquals(expected.dtype(), actual.dtype(), what + " dtype");
        assertEquals(expected.shape(), actual.shape(), what + " shape");
        Object e = raw(expected);
        Object a = raw(actual);
        // Arrays.equals on float[]/double[] compares bits (NaN equal to itself, -0 unequal to 0).
        boolean same = switch (expected.dtype()) {
            case F32 -> java.util.Arrays.equals((float[]) e, (float[]) a);
            case F64 -> java.util.Arrays.equals((double[]) e, (double[]) a);
            case I64 -> java.util.Arrays.equals((long[]) e, (long[]) a);
            case I32 -> java.util.Arrays.equals((int[]) e, (int[]) a);
            case U8, BOOL -> java.util.Arrays.equals((byte[]) e, (byte[]) a);
            case BF16, F16 -> java.util.Arrays.equals((short[]) e, (short[]) a);
        };
        assertTrue(same, what + ": elements differ: " + expected + " vs " + actual);
    }

    /** Asserts that reading {@code p} fails with a message naming the file and containing {@code problem}. */
    private static SafeTensors.MalformedFileException assertMalformed(Path p, String problem) {
        SafeTensors.MalformedFileException e = assertThrows(SafeTensors.MalformedFileException.class,
                () -> SafeTensors.read(p));
        assertTrue(e.getMessage().startsWith(p + ": not a valid safetensors file: "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), "expected '" + problem + "' in: " + e.getMessage());
        return e;
    }

    private static final String F32_2 = "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":";

    // ------------------------------------------------------------ round trips

    @Test
    void everyDtypeRoundTripsBitForBit() throws IOException {
        Map<String, NDArray> t = new LinkedHashMap<>();
        t.put("f32", NDArray.of(new float[] {0f, -0f, 1.5f, Float.NaN, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE, Float.intBitsToFloat(0x7fa00001)}, 3, 3));
        t.put("f64", NDArray.of(new double[] {-0.0, Math.PI, Double.NaN, Double.MIN_VALUE, -Double.MAX_VALUE}, 5));
        t.put("i64", NDArray.of(new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE, 0x0102030405060708L}, 2, 3));
        t.put("i32", NDArray.of(new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}, 4));
        byte[] u8 = new byte[256];
        for (int i = 0; i < 256; i++) {
            u8[i] = (byte) i;
        }
        t.put("u8", NDArray.ofUnsignedBytes(u8, 16, 16));
        t.put("bool", NDArray.of(new boolean[] {true, false, false, true, true}, 5));
        t.put("bf16", halfBits(DType.BF16, (short) 0x3f80, (short) 0x8000, (short) 0x7fc0, (short) 0xff80,
                (short) 0x0001, (short) 0x7f7f));
        t.put("f16", halfBits(DType.F16, (short) 0x3c00, (short) 0x8000, (short) 0x7e00, (short) 0xfc00,
                (short) 0x0001, (short) 0x7bff, (short) 0x0400));
        Path p = dir.resolve("all.safetensors");
        SafeTensors.write(p, t);
        Map<String, NDArray> back = SafeTensors.read(p);
        assertEquals(List.copyOf(t.keySet()), List.copyOf(back.keySet()), "names in file order");
        for (String name : t.keySet()) {
            assertSameArray(t.get(name), back.get(name), name);
        }
        try (SafeTensors.Reader r = SafeTensors.open(p)) {
            assertEquals(Map.of(), r.metadata());
        }
    }

    @Test
    void zeroDimensionalAndEmptyTensorsRoundTrip() throws IOException {
        Map<String, NDArray> t = new LinkedHashMap<>();
        t.put("scalar", NDArray.scalar(2.5, DType.F64));
        t.put("empty", NDArray.zeros(DType.F32, 0, 3));
        t.put("empty_i64", NDArray.zeros(DType.I64, 4, 0));
        t.put("scalar_bool", NDArray.scalar(1, DType.BOOL));
        t.put("nothing", NDArray.zeros(DType.U8, 0));
        Path p = dir.resolve("edge.safetensors");
        SafeTensors.write(p, t);
        Map<String, NDArray> back = SafeTensors.read(p);
        for (String name : t.keySet()) {
            assertSameArray(t.get(name), back.get(name), name);
        }
        assertEquals(Shape.SCALAR, back.get("scalar").shape());
        assertEquals(2.5, back.get("scalar").item());
    }

    @Test
    void nonContiguousArraysAreWrittenInRowMajorOrder() throws IOException {
        NDArray m = NDArray.arange(0, 12, 1, DType.F32).reshape(3, 4);
        Map<String, NDArray> t = new LinkedHashMap<>();
        t.put("transposed", m.t());
        t.put("every_other_column", m.slice(1, 0, 4, 2));
        t.put("narrowed_with_offset", m.narrow(0, 1, 2));
        t.put("expanded", NDArray.of(new long[] {7, 8}, 2, 1).expand(2, 3));
        t.put("permuted", NDArray.arange(0, 24, 1, DType.F64).reshape(2, 3, 4).permute(2, 0, 1));
        Path p = dir.resolve("views.safetensors");
        SafeTensors.write(p, t);
        Map<String, NDArray> back = SafeTensors.read(p);
        assertArrayEquals(new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, back.get("transposed").toFloatArray());
        assertArrayEquals(new int[] {4, 3}, back.get("transposed").dims());
        assertArrayEquals(new float[] {0, 2, 4, 6, 8, 10}, back.get("every_other_column").toFloatArray());
        assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9, 10, 11}, back.get("narrowed_with_offset").toFloatArray());
        assertArrayEquals(new long[] {7, 7, 7, 8, 8, 8}, back.get("expanded").toLongArray());
        double[] permuted = back.get("permuted").toDoubleArray();
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(i * 12 + j * 4 + k, permuted[k * 6 + i * 3 + j]);
                }
            }
        }
        // The data section holds exactly the elements: 12 + 6 + 8 floats, 6 longs, 24 doubles.
        try (SafeTensors.Reader r = SafeTensors.open(p)) {
            assertEquals(26 * 4 + 6 * 8 + 24 * 8, r.entry("permuted").end());
        }
    }

    @Test
    void metadataRoundTrips() throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("note", "ünïcødé, \"quotes\", back\\slash and\nnewline");
        meta.put("empty", "");
        Path p = dir.resolve("meta.safetensors");
        SafeTensors.write(p, Map.of("x", NDArray.ones(2)), meta);
        try (SafeTensors.Reader r = SafeTensors.open(p)) {
            assertEquals(meta, r.metadata());
            assertEquals(List.of("x"), List.copyOf(r.names()));
        }
    }

    // ------------------------------------------------------------ the format, byte for byte

    @Test
    void writerProducesTheSpecifiedBytes() throws IOException {
        Path p = dir.resolve("spec.safetensors");
        SafeTensors.write(p, Map.of("a", NDArray.of(new float[] {1f, -2f}, 2)));
        String header = "{\"a\":" + F32_2 + "[0,8]}}";
        String padded = header + " ".repeat((8 - header.length() % 8) % 8); // data starts 8-byte aligned
        byte[] expected = file(padded, bytes(0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0));
        assertArrayEquals(expected, Files.readAllBytes(p));
    }

    @Test
    void handBuiltFileIsReadPerTheSpec() throws IOException {
        // The header lists the tensors in another order than their data, has metadata, and is not
        // padded: all allowed. Data is little-endian.
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"ints\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[16,24]},"
                + "\"floats\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                + "\"halves\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[24,26]},"
                + "\"flags\":{\"dtype\":\"BOOL\",\"shape\":[],\"data_offsets\":[26,27]}}";
        byte[] data = bytes(
                0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0x40, // 1.0f, 2.0f
                0x00, 0x00, 0x40, 0xc0, 0x00, 0x00, 0x00, 0x00, // -3.0f, 0.0f
                0x01, 0x02, 0x03, 0x04, 0xff, 0xff, 0xff, 0xff, // 0x04030201, -1
                0x00, 0x3c,                                     // f16 1.0
                0x01);                                          // true
        Path p = save("hand.safetensors", file(header, data));
        try (SafeTensors.Reader r = SafeTensors.open(p)) {
            assertEquals(List.of("ints", "floats", "halves", "flags"), List.copyOf(r.names()));
            assertEquals(Map.of("format", "pt"), r.metadata());
            assertArrayEquals(new float[] {1, 2, -3, 0}, r.get("floats").toFloatArray());
            assertArrayEquals(new int[] {2, 2}, r.get("floats").dims());
            assertArrayEquals(new long[] {0x04030201, -1}, r.get("ints").toLongArray());
            assertEquals(DType.F16, r.get("halves").dtype());
            assertEquals(1.0, r.get("halves").item());
            assertEquals(Shape.SCALAR, r.get("flags").shape());
            assertEquals(1.0, r.get("flags").item());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.get("nope"));
            assertEquals(p + ": no tensor named 'nope'; the file holds [ints, floats, halves, flags]", e.getMessage());
        }
    }

    // ------------------------------------------------------------ malformed files

    private Path twoTensorFile() throws IOException {
        Path p = dir.resolve("good.safetensors");
        Map<String, NDArray> t = new LinkedHashMap<>();
        t.put("a", NDArray.of(new float[] {1, 2, 3}, 3));
        t.put("b", NDArray.of(new long[] {4, 5}, 2));
        SafeTensors.write(p, t);
        return p;
    }

    @Test
    void truncationAtEveryByteIsCaughtWhenOpening() throws IOException {
        byte[] whole = Files.readAllBytes(twoTensorFile());
        long headerLength = ByteBuffer.wrap(whole, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        for (int cut = 0; cut < whole.length; cut++) {
            Path p = save("cut" + cut + ".safetensors", java.util.Arrays.copyOf(whole, cut));
            String problem;
            if (cut < 8) {
                problem = "the file is " + cut + " bytes, shorter than the 8-byte header length";
            } else if (cut < 8 + headerLength) {
                problem = "the header declares " + headerLength + " bytes but the file has only " + (cut - 8)
                        + " after the length (truncated file?)";
            } else {
                problem = "tensor 'b' ends at data byte 28 but the file holds only " + (cut - 8 - headerLength)
                        + " data bytes (truncated file?)";
            }
            SafeTensors.MalformedFileException e = assertThrows(SafeTensors.MalformedFileException.class,
                    () -> SafeTensors.open(p).close());
            assertEquals(p + ": not a valid safetensors file: " + problem, e.getMessage(), "cut at byte " + cut);
        }
    }

    @Test
    void headerLengthsThatCannotBeAreRejected() throws IOException {
        byte[] whole = Files.readAllBytes(twoTensorFile());
        ByteBuffer b = ByteBuffer.wrap(whole).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, whole.length);
        assertMalformed(save("long.safetensors", whole), "the header declares " + whole.length
                + " bytes but the file has only " + (whole.length - 8) + " after the length (truncated file?)");
        b.putLong(0, 1L << 40);
        assertMalformed(save("huge.safetensors", whole), "header length 1099511627776 is not between 2 and 104857600 bytes");
        b.putLong(0, -8);
        assertMalformed(save("negative.safetensors", whole), "header length -8 is not between 2 and");
    }

    @Test
    void invalidJsonNamesLineAndColumn() throws IOException {
        String header = "{\"a\": {\"dtype\": \"F32\",\n \"shape\": [2] \"data_offsets\": [0, 8]}}";
        assertMalformed(save("json.safetensors", file(header, new byte[8])),
                "the header is not valid JSON (line 2, column 15): Unexpected character ('\"' (code 34)):"
                        + " was expecting comma to separate Object entries");
        assertMalformed(save("trailing.safetensors", file("{\"a\":" + F32_2 + "[0,8]}} x", new byte[8])),
                "the header is not valid JSON (line 1, column 56): Unrecognized token 'x'");
        assertMalformed(save("array.safetensors", file("[1, 2]", new byte[0])), "the header is not a JSON object");
        // Spaces after the object are the padding the reference writer adds: fine.
        assertEquals(1, SafeTensors.read(save("padded.safetensors", file("{\"a\":" + F32_2 + "[0,8]}}   ",
                new byte[8]))).size());
    }

    @Test
    void headerThatIsNotUtf8IsRejected() throws IOException {
        byte[] f = file("{\"a\":" + F32_2 + "[0,8]}}", new byte[8]);
        f[10] = (byte) 0xff; // inside the name "a"
        assertMalformed(save("utf8.safetensors", f), "the header is not valid UTF-8 (header byte 2)");
    }

    @Test
    void duplicateTensorNamesAreRejected() throws IOException {
        String header = "{\"a\":" + F32_2 + "[0,8]},\"a\":" + F32_2 + "[8,16]}}";
        assertMalformed(save("dup.safetensors", file(header, new byte[16])), "the header is not valid JSON (line 1, column 58): Duplicate field 'a'");
    }

    @Test
    void unknownDtypeIsRejected() throws IOException {
        String header = "{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}";
        assertMalformed(save("dtype.safetensors", file(header, new byte[2])),
                "tensor 'a': unsupported safetensors dtype 'F8_E4M3'; expected one of F32, F64, I64, I32, U8, BOOL, BF16, F16");
    }

    @Test
    void offsetsThatDisagreeWithTheShapeAreRejected() throws IOException {
        assertMalformed(save("span.safetensors", file("{\"a\":" + F32_2 + "[0,4]}}", new byte[4])),
                "tensor 'a': data_offsets [0,4] span 4 bytes but F32 [2] needs 8");
        assertMalformed(save("reversed.safetensors", file("{\"a\":" + F32_2 + "[8,0]}}", new byte[8])),
                "tensor 'a' has invalid data_offsets [8,0]; expected [begin, end] with 0 <= begin <= end");
        assertMalformed(save("string.safetensors", file("{\"a\":" + F32_2 + "[\"0\",8]}}", new byte[8])),
                "tensor 'a' has invalid data_offsets");
        for (String shape : new String[] {"[-2]", "[2.0]", "[\"2\"]", "[4294967298]"}) {
            String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[0,8]}}";
            assertMalformed(save("shape.safetensors", file(header, new byte[8])),
                    "tensor 'a' has an invalid shape " + shape);
        }
        String big = "{\"a\":{\"dtype\":\"U8\",\"shape\":[65536,65536],\"data_offsets\":[0,8]}}";
        assertMalformed(save("big.safetensors", file(big, new byte[8])),
                "tensor 'a' with shape [65536,65536] has more elements than Weft supports (2147483647)");
        String notObject = "{\"a\":[1,2,3]}";
        assertMalformed(save("entry.safetensors", file(notObject, new byte[0])),
                "tensor 'a' needs \"dtype\" (string), \"shape\" (array) and \"data_offsets\" ([begin, end]); got [1,2,3]");
    }

    @Test
    void tensorsMustTileTheDataSectionExactly() throws IOException {
        String overlap = "{\"a\":" + F32_2 + "[0,8]},\"b\":" + F32_2 + "[4,12]}}";
        assertMalformed(save("overlap.safetensors", file(overlap, new byte[12])),
                "tensors 'a' (data bytes [0, 8)) and 'b' (data bytes [4, 12)) overlap");
        String same = "{\"a\":" + F32_2 + "[0,8]},\"b\":" + F32_2 + "[0,8]}}";
        assertMalformed(save("alias.safetensors", file(same, new byte[8])), "overlap");
        String inside = "{\"a\":" + F32_2 + "[0,8]},\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]}}";
        assertMalformed(save("inside.safetensors", file(inside, new byte[8])),
                "tensors 'a' (data bytes [0, 8)) and 'e' (data bytes [4, 4)) overlap");
        String gap = "{\"a\":" + F32_2 + "[0,8]},\"b\":" + F32_2 + "[12,20]}}";
        assertMalformed(save("gap.safetensors", file(gap, new byte[20])),
                "data bytes [8, 12) belong to no tensor; the tensors must cover the data section without gaps");
        String late = "{\"a\":" + F32_2 + "[4,12]}}";
        assertMalformed(save("late.safetensors", file(late, new byte[12])), "data bytes [0, 4) belong to no tensor");
        assertMalformed(save("extra.safetensors", file("{\"a\":" + F32_2 + "[0,8]}}", new byte[11])),
                "the file has 3 bytes after the last tensor's data (data bytes 8 to 11 belong to no tensor)");
        // Zero-size tensors at a boundary, and no tensors at all, are fine.
        String edges = "{\"e\":{\"dtype\":\"I64\",\"shape\":[0,5],\"data_offsets\":[8,8]},\"a\":" + F32_2 + "[0,8]}}";
        assertEquals(2, SafeTensors.read(save("edges.safetensors", file(edges, new byte[8]))).size());
        assertEquals(0, SafeTensors.read(save("none.safetensors", file("{}", new byte[0]))).size());
    }

    @Test
    void boolBytesOtherThanZeroAndOneAreRejected() throws IOException {
        String header = "{\"m\":{\"dtype\":\"BOOL\",\"shape\":[4],\"data_offsets\":[0,4]}}";
        Path p = save("bool.safetensors", file(header, bytes(0, 1, 2, 1)));
        try (SafeTensors.Reader r = SafeTensors.open(p)) {
            SafeTensors.MalformedFileException e = assertThrows(SafeTensors.MalformedFileException.class,
                    () -> r.get("m"));
            assertEquals(p + ": not a valid safetensors file: tensor 'm' is BOOL but element 2 is 2", e.getMessage());
        }
    }

    @Test
    void metadataMustBeAnObjectOfStrings() throws IOException {
        assertMalformed(save("meta1.safetensors", file("{\"__metadata__\":{\"epoch\":3}}", new byte[0])),
                "__metadata__ value of 'epoch' must be a string, got 3");
        assertMalformed(save("meta2.safetensors", file("{\"__metadata__\":[\"x\"]}", new byte[0])),
                "__metadata__ must be an object of strings, got [\"x\"]");
    }

    @Test
    void writerRefusesTheReservedName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(dir.resolve("x.safetensors"), Map.of("__metadata__", NDArray.ones(1))));
        assertEquals("'__metadata__' is reserved in safetensors and cannot name a tensor", e.getMessage());
    }

    // ------------------------------------------------------------ writing safely, reading piecewise

    /** Storage that claims to live on a GPU: this build cannot copy it to the host, so writing its data fails. */
    private static final class UnreachableStorage extends Storage {
        UnreachableStorage(int length) {
            super(DType.F32, length);
        }

        @Override
        public Device device() {
            return Device.cuda(0);
        }
    }

    @Test
    void aWriteThatFailsMidwayLeavesThePreviousFileIntact() throws IOException {
        Path p = twoTensorFile();
        byte[] before = Files.readAllBytes(p);
        Map<String, NDArray> t = new LinkedHashMap<>();
        t.put("written_first", NDArray.ones(1000)); // reaches the temporary file before the failure
        t.put("unreadable", NDArray.fromStorage(new UnreachableStorage(4), Shape.of(4), new int[] {1}, 0));
        assertThrows(IllegalStateException.class, () -> SafeTensors.write(p, t));
        assertArrayEquals(before, Files.readAllBytes(p), "the previous file is untouched");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(p.getFileName().toString()), s.map(f -> f.getFileName().toString()).toList(),
                    "no temporary file is left behind");
        }
    }

    @Test
    void writtenFilesGetOrdinaryOrInheritedPermissions() throws IOException {
        Assumptions.assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"), "POSIX permissions");
        Path p = dir.resolve("perm.safetensors");
        SafeTensors.write(p, Map.of("x", NDArray.ones(2)));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        SafeTensors.write(p, Map.of("x", NDArray.ones(3)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
    }

    @Test
    void openReadsOnlyTheHeaderAndGetOnlyItsTensor() throws IOException {
        // Four 2 GiB tensors (a sparse file) and a small one: more data than the test JVM's heap,
        // so reading anything but the header and the one requested tensor would fail.
        long big = Integer.MAX_VALUE;
        StringBuilder header = new StringBuilder("{");
        for (int k = 0; k < 4; k++) {
            header.append("\"big").append(k).append("\":{\"dtype\":\"U8\",\"shape\":[").append(big)
                    .append("],\"data_offsets\":[").append(k * big).append(',').append((k + 1) * big).append("]},");
        }
        header.append("\"small\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[")
                .append(4 * big).append(',').append(4 * big + 16).append("]}}");
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        Path p = dir.resolve("sparse.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            long dataStart = 8 + h.length;
            f.setLength(dataStart + 4 * big + 16);
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
            f.write(h);
            f.seek(dataStart + 4 * big);
            f.write(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1.25).putDouble(-7).array());
        }
        try (SafeTensors.Reader r = SafeTensors.open(p)) {
            assertEquals(5, r.names().size());
            assertArrayEquals(new double[] {1.25, -7}, r.get("small").toDoubleArray());
            assertEquals(new Shape(new int[] {Integer.MAX_VALUE}), r.entry("big3").shape());
        }
    }
}
