package org.weft.recipes.data.sets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.weft.recipes.data.Image;
import org.weft.recipes.data.Sample;

/**
 * The DeepFashion Category and Attribute Prediction Benchmark, read from the folder it unpacks to
 * ({@code Anno/}, {@code Eval/}, {@code img/}), for one of its two tasks and one split of
 * {@code Eval/list_eval_partition.txt}:
 * <ul>
 * <li>{@link Task#CATEGORY}: single-label over the 50 categories of {@code Anno/list_category_cloth.txt} (in file
 *     order; only 46 occur in images), labels from {@code Anno/list_category_img.txt}, which counts from 1 and is
 *     shifted to count from 0;</li>
 * <li>{@link Task#ATTRIBUTES}: multi-label over the 1000 attributes of {@code Anno/list_attr_cloth.txt} (names may
 *     contain spaces; the type is the last column), targets from {@code Anno/list_attr_img.txt}, whose values are
 *     1 (present), -1 (absent) and 0 (unknown). The multi-hot target has 1 for present and 0 for both absent and
 *     unknown, the usual reading of these labels; {@link #isKnown} tells the two apart for a masked loss.</li>
 * </ul>
 * Optionally each image is cropped to its box in {@code Anno/list_bbox.txt} ({@code x_1 y_1 x_2 y_2} in pixels, the
 * right and bottom edges excluded as in PIL's {@code crop}, clipped to the image). Every list file is checked
 * against its count line and column names ({@link CountedList}); a malformed line is reported with its file and
 * number. Attribute targets are kept as bits, 250 bytes an image, so the whole training split fits in memory.
 */
public final class DeepFashion extends ListedImages {

    /** Which annotation the examples carry. */
    public enum Task {
        CATEGORY, ATTRIBUTES
    }

    /** The evaluation status of {@code Eval/list_eval_partition.txt}. */
    public enum Split {
        TRAIN, VAL, TEST;

        /** The word the partition file uses. */
        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Task task;
    private final List<Integer> classTypes;
    private final int[] categories;
    private final long[] present;
    private final long[] known;
    private final int words;
    private final int[] boxes;

    private DeepFashion(Path[] files, List<String> classes, List<Integer> classTypes, Task task, int[] categories,
            long[] present, long[] known, int[] boxes) {
        super(files, classes);
        this.task = task;
        this.classTypes = List.copyOf(classTypes);
        this.categories = categories;
        this.present = present;
        this.known = known;
        this.words = (classes.size() + 63) / 64;
        this.boxes = boxes;
    }

    /** Reads the lists of {@code root} for {@code task} and keeps the images of {@code split}. */
    public static DeepFashion load(Path root, Task task, Split split, boolean cropToBox) throws IOException {
        Partition partition = Partition.read(root.resolve("Eval/list_eval_partition.txt"), split);
        int n = partition.names.size();
        Path[] files = new Path[n];
        for (int i = 0; i < n; i++) {
            files[i] = root.resolve(partition.names.get(i));
        }
        List<String> classes = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        int[] categories = null;
        long[] present = null;
        long[] known = null;
        if (task == Task.CATEGORY) {
            readClasses(root.resolve("Anno/list_category_cloth.txt"), "category_name category_type", 3, classes, types);
            categories = readCategories(root.resolve("Anno/list_category_img.txt"), classes.size(), partition);
        } else {
            readClasses(root.resolve("Anno/list_attr_cloth.txt"), "attribute_name attribute_type", 5, classes, types);
            int words = (classes.size() + 63) / 64;
            present = new long[n * words];
            known = new long[n * words];
            readAttributes(root.resolve("Anno/list_attr_img.txt"), classes, partition, present, known);
        }
        int[] boxes = cropToBox ? readBoxes(root.resolve("Anno/list_bbox.txt"), partition) : null;
        return new DeepFashion(files, classes, types, task, categories, present, known, boxes);
    }

    /** The type of each class, by class index: 1 upper-body, 2 lower-body, 3 full-body for categories; 1 texture, 2 fabric, 3 shape, 4 part, 5 style for attributes. */
    public List<Integer> classTypes() {
        return classTypes;
    }

    @Override
    public boolean isMultiLabel() {
        return task == Task.ATTRIBUTES;
    }

    /** Whether attribute {@code attribute} of example {@code index} is annotated (1 or -1) rather than unknown (0). */
    public boolean isKnown(int index, int attribute) {
        if (task != Task.ATTRIBUTES) {
            throw new IllegalStateException("isKnown is about the attribute task; this dataset holds the category task");
        }
        return bit(known, index, attribute);
    }

