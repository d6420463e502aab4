package org.weft.autograd;

/** A link of the backward graph: the gradient goes to output {@code inputNr} of {@code node}. */
record Edge(Node node, int inputNr) {
}
