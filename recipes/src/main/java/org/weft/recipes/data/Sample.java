package org.weft.recipes.data;

/**
 * One example of a dataset: an image and its target. A single-label task gives the class index in
 * {@code label} and leaves {@code labels} null; a multi-label task gives one value per label in
 * {@code labels} (1 present, 0 absent; a dataset whose annotations have "unknown" documents how it maps
 * them) and sets {@code label} to -1.
 */
public record Sample(Image image, int label, float[] labels) {

    /** An example of a single-label task. */
    public static Sample of(Image image, int label) {
        return new Sample(image, label, null);
    }

    /** An example of a multi-label task. */
    public static Sample multiLabel(Image image, float[] labels) {
        return new Sample(image, -1, labels);
    }

    public boolean isMultiLabel() {
        return labels != null;
    }

    /** The same target with another image, as a transform produces it. */
    public Sample withImage(Image transformed) {
        return new Sample(transformed, label, labels);
    }
}
