package org.weft.recipes.data;

import org.weft.tensor.NDArray;

/**
 * Examples stacked for one step: {@code images} is F32 {@code [B, C, H, W]}; {@code labels} is I64
 * {@code [B]} for a single-label task or F32 {@code [B, K]} (multi-hot) for a multi-label one;
 * {@code indices} are the dataset indices of the rows, in order.
 */
public record Batch(NDArray images, NDArray labels, int[] indices) {

    public int size() {
        return indices.length;
    }
}
