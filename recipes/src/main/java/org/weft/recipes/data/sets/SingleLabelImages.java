package org.weft.recipes.data.sets;

import java.nio.file.Path;
import java.util.List;

import org.weft.recipes.data.Image;
import org.weft.recipes.data.Sample;

/** Listed image files with one class index each. */
abstract class SingleLabelImages extends ListedImages {

    private final int[] labels;

    SingleLabelImages(Path[] files, int[] labels, List<String> classes) {
        super(files, classes);
        if (labels.length != files.length) {
            throw new IllegalArgumentException(files.length + " files but " + labels.length + " labels");
        }
        this.labels = labels;
    }

    /** The class index of example {@code index}, without decoding its image. */
    public final int label(int index) {
        return labels[index];
    }

    @Override
    final Sample sample(int index, Image image) {
        return Sample.of(image, labels[index]);
    }
}
