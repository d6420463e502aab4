package org.weft.recipes.cli;

/** Builds one architecture with a given number of classes, for {@code weft infer --arch}. */
@FunctionalInterface
public interface ModelFactory {

    /** A freshly initialised model whose classifier has {@code numClasses} outputs. */
    InferenceModel create(int numClasses);
}