    private boolean bit(long[] bits, int index, int k) {
        return (bits[index * words + (k >>> 6)] >>> (k & 63) & 1) != 0;
    }

    @Override
    Sample sample(int index, Image image) {
        if (task == Task.CATEGORY) {
            return Sample.of(image, categories[index]);
        }
        float[] target = new float[classes().size()];
        for (int k = 0; k < target.length; k++) {
            target[k] = bit(present, index, k) ? 1 : 0;
        }
        return Sample.multiLabel(image, target);
    }

    @Override
    Image decode(int index) {
        Image image = super.decode(index);
        if (boxes == null) {
            return image;
        }
        int x1 = Math.min(boxes[4 * index], image.width());
        int y1 = Math.min(boxes[4 * index + 1], image.height());
        int x2 = Math.min(boxes[4 * index + 2], image.width());
        int y2 = Math.min(boxes[4 * index + 3], image.height());
        if (x1 >= x2 || y1 >= y2) {
            String message = file(index) + ": its box (" + boxes[4 * index] + ", " + boxes[4 * index + 1] + ", "
                    + boxes[4 * index + 2] + ", " + boxes[4 * index + 3] + ") in Anno/list_bbox.txt lies outside the "
                    + image.width() + "x" + image.height() + " image";
            throw new UncheckedIOException(message, new IOException(message));
        }
        return crop(image, x1, y1, x2, y2);
    }

