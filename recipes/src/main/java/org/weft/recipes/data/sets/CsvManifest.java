package org.weft.recipes.data.sets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.weft.recipes.data.Image;
import org.weft.recipes.data.Sample;

/**
 * A dataset listed in a CSV file {@code path,label[,label...]}, for any dataset without a loader of its own.
 * Paths are relative to an image root (absolute ones are kept). Fields follow RFC 4180 ({@link CsvLine}); blank
 * lines are skipped; the file is UTF-8, with or without a byte-order mark.
 *
 * <p>The number of fields on the first line decides the task:
 * <ul>
 * <li>two fields: single-label. The first line is a header when its first field is {@code path} (in any case),
 *     and is otherwise the first example. If every label is a whole number, labels are class indices
 *     {@code 0..max} and the classes are named {@code "0", "1", ...}; otherwise every label is a class name
 *     (so {@code 3} and {@code cat} in one file are two names) and the classes are the distinct names sorted as
 *     {@link String#compareTo} sorts them, as ImageFolder sorts folders.</li>
 * <li>three or more fields: multi-label. The first line must be a header {@code path,<label>,<label>,...} naming
 *     the labels in order; every other line gives 0 or 1 for each.</li>
 * </ul>
 */
public final class CsvManifest extends ListedImages {

    private final int[] labels;
    private final float[][] targets;

    private CsvManifest(Path[] files, List<String> classes, int[] labels, float[][] targets) {
        super(files, classes);
        this.labels = labels;
        this.targets = targets;
    }

    /** Reads and checks the manifest {@code csvFile}; images are read from {@code imageRoot} when asked for. */
    public static CsvManifest load(Path csvFile, Path imageRoot) throws IOException {
        List<String> lines = Files.readAllLines(csvFile, StandardCharsets.UTF_8);
        List<List<String>> rows = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = i == 0 && lines.get(0).startsWith("\uFEFF") ? lines.get(0).substring(1) : lines.get(i);
            if (!line.isBlank()) {
                rows.add(CsvLine.split(line, csvFile, i + 1));
                lineNumbers.add(i + 1);
            }
        }
        if (rows.isEmpty()) {
            throw new IOException(csvFile + ": empty manifest: expected lines path,label[,label...]");
        }
        int width = rows.get(0).size();
        if (width < 2) {
            throw new IOException(csvFile + ":" + lineNumbers.get(0) + ": expected path,label[,label...], got one field '"
                    + rows.get(0).get(0) + "'");
        }
        return width == 2 ? singleLabel(csvFile, imageRoot, rows, lineNumbers)
                : multiLabel(csvFile, imageRoot, rows, lineNumbers);
    }

    private static CsvManifest singleLabel(Path csv, Path root, List<List<String>> rows, List<Integer> lineNumbers)
            throws IOException {
        int first = rows.get(0).get(0).equalsIgnoreCase("path") ? 1 : 0;
        int n = rows.size() - first;
        if (n == 0) {
            throw new IOException(csv + ": the manifest has a header but no example");
        }
        Path[] files = new Path[n];
        String[] names = new String[n];
        boolean allIndices = true;
        for (int r = 0; r < n; r++) {
            List<String> row = rows.get(first + r);
            int line = lineNumbers.get(first + r);
            checkWidth(csv, line, row, 2, "path,label");
            files[r] = imageFile(csv, line, root, row.get(0));
            names[r] = row.get(1);
            if (names[r].isEmpty()) {
                throw new IOException(csv + ":" + line + ": empty label: expected a class name or index");
            }
            allIndices &= names[r].matches("-?[0-9]+");
        }
        int[] labels = new int[n];
        List<String> classes = new ArrayList<>();
        if (allIndices) {
            int max = -1;
            for (int r = 0; r < n; r++) {
                long value = Long.parseLong(names[r]);
                if (value < 0 || value > Integer.MAX_VALUE - 8) {
                    throw new IOException(csv + ":" + lineNumbers.get(first + r) + ": class index " + names[r]
                            + " is outside 0.." + (Integer.MAX_VALUE - 9));
                }
                labels[r] = (int) value;
                max = Math.max(max, labels[r]);
            }
            for (int c = 0; c <= max; c++) {
                classes.add(Integer.toString(c));
            }
        } else {
            classes.addAll(new TreeSet<>(List.of(names)));
            Map<String, Integer> index = new HashMap<>();
            for (String name : classes) {
                index.put(name, index.size());
            }
            for (int r = 0; r < n; r++) {
                labels[r] = index.get(names[r]);
            }
        }
        return new CsvManifest(files, classes, labels, null);
    }

    private static CsvManifest multiLabel(Path csv, Path root, List<List<String>> rows, List<Integer> lineNumbers)
            throws IOException {
        List<String> header = rows.get(0);
        int headerLine = lineNumbers.get(0);
        List<String> names = header.subList(1, header.size());
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (name.isEmpty()) {
                throw new IOException(csv + ":" + headerLine + ": a manifest with " + names.size()
                        + " label columns needs a header path,<label>,... naming them; got an empty label name");
            }
            if (name.equals("0") || name.equals("1")) {
                throw new IOException(csv + ":" + headerLine + ": a manifest with " + names.size()
                        + " label columns needs a header path,<label>,... naming them; got the row " + String.join(",", header));
            }
            if (!seen.add(name)) {
                throw new IOException(csv + ":" + headerLine + ": label names must be distinct, '" + name + "' appears twice");
            }
        }
        int n = rows.size() - 1;
        Path[] files = new Path[n];
        float[][] targets = new float[n][names.size()];
        for (int r = 0; r < n; r++) {
            List<String> row = rows.get(1 + r);
            int line = lineNumbers.get(1 + r);
            checkWidth(csv, line, row, header.size(), "path and " + names.size() + " labels");
            files[r] = imageFile(csv, line, root, row.get(0));
            for (int k = 0; k < names.size(); k++) {
                String value = row.get(1 + k);
                if (value.equals("1")) {
                    targets[r][k] = 1;
                } else if (!value.equals("0")) {
                    throw new IOException(csv + ":" + line + ": label '" + names.get(k) + "' (field " + (k + 2)
                            + ") should be 0 or 1, got '" + value + "'");
                }
            }
        }
        return new CsvManifest(files, names, null, targets);
    }

    private static void checkWidth(Path csv, int line, List<String> row, int width, String what) throws IOException {
        if (row.size() != width) {
            throw new IOException(csv + ":" + line + ": expected " + width + " fields (" + what + "), got " + row.size());
        }
    }

    private static Path imageFile(Path csv, int line, Path root, String path) throws IOException {
        if (path.isEmpty()) {
            throw new IOException(csv + ":" + line + ": empty image path");
        }
        return root.resolve(path);
    }

    @Override
    public boolean isMultiLabel() {
        return targets != null;
    }

    @Override
    Sample sample(int index, Image image) {
        return targets != null ? Sample.multiLabel(image, targets[index].clone()) : Sample.of(image, labels[index]);
    }
}
