package org.weft.tensor.cuda;

import java.util.Locale;

/** Byte counts as people read them in error messages: "6.00 MiB". */
final class ByteSizes {

    static final long KIB = 1024;
    static final long MIB = 1024 * KIB;
    static final long GIB = 1024 * MIB;

    private ByteSizes() {
    }

    static String format(long bytes) {
        if (bytes < KIB) {
            return bytes + " bytes";
        }
        if (bytes < MIB) {
            return String.format(Locale.ROOT, "%.2f KiB", bytes / (double) KIB);
        }
        if (bytes < GIB) {
            return String.format(Locale.ROOT, "%.2f MiB", bytes / (double) MIB);
        }
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) GIB);
    }
}
