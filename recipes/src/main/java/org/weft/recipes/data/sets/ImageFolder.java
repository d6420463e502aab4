package org.weft.recipes.data.sets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A dataset laid out as {@code root/<class>/<image>}, read with the rules of torchvision's {@code ImageFolder}
 * (0.14), so that class indices and example order match it:
 * <ul>
 * <li>every folder directly under {@code root} is a class, including hidden ones such as {@code .ipynb_checkpoints}
 *     (torchvision does not skip them either); classes are sorted by name, and numbered in that order;</li>
 * <li>a class's images are all files below its folder, in sub-folders too (symbolic links followed), whose name
 *     ends, in any case, with one of {@link #EXTENSIONS}; hidden files with such an ending count as images, other
 *     files are ignored; they come folder by folder in sorted path order, each folder's files sorted by name;</li>
 * <li>a class folder without any image is an error naming the empty classes, as in torchvision (which later added
 *     an {@code allow_empty} option, not offered here).</li>
 * </ul>
 * {@code .ppm}, {@code .pgm} and {@code .webp} are listed as torchvision lists them, but javax.imageio does not decode
 * them: such a file fails when its example is read, with a message naming it.
 *
 * <p>Datasets published without any label files, such as IDesigner (the second target domain of paper 000, which
 * has no published layout), are read with this class once their images are sorted into class folders.
 */
public final class ImageFolder extends SingleLabelImages {

    /** File endings taken as images, compared in lower case (torchvision's {@code IMG_EXTENSIONS}). */
    public static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif",
            ".tiff", ".webp");

    private ImageFolder(Path[] files, int[] labels, List<String> classes) {
        super(files, labels, classes);
    }

    /** Lists the classes and images under {@code root}; no image is decoded yet. */
    public static ImageFolder load(Path root) throws IOException {
        if (!Files.exists(root)) {
            throw new NoSuchFileException(root.toString(), null, "image folder not found");
        }
        if (!Files.isDirectory(root)) {
            throw new NotDirectoryException(root + " (an image folder root/<class>/<image> must be a directory)");
        }
        List<String> classes = new ArrayList<>();
        int otherEntries = 0;
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (Files.isDirectory(entry)) {
                    classes.add(entry.getFileName().toString());
                } else {
                    otherEntries++;
                }
            }
        }
        if (classes.isEmpty()) {
            throw new IOException(root + ": no class folder found: expected root/<class>/<image>, found "
                    + otherEntries + " file" + (otherEntries == 1 ? "" : "s") + " and no folder");
        }
        classes.sort(Comparator.naturalOrder());

        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            List<Path> images = images(root.resolve(classes.get(c)));
            if (images.isEmpty()) {
                empty.add(classes.get(c));
            }
            for (Path image : images) {
                files.add(image);
                labels.add(c);
            }
        }
        if (!empty.isEmpty()) {
            boolean hidden = empty.stream().anyMatch(name -> name.startsWith("."));
            throw new IOException(root + ": found no valid file for the classes " + String.join(", ", empty)
                    + ". Supported extensions are: " + String.join(", ", EXTENSIONS)
                    + (hidden ? " (hidden folders count as classes, as in torchvision: remove them)" : ""));
        }
        int[] labelArray = new int[labels.size()];
        for (int i = 0; i < labelArray.length; i++) {
            labelArray[i] = labels.get(i);
        }
        return new ImageFolder(files.toArray(Path[]::new), labelArray, classes);
    }

    /** The image files below {@code classDir} in torchvision's order: by folder path, then by file name. */
    private static List<Path> images(Path classDir) throws IOException {
        List<Path> images = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(classDir, FileVisitOption.FOLLOW_LINKS)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                if (!Files.isDirectory(path) && isImage(path.getFileName().toString())) {
                    images.add(path);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        images.sort(Comparator.comparing((Path p) -> p.getParent().toString()).thenComparing(p -> p.getFileName().toString()));
        return images;
    }

    private static boolean isImage(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String extension : EXTENSIONS) {
            if (lower.endsWith(extension)) {
                return true;
            }
        }
        return false;
    }
}
