package org.weft.recipes.data.sets;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reader of the list files of DeepFashion: line 1 holds the number of entries, line 2 the column names, then one
 * entry per line with columns separated by runs of spaces. The count and the column names are checked, so a
 * truncated or swapped file is reported instead of read as a smaller dataset.
 */
final class CountedList {

    /** Receives each entry line with its 1-based line number in the file. */
    @FunctionalInterface
    interface RowReader {
        void row(String line, int lineNumber) throws IOException;
    }

    private CountedList() {
    }

    /**
     * Reads {@code file}, checking that line 2 holds the column names {@code header} (separated by any spaces) and
     * that the count on line 1 equals the number of entry lines; blank lines after the last entry are ignored.
     * Returns the number of entries.
     */
    static int read(Path file, String header, RowReader rows) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "list file not found");
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String countLine = in.readLine();
            if (countLine == null) {
                throw new IOException(file + ":1: expected the number of entries, got an empty file");
            }
            int count;
            try {
                count = Integer.parseInt(countLine.strip());
            } catch (NumberFormatException e) {
                throw new IOException(file + ":1: expected the number of entries, got '" + countLine.strip() + "'");
            }
            String headerLine = in.readLine();
            if (headerLine == null || !String.join(" ", tokens(headerLine)).equals(header)) {
                throw new IOException(file + ":2: expected the column names '" + header + "', got "
                        + (headerLine == null ? "the end of the file" : "'" + headerLine.strip() + "'"));
            }
            int entries = 0;
            int blankFrom = 0;
            int lineNumber = 2;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    blankFrom = blankFrom == 0 ? lineNumber : blankFrom;
                    continue;
                }
                if (blankFrom != 0) {
                    throw new IOException(file + ":" + blankFrom + ": blank line before the entry on line " + lineNumber);
                }
                entries++;
                if (entries > count) {
                    throw new IOException(file + ":" + lineNumber + ": entry " + entries + " but line 1 announces "
                            + count + " entries");
                }
                rows.row(line, lineNumber);
            }
            if (entries != count) {
                throw new IOException(file + ":" + (lineNumber + 1) + ": the file ends after " + entries
                        + " entries but line 1 announces " + count);
            }
            return count;
        }
    }

    /** The columns of {@code line}: the text between runs of spaces or tabs. */
    static String[] tokens(String line) {
        String stripped = line.strip();
        return stripped.isEmpty() ? new String[0] : stripped.split("[ \t]+");
    }
}
