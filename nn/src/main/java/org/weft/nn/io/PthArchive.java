package org.weft.nn.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.weft.tensor.DType;
import org.weft.tensor.cpu.CpuStorage;

/**
 * The zip archive {@code torch.save} writes: {@code <name>/data.pkl} holds the pickled object,
 * and each storage it refers to is one entry {@code <name>/data/<key>} of raw little-endian
 * elements.
 *
 * <p>Opening tells apart the files people mistake for one: not a zip at all, the legacy
 * (pre-1.6) torch format, a truncated or damaged zip, and a TorchScript archive.
 */
final class PthArchive implements AutoCloseable {

    private final Path path;
    private final ZipFile zip;
    private final String prefix;

    private PthArchive(Path path, ZipFile zip, String prefix) {
        this.path = path;
        this.zip = zip;
        this.prefix = prefix;
    }

    /** Opens {@code path} and finds its data.pkl, or says what kind of file it is instead. */
    static PthArchive open(Path path) throws IOException {
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, 4);
        }
        if (n >= 1 && (head[0] & 0xff) == 0x80) {
            throw new CheckpointFormatException(path + ": this is the legacy (pre-1.6) PyTorch format, a bare pickle,"
                    + " which Weft does not read; re-save it with torch.save(torch.load(f),"
                    + " f2, _use_new_zipfile_serialization=True)");
        }
        if (n < 4 || head[0] != 'P' || head[1] != 'K' || head[2] != 3 || head[3] != 4) {
            throw new CheckpointFormatException(path + ": not a PyTorch file: it does not start with a zip"
                    + " header (PK\\3\\4), as files written by torch.save since PyTorch 1.6 do");
        }
        ZipFile zip;
        try {
            zip = new ZipFile(path.toFile());
        } catch (ZipException e) {
            throw new CheckpointFormatException(path + ": a damaged or truncated zip archive (" + e.getMessage()
                    + "); was the file copied completely?");
        }
        try {
            return new PthArchive(path, zip, findPrefix(path, zip));
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    /** The archive's folder name: torch names it after the file, so it is found, not assumed. */
    private static String findPrefix(Path path, ZipFile zip) throws IOException {
        List<String> pickles = new ArrayList<>();
        boolean torchScript = false;
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            String name = e.nextElement().getName();
            int slash = name.indexOf('/');
            if (slash > 0 && name.indexOf('/', slash + 1) < 0) {
                String file = name.substring(slash + 1);
                if (file.equals("data.pkl")) {
                    pickles.add(name.substring(0, slash + 1));
                }
                torchScript |= file.equals("constants.pkl");
            }
        }
        if (pickles.size() != 1) {
            String what = pickles.isEmpty() ? "no <archive>/data.pkl entry" : "several data.pkl entries " + pickles;
            throw new CheckpointFormatException(path + ": a zip file but not one written by torch.save (" + what + ")"
                    + (torchScript ? "; it looks like a TorchScript archive (torch.jit.save), which Weft does not"
                    + " read: save model.state_dict() with torch.save instead" : ""));
        }
        String prefix = pickles.get(0);
        ZipEntry order = zip.getEntry(prefix + "byteorder");
        if (order != null) {
            String value;
            try (InputStream in = zip.getInputStream(order)) {
                value = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
            }
            if (!value.equals("little")) {
                throw new CheckpointFormatException(path + ": storages are stored '" + value
                        + "'-endian; Weft reads only little-endian archives");
            }
        }
        return prefix;
    }

    /** The file name, for messages. */
    Path path() {
        return path;
    }

    /** Where the pickle lives, for messages that name a byte offset in it. */
    String pickleSource() {
        return path + " (" + prefix + "data.pkl)";
    }

    /** The bytes of data.pkl. */
    byte[] pickle() throws IOException {
        return readEntry(prefix + "data.pkl");
    }

    private byte[] readEntry(String name) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new CheckpointFormatException(path + ": the archive has no entry '" + name + "'");
        }
        try (InputStream in = zip.getInputStream(e)) {
            return in.readAllBytes();
        } catch (ZipException ex) {
            throw new CheckpointFormatException(path + ": entry '" + name + "' is damaged (" + ex.getMessage() + ")");
        }
    }

    /**
     * Reads storage {@code key}: {@code numel} little-endian elements of {@code dtype}, a
     * megabyte at a time so a large storage is never held twice.
     */
    CpuStorage storage(String key, DType dtype, long numel) throws IOException {
        String name = prefix + "data/" + key;
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new CheckpointFormatException(path + ": the pickle refers to storage '" + key + "' but the archive"
                    + " has no entry '" + name + "' (an incomplete or edited archive?)");
        }
        int size = dtype.byteSize();
        if (numel < 0 || numel > Integer.MAX_VALUE) {
            throw new CheckpointFormatException(path + ": storage '" + key + "' has " + numel
                    + " elements; Weft supports 0 to " + Integer.MAX_VALUE);
        }
        if (e.getSize() >= 0 && e.getSize() != numel * size) {
            throw new CheckpointFormatException(path + ": entry '" + name + "' holds " + e.getSize() + " bytes but the"
                    + " pickle declares " + numel + " " + dtype + " elements (" + numel * size + " bytes)");
        }
        int count = (int) numel;
        CpuStorage storage = new CpuStorage(dtype, count);
        int chunk = Math.max(1, (1 << 20) / size);
        byte[] bytes = new byte[chunk * size];
        try (InputStream in = zip.getInputStream(e)) {
            for (int start = 0; start < count; start += chunk) {
                int elems = Math.min(chunk, count - start);
                int got = in.readNBytes(bytes, 0, elems * size);
                if (got < elems * size) {
                    throw new CheckpointFormatException(path + ": entry '" + name + "' ends after "
                            + ((long) start * size + got) + " of " + numel * size + " bytes (truncated?)");
                }
                decode(ByteBuffer.wrap(bytes, 0, got).order(ByteOrder.LITTLE_ENDIAN), storage, start, elems, name);
            }
        } catch (ZipException ex) {
            throw new CheckpointFormatException(path + ": entry '" + name + "' is damaged (" + ex.getMessage() + ")");
        }
        return storage;
    }

    private void decode(ByteBuffer buf, CpuStorage s, int start, int n, String name) throws CheckpointFormatException {
        switch (s.dtype()) {
            case F32 -> buf.asFloatBuffer().get(s.floats(), start, n);
            case F64 -> buf.asDoubleBuffer().get(s.doubles(), start, n);
            case I64 -> buf.asLongBuffer().get(s.longs(), start, n);
            case I32 -> buf.asIntBuffer().get(s.ints(), start, n);
            case BF16, F16 -> buf.asShortBuffer().get(s.shorts(), start, n);
            case U8, BOOL -> buf.get(s.bytes(), start, n);
        }
        if (s.dtype() == DType.BOOL) {
            byte[] b = s.bytes();
            for (int i = start; i < start + n; i++) {
                if (b[i] != 0 && b[i] != 1) {
                    throw new CheckpointFormatException(path + ": entry '" + name + "' is a bool storage but element "
                            + i + " is " + b[i]);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