    /** Columns {@code [x1, x2)} and rows {@code [y1, y2)} of every channel. */
    static Image crop(Image image, int x1, int y1, int x2, int y2) {
        int width = x2 - x1;
        int height = y2 - y1;
        float[] out = new float[image.channels() * height * width];
        float[] in = image.pixels();
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < height; y++) {
                System.arraycopy(in, (c * image.height() + y1 + y) * image.width() + x1, out, (c * height + y) * width, width);
            }
        }
        return new Image(image.channels(), height, width, out);
    }

    /** The images of one split in file order, with the line each was listed on. */
    private record Partition(Path file, List<String> names, Map<String, Integer> index, int[] lines) {

        static Partition read(Path file, Split split) throws IOException {
            List<String> names = new ArrayList<>();
            Map<String, Integer> index = new HashMap<>();
            List<Integer> lines = new ArrayList<>();
            Map<String, Integer> everyImage = new HashMap<>();
            CountedList.read(file, "image_name evaluation_status", (line, number) -> {
                String[] t = CountedList.tokens(line);
                if (t.length != 2) {
                    throw new IOException(file + ":" + number + ": expected an image name and train, val or test, got "
                            + t.length + " columns");
                }
                if (!t[1].equals("train") && !t[1].equals("val") && !t[1].equals("test")) {
                    throw new IOException(file + ":" + number + ": expected train, val or test, got '" + t[1] + "'");
                }
                Integer earlier = everyImage.putIfAbsent(t[0], number);
                if (earlier != null) {
                    throw new IOException(file + ":" + number + ": " + t[0] + " is already listed on line " + earlier);
                }
                if (t[1].equals(split.word())) {
                    index.put(t[0], names.size());
                    names.add(t[0]);
                    lines.add(number);
                }
            });
            return new Partition(file, names, index, lines.stream().mapToInt(Integer::intValue).toArray());
        }

        /** Fails when an image of the split had no entry in {@code list}, whose entries were marked in {@code seen}. */
        void checkAllSeen(boolean[] seen, Path list) throws IOException {
            for (int i = 0; i < seen.length; i++) {
                if (!seen[i]) {
                    throw new IOException(file + ":" + lines[i] + ": " + names.get(i) + " has no entry in " + list);
                }
            }
        }
    }

    /** Reads {@code name type} lines whose name may contain spaces: the type is the last column. */
    private static void readClasses(Path file, String header, int maxType, List<String> names, List<Integer> types)
            throws IOException {
        CountedList.read(file, header, (line, number) -> {
            String entry = line.strip();
            int cut = Math.max(entry.lastIndexOf(' '), entry.lastIndexOf('\t'));
            String type = entry.substring(cut + 1);
            if (cut < 0 || !type.matches("[0-9]+") || Integer.parseInt(type) < 1 || Integer.parseInt(type) > maxType) {
                throw new IOException(file + ":" + number + ": expected a name and a type 1.." + maxType
                        + " as its last column, got '" + entry + "'");
            }
            names.add(entry.substring(0, cut).strip());
            types.add(Integer.parseInt(type));
        });
    }

    private static int[] readCategories(Path file, int classes, Partition partition) throws IOException {
        int[] labels = new int[partition.names.size()];
        boolean[] seen = new boolean[labels.length];
        CountedList.read(file, "image_name category_label", (line, number) -> {
            String[] t = CountedList.tokens(line);
            if (t.length != 2 || !t[1].matches("[0-9]+") || Integer.parseInt(t[1]) < 1 || Integer.parseInt(t[1]) > classes) {
                throw new IOException(file + ":" + number + ": expected an image name and a category 1.." + classes
                        + ", got '" + line.strip() + "'");
            }
            Integer i = partition.index.get(t[0]);
            if (i != null) {
                labels[i] = Integer.parseInt(t[1]) - 1;
                seen[i] = true;
            }
        });
        partition.checkAllSeen(seen, file);
        return labels;
    }

    /** Parses lines {@code name v1 ... vK} (values 1, -1 or 0) without splitting them into K strings: the file has 289,222 of them. */
    private static void readAttributes(Path file, List<String> attributes, Partition partition, long[] present,
            long[] known) throws IOException {
        int count = attributes.size();
        int words = (count + 63) / 64;
        boolean[] seen = new boolean[partition.names.size()];
        CountedList.read(file, "image_name attribute_labels", (line, number) -> {
            int n = line.length();
            int i = 0;
            while (i < n && isSpace(line.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSpace(line.charAt(i))) {
                i++;
            }
            Integer row = partition.index.get(line.substring(start, i));
            int base = row == null ? -1 : row * words;
            int k = 0;
            while (true) {
                while (i < n && isSpace(line.charAt(i))) {
                    i++;
                }
                if (i >= n) {
                    break;
                }
                int from = i;
                while (i < n && !isSpace(line.charAt(i))) {
                    i++;
                }
                int value = i - from == 1 && line.charAt(from) == '1' ? 1
                        : i - from == 1 && line.charAt(from) == '0' ? 0
                        : i - from == 2 && line.charAt(from) == '-' && line.charAt(from + 1) == '1' ? -1 : 2;
                if (k == count) {
                    throw new IOException(file + ":" + number + ": expected an image name and " + count
                            + " values, got more");
                }
                if (value == 2) {
                    throw new IOException(file + ":" + number + ": value " + (k + 1) + " (attribute '" + attributes.get(k)
                            + "') should be 1, -1 or 0, got '" + line.substring(from, i) + "'");
                }
                if (base >= 0 && value != 0) {
                    known[base + (k >>> 6)] |= 1L << (k & 63);
                    if (value == 1) {
                        present[base + (k >>> 6)] |= 1L << (k & 63);
                    }
                }
                k++;
            }
            if (k != count) {
                throw new IOException(file + ":" + number + ": expected an image name and " + count + " values, got "
                        + k + " values");
            }
            if (row != null) {
                seen[row] = true;
            }
        });
        partition.checkAllSeen(seen, file);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    /** Boxes {@code x1 y1 x2 y2} of the split's images, four ints an image. */
    private static int[] readBoxes(Path file, Partition partition) throws IOException {
        int[] boxes = new int[4 * partition.names.size()];
        boolean[] seen = new boolean[partition.names.size()];
        CountedList.read(file, "image_name x_1 y_1 x_2 y_2", (line, number) -> {
            String[] t = CountedList.tokens(line);
            int[] box = new int[4];
            boolean valid = t.length == 5;
            for (int j = 0; valid && j < 4; j++) {
                valid = t[j + 1].matches("[0-9]{1,6}");
                box[j] = valid ? Integer.parseInt(t[j + 1]) : 0;
            }
            if (!valid || box[0] >= box[2] || box[1] >= box[3]) {
                throw new IOException(file + ":" + number + ": expected an image name and pixel coordinates x_1 y_1 x_2 y_2"
                        + " with x_1 < x_2 and y_1 < y_2, got '" + line.strip() + "'");
            }
            Integer i = partition.index.get(t[0]);
            if (i != null) {
                System.arraycopy(box, 0, boxes, 4 * i, 4);
                seen[i] = true;
            }
        });
        partition.checkAllSeen(seen, file);
        return boxes;
    }
}
