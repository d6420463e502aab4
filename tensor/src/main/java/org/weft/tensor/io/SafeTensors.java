package org.weft.tensor.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.NDArray;
import org.weft.tensor.Shape;
import org.weft.tensor.cpu.CpuStorage;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw little-endian data.
 *
 * <p>{@link #open} reads the header only and loads tensors one at a time, so a file larger
 * than memory can be read piecewise; {@link #write} streams tensors out one at a time into a
 * temporary file and renames it into place, so a crash mid-write leaves any previous file intact.
 *
 * <p>Opening checks the whole header (valid UTF-8 JSON without duplicate names, known dtypes,
 * shapes that match their byte ranges, and ranges that tile the data section exactly), so a
 * malformed or truncated file fails at once with a {@link MalformedFileException} that names
 * the file and the problem; BOOL bytes are checked as they are read.
 */
public final class SafeTensors {

    /**
     * A header naming a tensor twice, or with anything after its JSON object but spaces, is
     * malformed: a lenient parser would silently keep one of two tensors.
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** The reference implementation refuses headers above 100 MB; so do we, before allocating. */
    private static final long MAX_HEADER = 100L * 1024 * 1024;

    private SafeTensors() {
    }

    /** Reads every tensor of a file into memory, in file order. */
    public static Map<String, NDArray> read(Path path) throws IOException {
        try (Reader r = open(path)) {
            Map<String, NDArray> out = new LinkedHashMap<>();
            for (String name : r.names()) {
                out.put(name, r.get(name));
            }
            return out;
        }
    }

    /** Opens a file and parses its header; tensors are read on demand with {@link Reader#get}. */
    public static Reader open(Path path) throws IOException {
        return new Reader(path);
    }

    /** Writes tensors (contiguous or not) with no metadata. */
    public static void write(Path path, Map<String, NDArray> tensors) throws IOException {
        write(path, tensors, Map.of());
    }

    /** Writes tensors and string metadata, atomically replacing {@code path}. */
    public static void write(Path path, Map<String, NDArray> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("'__metadata__' is reserved in safetensors and cannot name a tensor");
            }
            NDArray a = e.getValue();
            long bytes = (long) a.numel() * a.dtype().byteSize();
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", a.dtype().safetensorsName());
            var shape = t.putArray("shape");
            for (int d : a.dims()) {
                shape.add(d);
            }
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
        int padded = (json.length + 7) / 8 * 8;
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
        try {
            keepPermissions(path, tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
                out.write(len.array());
                out.write(json);
                for (int i = json.length; i < padded; i++) {
                    out.write(' ');
                }
                for (NDArray a : tensors.values()) {
                    writeData(out, a);
                }
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Gives the temporary file the permissions of the file it replaces, or the usual
     * {@code rw-r--r--} for a new one: a temporary file is created private to its owner, and
     * the rename would otherwise make every checkpoint unreadable to anyone else.
     */
    private static void keepPermissions(Path target, Path tmp) throws IOException {
        if (!Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.exists(target)
                ? Files.getPosixFilePermissions(target)
                : PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(tmp, permissions);
    }

    /** Writes one array's elements in row-major order, little-endian, a chunk at a time. */
    private static void writeData(OutputStream out, NDArray a) throws IOException {
        NDArray c = a.toDevice(Device.CPU).contiguous();
        CpuStorage s = (CpuStorage) c.storage();
        int n = c.numel();
        int size = c.dtype().byteSize();
        int chunk = Math.max(1, (1 << 20) / size);
        ByteBuffer buf = ByteBuffer.allocate(chunk * size).order(ByteOrder.LITTLE_ENDIAN);
        int base = c.offset();
        for (int start = 0; start < n; start += chunk) {
            int end = Math.min(n, start + chunk);
            buf.clear();
            switch (c.dtype()) {
                case F32 -> buf.asFloatBuffer().put(s.floats(), base + start, end - start);
                case F64 -> buf.asDoubleBuffer().put(s.doubles(), base + start, end - start);
                case I64 -> buf.asLongBuffer().put(s.longs(), base + start, end - start);
                case I32 -> buf.asIntBuffer().put(s.ints(), base + start, end - start);
                case BF16, F16 -> buf.asShortBuffer().put(s.shorts(), base + start, end - start);
                case U8 -> buf.put(s.bytes(), base + start, end - start);
                case BOOL -> {
                    // Readers (ours included) refuse BOOL bytes other than 0 and 1.
                    byte[] b = s.bytes();
                    for (int i = base + start; i < base + end; i++) {
                        buf.put((byte) (b[i] != 0 ? 1 : 0));
                    }
                }
            }
            out.write(buf.array(), 0, (end - start) * size);
        }
    }

    /** An open safetensors file: the parsed header, and tensors read one at a time. */
    public static final class Reader implements AutoCloseable {

        /** One header entry. */
        public record Entry(String name, DType dtype, Shape shape, long begin, long end) {
        }

        private final Path path;
        private final FileChannel channel;
        private final long dataStart;
        private final Map<String, Entry> entries = new LinkedHashMap<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Reader(Path path) throws IOException {
            this.path = path;
            this.channel = FileChannel.open(path, StandardOpenOption.READ);
            try {
                long size = channel.size();
                if (size < 8) {
                    throw malformed("the file is " + size + " bytes, shorter than the 8-byte header length");
                }
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                readFully(len, 0);
                long headerLength = len.flip().getLong();
                if (headerLength < 2 || headerLength > MAX_HEADER) {
                    throw malformed("header length " + headerLength + " is not between 2 and " + MAX_HEADER + " bytes");
                }
                if (8 + headerLength > size) {
                    throw malformed("the header declares " + headerLength + " bytes but the file has only "
                            + (size - 8) + " after the length (truncated file?)");
                }
                ByteBuffer hb = ByteBuffer.allocate((int) headerLength);
                readFully(hb, 8);
                dataStart = 8 + headerLength;
                parseHeader(decodeUtf8(hb.flip()), size - dataStart);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        private String decodeUtf8(ByteBuffer header) throws IOException {
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(header).toString();
            } catch (CharacterCodingException e) {
                throw malformed("the header is not valid UTF-8 (header byte " + header.position() + ")");
            }
        }

        private void parseHeader(String text, long dataSize) throws IOException {
            JsonNode root;
            try {
                root = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                var loc = e.getLocation();
                throw malformed("the header is not valid JSON (line " + (loc == null ? "?" : loc.getLineNr())
                        + ", column " + (loc == null ? "?" : loc.getColumnNr()) + "): " + e.getOriginalMessage());
            }
            if (root == null || !root.isObject()) {
                throw malformed("the header is not a JSON object");
            }
            for (Map.Entry<String, JsonNode> f : root.properties()) {
                String name = f.getKey();
                JsonNode v = f.getValue();
                if (name.equals("__metadata__")) {
                    parseMetadata(v);
                } else {
                    entries.put(name, parseEntry(name, v));
                }
            }
            checkCoverage(dataSize);
        }

        private void parseMetadata(JsonNode v) throws IOException {
            if (v.isNull()) {
                return;
            }
            if (!v.isObject()) {
                throw malformed("__metadata__ must be an object of strings, got " + v);
            }
            for (Map.Entry<String, JsonNode> m : v.properties()) {
                if (!m.getValue().isTextual()) {
                    throw malformed("__metadata__ value of '" + m.getKey() + "' must be a string, got " + m.getValue());
                }
                metadata.put(m.getKey(), m.getValue().textValue());
            }
        }

        private Entry parseEntry(String name, JsonNode v) throws IOException {
            JsonNode dtype = v.get("dtype");
            JsonNode shape = v.get("shape");
            JsonNode offsets = v.get("data_offsets");
            if (!v.isObject() || dtype == null || !dtype.isTextual() || shape == null || !shape.isArray()
                    || offsets == null || !offsets.isArray() || offsets.size() != 2) {
                throw malformed("tensor '" + name + "' needs \"dtype\" (string), \"shape\" (array) and"
                        + " \"data_offsets\" ([begin, end]); got " + v);
            }
            DType type;
            try {
                type = DType.fromSafetensorsName(dtype.asText());
            } catch (IllegalArgumentException e) {
                throw malformed("tensor '" + name + "': " + e.getMessage());
            }
            int[] dims = new int[shape.size()];
            boolean empty = false;
            for (int i = 0; i < dims.length; i++) {
                JsonNode d = shape.get(i);
                if (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() < 0) {
                    throw malformed("tensor '" + name + "' has an invalid shape " + shape
                            + "; sizes are integers from 0 to " + Integer.MAX_VALUE);
                }
                dims[i] = d.intValue();
                empty |= dims[i] == 0;
            }
            long numel = 0;
            if (!empty) {
                numel = 1;
                for (int d : dims) {
                    numel *= d; // both factors are below 2^31, so the product fits a long
                    if (numel > Integer.MAX_VALUE) {
                        throw malformed("tensor '" + name + "' with shape " + shape + " has more elements than"
                                + " Weft supports (" + Integer.MAX_VALUE + ")");
                    }
                }
            }
            JsonNode b = offsets.get(0);
            JsonNode e = offsets.get(1);
            if (!b.isIntegralNumber() || !b.canConvertToLong() || !e.isIntegralNumber() || !e.canConvertToLong()
                    || b.longValue() < 0 || e.longValue() < b.longValue()) {
                throw malformed("tensor '" + name + "' has invalid data_offsets " + offsets
                        + "; expected [begin, end] with 0 <= begin <= end");
            }
            long begin = b.longValue();
            long end = e.longValue();
            if (end - begin != numel * type.byteSize()) {
                throw malformed("tensor '" + name + "': data_offsets " + offsets + " span " + (end - begin)
                        + " bytes but " + type + " " + shape + " needs " + numel * type.byteSize());
            }
            Shape parsed;
            try {
                parsed = new Shape(dims);
            } catch (IllegalArgumentException ex) {
                throw malformed("tensor '" + name + "': " + ex.getMessage());
            }
            return new Entry(name, type, parsed, begin, end);
        }

        /**
         * The format requires the tensors to tile the data section: sorted by offset, each
         * begins where the previous ends, the first at 0 and the last at the end of the file.
         * (The header may list them in any order.) So no byte is read as two tensors, and a
         * truncated or padded file is caught when it is opened rather than when it is read.
         */
        private void checkCoverage(long dataSize) throws IOException {
            List<Entry> sorted = new ArrayList<>(entries.values());
            sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
            long covered = 0;
            Entry previous = null;
            for (Entry e : sorted) {
                if (e.begin() < covered) {
                    throw malformed("tensors '" + previous.name() + "' (data bytes " + range(previous) + ") and '"
                            + e.name() + "' (data bytes " + range(e) + ") overlap");
                }
                if (e.begin() > covered) {
                    throw malformed("data bytes [" + covered + ", " + e.begin() + ") belong to no tensor; the tensors"
                            + " must cover the data section without gaps");
                }
                covered = e.end();
                previous = e;
            }
            if (covered > dataSize) {
                throw malformed("tensor '" + previous.name() + "' ends at data byte " + covered + " but the file holds"
                        + " only " + dataSize + " data bytes (truncated file?)");
            }
            if (covered < dataSize) {
                throw malformed("the file has " + (dataSize - covered) + " bytes after the last tensor's data (data"
                        + " bytes " + covered + " to " + dataSize + " belong to no tensor)");
            }
        }

        private static String range(Entry e) {
            return "[" + e.begin() + ", " + e.end() + ")";
        }

        /** The tensor names in file order. */
        public java.util.Set<String> names() {
            return java.util.Collections.unmodifiableSet(entries.keySet());
        }

        /** The header entry of a tensor, without reading its data. */
        public Entry entry(String name) {
            Entry e = entries.get(name);
            if (e == null) {
                throw new IllegalArgumentException(path + ": no tensor named '" + name + "'; the file holds "
                        + entries.keySet());
            }
            return e;
        }

        public Map<String, String> metadata() {
            return java.util.Collections.unmodifiableMap(metadata);
        }

        /** Reads one tensor into a new CPU array. */
        public NDArray get(String name) throws IOException {
            Entry e = entry(name);
            NDArray a = NDArray.zeros(e.dtype(), e.shape().dims());
            CpuStorage s = (CpuStorage) a.storage();
            int n = a.numel();
            int size = e.dtype().byteSize();
            int chunk = Math.max(1, (1 << 20) / size);
            ByteBuffer buf = ByteBuffer.allocate(chunk * size).order(ByteOrder.LITTLE_ENDIAN);
            for (int start = 0; start < n; start += chunk) {
                int count = Math.min(chunk, n - start);
                buf.clear().limit(count * size);
                readFully(buf, dataStart + e.begin() + (long) start * size);
                buf.flip();
                switch (e.dtype()) {
                    case F32 -> buf.asFloatBuffer().get(s.floats(), start, count);
                    case F64 -> buf.asDoubleBuffer().get(s.doubles(), start, count);
                    case I64 -> buf.asLongBuffer().get(s.longs(), start, count);
                    case I32 -> buf.asIntBuffer().get(s.ints(), start, count);
                    case BF16, F16 -> buf.asShortBuffer().get(s.shorts(), start, count);
                    case U8, BOOL -> buf.get(s.bytes(), start, count);
                }
            }
            if (e.dtype() == DType.BOOL) {
                byte[] b = s.bytes();
                for (int i = 0; i < n; i++) {
                    if (b[i] != 0 && b[i] != 1) {
                        throw malformed("tensor '" + name + "' is BOOL but element " + i + " is " + b[i]);
                    }
                }
            }
            return a;
        }

        private void readFully(ByteBuffer buf, long position) throws IOException {
            long pos = position;
            while (buf.hasRemaining()) {
                int r = channel.read(buf, pos);
                if (r < 0) {
                    throw malformed("unexpected end of file at byte " + pos);
                }
                pos += r;
            }
        }

        private IOException malformed(String what) {
            return new MalformedFileException(path + ": not a valid safetensors file: " + what);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** A file that is not valid safetensors; the message names the file and what is wrong. */
    public static final class MalformedFileException extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedFileException(String message) {
            super(message);
        }
    }
}
