package org.weft.recipes.data;

import org.weft.tensor.NDArray;

/** Stacks transformed examples into one {@link Batch}, as PyTorch's {@code default_collate} does for images and labels. */
final class Collate {

    private Collate() {
    }

    /**
     * Images become F32 {@code [B, C, H, W]} and must all have one size; labels become I64 {@code [B]} or, for
     * multi-label examples, F32 {@code [B, K]}.
     *
     * @param indices the dataset index of each sample, for the batch and for error messages
     */
    static Batch collate(Sample[] samples, int[] indices) {
        int b = samples.length;
        if (b == 0) {
            throw new IllegalArgumentException("collate: a batch needs at least one example");
        }
        Image first = samples[0].image();
        int plane = first.channels() * first.height() * first.width();
        boolean multi = samples[0].isMultiLabel();
        int k = multi ? samples[0].labels().length : 0;
        float[] images = new float[b * plane];
        long[] classes = multi ? null : new long[b];
        float[] multiHot = multi ? new float[b * k] : null;
        for (int i = 0; i < b; i++) {
            Sample s = samples[i];
            Image im = s.image();
            if (im.channels() != first.channels() || im.height() != first.height() || im.width() != first.width()) {
                throw new IllegalArgumentException("collate: the images of one batch must have one size, but example "
                        + indices[0] + " is " + size(first) + " (CxHxW) and example " + indices[i] + " is " + size(im)
                        + "; resize or crop them to one size with a transform");
            }
            System.arraycopy(im.pixels(), 0, images, i * plane, plane);
            if (s.isMultiLabel() != multi) {
                throw new IllegalArgumentException("collate: example " + indices[0] + " is "
                        + (multi ? "multi-label" : "single-label") + " but example " + indices[i] + " is "
                        + (multi ? "single-label" : "multi-label"));
            }
            if (multi) {
                if (s.labels().length != k) {
                    throw new IllegalArgumentException("collate: example " + indices[0] + " has " + k
                            + " labels but example " + indices[i] + " has " + s.labels().length);
                }
                System.arraycopy(s.labels(), 0, multiHot, i * k, k);
            } else {
                classes[i] = s.label();
            }
        }
        NDArray x = NDArray.of(images, b, first.channels(), first.height(), first.width());
        NDArray y = multi ? NDArray.of(multiHot, b, k) : NDArray.of(classes, b);
        return new Batch(x, y, indices.clone());
    }

    private static String size(Image im) {
        return im.channels() + "x" + im.height() + "x" + im.width();
    }
}
