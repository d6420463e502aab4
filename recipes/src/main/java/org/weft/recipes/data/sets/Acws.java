package org.weft.recipes.data.sets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * ACWS, the Apparel Classification with Style dataset (Bossard et al., ACCV 2012): 15 clothing classes, images in
 * {@code images/<folderKey>/<id>.jpg}, the splits in {@code train.txt} and {@code test.txt} (one
 * {@code <folderKey>/<id>} a line, without {@code .jpg}), and {@code labels.json} mapping each folder key to its
 * class name.
 *
 * <p>{@code labels.json} is not strict JSON, so it is read leniently: keys without quotes, strings in single
 * quotes, a trailing comma before a closing brace, and comments ({@code //}, {@code /* *}{@code /} and {@code #}) are
 * accepted, and so is a file that lists the {@code key: 'name'} pairs without the surrounding braces. Anything
 * else that is not JSON (a value that is not a string, a missing colon) is an error with the line and column.
 * A key given twice is an error; two keys may name the same class. Classes are the distinct names sorted as {@link String#compareTo} sorts
 * them, the order ImageFolder gives when the images are copied into one folder per class name.
 */
public final class Acws extends SingleLabelImages {

    /** The two published splits. */
    public enum Split {
        TRAIN, TEST;

        String listFile() {
            return name().toLowerCase(Locale.ROOT) + ".txt";
        }
    }

    private Acws(Path[] files, int[] labels, List<String> classes) {
        super(files, labels, classes);
    }

    /** Reads {@code labels.json} and the list of {@code split} under {@code root}; no image is decoded yet. */
    public static Acws load(Path root, Split split) throws IOException {
        Map<String, String> classOfKey = readLabels(root.resolve("labels.json"));
        List<String> classes = new ArrayList<>(new TreeSet<>(classOfKey.values()));
        Map<String, Integer> classIndex = new HashMap<>();
        for (String name : classes) {
            classIndex.put(name, classIndex.size());
        }
        Path list = root.resolve(split.listFile());
        if (!Files.isRegularFile(list)) {
            throw new NoSuchFileException(list.toString(), null, "split list not found");
        }
        List<String> lines = Files.readAllLines(list, StandardCharsets.UTF_8);
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String entry = lines.get(i).strip();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            if (slash <= 0 || slash == entry.length() - 1) {
                throw new IOException(list + ":" + (i + 1) + ": expected <folderKey>/<id>, got '" + entry + "'");
            }
            String key = entry.substring(0, slash);
            String name = classOfKey.get(key);
            if (name == null) {
                throw new IOException(list + ":" + (i + 1) + ": folder key '" + key + "' is not in "
                        + root.resolve("labels.json") + " (which has " + classOfKey.size() + " keys)");
            }
            files.add(root.resolve("images").resolve(entry + ".jpg"));
            labels.add(classIndex.get(name));
        }
        int[] labelArray = new int[labels.size()];
        for (int i = 0; i < labelArray.length; i++) {
            labelArray[i] = labels.get(i);
        }
        return new Acws(files.toArray(Path[]::new), labelArray, classes);
    }

    private static final JsonMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES, JsonReadFeature.ALLOW_SINGLE_QUOTES,
                    JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_JAVA_COMMENTS,
                    JsonReadFeature.ALLOW_YAML_COMMENTS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Folder key to class name, in file order. */
    static Map<String, String> readLabels(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "labels file not found");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        // Without the braces the pairs would not parse; added on their own lines, line numbers shift by one.
        char first = firstSignificant(text);
        boolean wrapped = first != '{' && first != '[';
        JsonNode root;
        try {
            root = LENIENT.readTree(wrapped ? "{\n" + text + "\n}" : text);
        } catch (JacksonException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr() - (wrapped ? 1 : 0);
            throw new IOException(file + (line > 0 ? ":" + line : "") + ": expected an object of folder key: 'class name'"
                    + " pairs: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw new IOException(file + ": expected an object of folder key: 'class name' pairs, got "
                    + (root == null ? "nothing" : root.isObject() ? "an empty object" : root.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            if (!entry.getValue().isTextual() || entry.getValue().asText().isBlank()) {
                throw new IOException(file + ": the value of key '" + entry.getKey() + "' should be a class name,"
                        + " got " + entry.getValue());
            }
            labels.put(entry.getKey(), entry.getValue().asText());
        }
        return labels;
    }

    /** The first character that is not white space or inside a comment, or 0 when there is none. */
    private static char firstSignificant(String text) {
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (text.startsWith("//", i) || c == '#') {
                int end = text.indexOf('\n', i);
                i = end < 0 ? text.length() : end + 1;
            } else if (text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? text.length() : end + 2;
            } else {
                return c;
            }
        }
        return 0;
    }
}
