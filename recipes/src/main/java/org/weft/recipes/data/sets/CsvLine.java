package org.weft.recipes.data.sets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splitter of one CSV line into fields as RFC 4180 writes them: fields separated by commas, a field in double
 * quotes may hold commas, and {@code ""} inside quotes is one quote. Unquoted fields are trimmed of surrounding
 * spaces; quoted ones are kept exactly. A field spanning several lines is not supported.
 */
final class CsvLine {

    private CsvLine() {
    }

    /** The fields of {@code line}, which is line {@code lineNumber} of {@code file} (for the error message). */
    static List<String> split(String line, Path file, int lineNumber) throws IOException {
        List<String> fields = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            if (i < n && line.charAt(i) == '"') {
                StringBuilder field = new StringBuilder();
                int open = i++;
                while (true) {
                    if (i >= n) {
                        throw new IOException(file + ":" + lineNumber + ": the quote opened at column " + (open + 1)
                                + " is not closed (a field spanning lines is not supported)");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                while (i < n && line.charAt(i) == ' ') {
                    i++;
                }
                if (i < n && line.charAt(i) != ',') {
                    throw new IOException(file + ":" + lineNumber + ": expected a comma after the quoted field ending at column "
                            + i + ", got '" + line.charAt(i) + "'");
                }
                fields.add(field.toString());
            } else {
                int comma = line.indexOf(',', i);
                int end = comma < 0 ? n : comma;
                String field = line.substring(i, end).strip();
                if (field.indexOf('"') >= 0) {
                    throw new IOException(file + ":" + lineNumber + ": a quote inside the unquoted field '" + field
                            + "' (quote the whole field and double the quote)");
                }
                fields.add(field);
                i = end;
            }
            if (i >= n) {
                return fields;
            }
            i++; // the comma
        }
    }
}
