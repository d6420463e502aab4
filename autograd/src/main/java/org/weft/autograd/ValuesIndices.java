package org.weft.autograd;

/**
 * The result of an op that selects values along a dimension (max, min, sort, topk): the
 * values, which carry gradients, and their I64 positions in the input, which do not.
 */
public record ValuesIndices(Tensor values, Tensor indices) {

    static ValuesIndices of(Tensor[] pair) {
        return new ValuesIndices(pair[0], pair[1]);
    }
}
