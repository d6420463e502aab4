package org.weft.recipes.data.sets;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import org.weft.recipes.data.Dataset;
import org.weft.recipes.data.Image;
import org.weft.recipes.data.Images;
import org.weft.recipes.data.Sample;

/**
 * A dataset whose examples are image files listed when it is opened, each decoded only when asked for: the
 * shape every loader in this package shares. The lists are never changed after construction, so {@link #get}
 * is safe from several threads.
 */
abstract class ListedImages implements Dataset {

    private final Path[] files;
    private final List<String> classes;

    ListedImages(Path[] files, List<String> classes) {
        this.files = files;
        this.classes = List.copyOf(classes);
    }

    @Override
    public final int size() {
        return files.length;
    }

    @Override
    public final List<String> classes() {
        return classes;
    }

    /** The image file of example {@code index}. */
    public final Path file(int index) {
        return files[Objects.checkIndex(index, files.length)];
    }

    @Override
    public final Sample get(int index) {
        Objects.checkIndex(index, files.length);
        return sample(index, decode(index));
    }

    /** The image of example {@code index}, as it goes into its sample. */
    Image decode(int index) {
        return Images.read(file(index));
    }

    /** Example {@code index} with its target. */
    abstract Sample sample(int index, Image image);
}
