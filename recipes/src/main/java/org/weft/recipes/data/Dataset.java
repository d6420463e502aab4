package org.weft.recipes.data;

import java.util.List;

/**
 * A finite, indexable collection of examples, read from disk as its publisher ships it. {@code get} may be
 * called from several loader threads at once and must then be safe; it decodes lazily and reports an
 * unreadable file as an {@link java.io.UncheckedIOException} whose message names the file.
 */
public interface Dataset {

    int size();

    /** Example {@code index}, 0-based; its image is not yet transformed. */
    Sample get(int index);

    /** The names of the classes (single-label) or of the labels (multi-label), in index order. */
    List<String> classes();

    /** Whether examples carry a multi-hot {@link Sample#labels()} vector instead of one class index. */
    default boolean isMultiLabel() {
        return false;
    }
}
