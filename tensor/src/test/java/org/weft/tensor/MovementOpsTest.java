package org.weft.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Cat, stack, split, chunk, pad, roll, flip and repeat: their errors, and behaviour the goldens cannot see. */
class MovementOpsTest {

    private static NDArray iota(int... shape) {
        return NDArray.arange(0, new Shape(shape).numel(), 1, DType.F32).reshape(shape);
    }

    private static void assertFails(String message, Executable call) {
        Throwable e = assertThrows(RuntimeException.class, call);
        assertEquals(message, e.getMessage());
    }

    @Test
    void catOfMismatchedShapesNamesTheDimensionAndTheTensor() {
        assertFails("Sizes of tensors must match except in dimension 1. Expected size 3 but got size 4 for tensor"
                + " number 1 in the list.", () -> NDArray.cat(List.of(iota(3, 2), iota(4, 2)), 1));
        assertFails("Tensors must have same number of dimensions: got 2 and 3",
                () -> NDArray.cat(List.of(iota(3, 2), iota(3, 2, 1)), 1));
        assertFails("cat(): expected a non-empty list of Tensors", () -> NDArray.cat(List.of(), 0));
        assertFails("zero-dimensional tensor (at position 1) cannot be concatenated",
                () -> NDArray.cat(List.of(iota(2), NDArray.scalar(1)), 0));
    }

    @Test
    void catSkipsOneDimensionalEmptyInputsAndPromotes() {
        NDArray out = NDArray.cat(List.of(NDArray.zeros(DType.I64, 0), iota(2, 2), NDArray.of(new double[] {7, 8}, 1, 2)), 0);
        assertEquals(DType.F64, out.dtype());
        assertArrayEquals(new int[] {3, 2}, out.dims());
        assertArrayEquals(new double[] {0, 1, 2, 3, 7, 8}, out.toDoubleArray());
        assertArrayEquals(new int[] {0}, NDArray.cat(List.of(NDArray.zeros(0), NDArray.zeros(0)), 0).dims());
    }

    @Test
    void stackOfDifferentShapesNamesBoth() {
        assertFails("stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [2, 4] at entry 1",
                () -> NDArray.stack(List.of(iota(2, 3), iota(2, 4)), 0));
        assertFails("stack expects a non-empty TensorList", () -> NDArray.stack(List.of(), 0));
    }

    @Test
    void splitAndChunkCheckTheirSizes() {
        assertFails("chunk expects `chunks` to be greater than 0, got: 0", () -> iota(5).chunk(0, 0));
        assertFails("split expects split_size be non-negative, but got split_size=-1", () -> iota(3).split(-1, 0));
        assertFails("split_size can only be 0 if dimension size is 0, but got dimension size of 3",
                () -> iota(3).split(0, 0));
        assertFails("split_with_sizes expects split_sizes to sum exactly to 3 (input tensor's size at dimension 0),"
                + " but got split_sizes=[1, 1]", () -> iota(3).split(new int[] {1, 1}, 0));
        assertFails("split_with_sizes expects split_sizes have only non-negative entries, but got"
                + " split_sizes=[1, -1, 3]", () -> iota(3).split(new int[] {1, -1, 3}, 0));
    }

    @Test
    void splitPiecesAreViewsAndChunkMayGiveFewerPieces() {
        NDArray x = iota(6, 2);
        NDArray[] pieces = x.chunk(4, 0); // size ceil(6/4) = 2: three pieces, as in PyTorch
        assertEquals(3, pieces.length);
        for (NDArray p : pieces) {
            assertSame(x.storage(), p.storage());
        }
        assertEquals(3, NDArray.zeros(0, 2).chunk(3, 0).length);
        assertArrayEquals(new float[] {8, 9, 10, 11}, pieces[2].toFloatArray());
    }

    @Test
    void padChecksItsList() {
        assertFails("Padding length must be divisible by 2", () -> iota(3, 4).pad(1, 2, 3));
        assertFails("Padding length too large: [1, 2, 3, 4, 5, 6] pads 3 dimensions of a 2-dimensional input",
                () -> iota(3, 4).pad(1, 2, 3, 4, 5, 6));
        assertFails("The input size 4, plus negative padding -5 and 0 resulted in a negative output size, which is"
                + " invalid. Check dimension 1 of your input.", () -> iota(3, 4).pad(-5, 0));
    }

    @Test
    void padThatCropsEverythingOfTheInputIsAllPadding() {
        // Output j reads input j - 2: with 4 elements and -5 after, the one output left is padding.
        assertArrayEquals(new float[] {7, 7, 7}, iota(3, 4).pad(new int[] {2, -5}, 7).toFloatArray());
    }

    @Test
    void rollFlipAndRepeatCheckTheirArguments() {
        assertFails("shifts and dimensions must align. shifts: 2, dims:1", () -> iota(3, 4).roll(new int[] {1, 2}, new int[] {0}));
        assertFails("roll: `shifts` required", () -> iota(3, 4).roll(new int[0], new int[0]));
        assertFails("dim 0 appears multiple times in the list of dims", () -> iota(3, 4).flip(0, -2));
        assertFails("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor",
                () -> iota(3, 4).repeat(2));
        assertFails("Trying to create tensor with negative dimension -1: [2, -1]", () -> iota(3, 4).repeat(2, -1));
    }

    @Test
    void flipLeavesItsInputAlone() {
        NDArray x = iota(2, 3);
        NDArray f = x.flip(0, 1);
        assertArrayEquals(new float[] {5, 4, 3, 2, 1, 0}, f.toFloatArray());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, x.toFloatArray());
        assertArrayEquals(new int[] {3, 1}, f.strides());
    }
}
