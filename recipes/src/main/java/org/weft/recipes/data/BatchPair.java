package org.weft.recipes.data;

/** What one step of two-domain training consumes: a source-domain batch and the target-domain batch after it. */
public record BatchPair(Batch source, Batch target) {
}
