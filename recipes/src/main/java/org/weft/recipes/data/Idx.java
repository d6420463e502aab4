package org.weft.recipes.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader for the IDX format of MNIST and Fashion-MNIST: a big-endian uint32 magic whose
 * low byte is the number of dimensions and whose next byte is the element type, then one
 * big-endian uint32 per dimension, then the elements. Only unsigned bytes (type 0x08) are
 * used by these datasets and only they are read. Files ending in .gz are decompressed.
 */
public final class Idx {

    /** The dimensions and the raw unsigned bytes of one IDX file. */
    public record Array(int[] dims, byte[] data) {
    }

    private static final int UNSIGNED_BYTE = 0x08;

    private Idx() {
    }

    /** Reads {@code path}, checking it has {@code expectedRank} dimensions. */
    public static Array read(Path path, int expectedRank) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
             DataInputStream in = new DataInputStream(path.toString().endsWith(".gz")
                     ? new BufferedInputStream(new GZIPInputStream(raw), 1 << 16) : raw)) {
            int magic;
            try {
                magic = in.readInt();
            } catch (EOFException e) {
                throw new IOException(path + ": not an IDX file: shorter than its 4-byte magic");
            }
            int type = (magic >>> 8) & 0xff;
            int rank = magic & 0xff;
            if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE) {
                throw new IOException(String.format("%s: not an unsigned-byte IDX file: magic 0x%08x, expected 0x%08x",
                        path, magic, (UNSIGNED_BYTE << 8) | expectedRank));
            }
            if (rank != expectedRank) {
                throw new IOException(path + ": expected an IDX file with " + expectedRank + " dimensions, got " + rank);
            }
            int[] dims = new int[rank];
            long count = 1;
            for (int d = 0; d < rank; d++) {
                try {
                    dims[d] = in.readInt();
                } catch (EOFException e) {
                    throw new IOException(path + ": truncated header: dimension " + d + " of " + rank + " missing");
                }
                if (dims[d] < 0) {
                    throw new IOException(path + ": dimension " + d + " is negative (" + Integer.toUnsignedString(dims[d])
                            + " as unsigned is too large)");
                }
                count *= dims[d];
            }
            if (count > Integer.MAX_VALUE - 8) {
                throw new IOException(path + ": " + count + " elements do not fit in one array");
            }
            byte[] data = new byte[(int) count];
            int read = in.readNBytes(data, 0, data.length);
            if (read != data.length) {
                throw new IOException(path + ": truncated: header promises " + count + " elements, file has " + read);
            }
            if (in.read() != -1) {
                throw new IOException(path + ": trailing bytes after the " + count + " elements the header promises");
            }
            return new Array(dims, data);
        }
    }
}
