package org.weft.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * In-place arithmetic refuses what PyTorch refuses instead of writing something else: a
 * result whose dtype the array cannot hold, a result larger than the array, and a write into
 * an array whose elements share memory.
 */
class InPlaceArithmeticTest {

    private static void assertFailsSaying(Executable call, String... fragments) {
        Exception e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void aFloatingResultIsNotTruncatedIntoAnIntegerArray() {
        // torch.tensor([1, 2]).add_(0.5): "result type Float can't be cast to the desired output type Long"
        NDArray a = NDArray.of(new long[] {1, 2}, 2);
        assertFailsSaying(() -> a.add_(0.5), "add_", "F32", "I64");
        assertFailsSaying(() -> a.mul_(NDArray.of(new float[] {0.5f, 1f}, 2)), "mul_", "F32", "I64");
        assertFailsSaying(() -> a.div_(NDArray.of(new long[] {2, 2}, 2)), "div_", "F32", "I64");
        assertArrayEquals(new long[] {1, 2}, a.toLongArray(), "a refused write changes nothing");
    }

    @Test
    void castsWithinAKindAreAllowed() {
        NDArray f = NDArray.of(new float[] {1, 2}, 2);
        f.add_(NDArray.of(new double[] {0.25, 0.5}, 2));
        assertArrayEquals(new float[] {1.25f, 2.5f}, f.toFloatArray());
        NDArray i = NDArray.of(new int[] {1, 2}, 2);
        i.add_(NDArray.of(new long[] {10, 20}, 2));
        assertArrayEquals(new int[] {11, 22}, i.toIntArray());
        assertTrue(DType.canCast(DType.I64, DType.F32));
        assertTrue(DType.canCast(DType.BOOL, DType.U8));
        assertFalse(DType.canCast(DType.F64, DType.I32));
        assertFalse(DType.canCast(DType.I32, DType.BOOL));
    }

    @Test
    void theResultMustFitTheArraysShape() {
        // torch.ones(3).add_(torch.ones(2, 3)): "output with shape [3] doesn't match the broadcast shape [2, 3]"
        assertFailsSaying(() -> NDArray.ones(3).add_(NDArray.ones(2, 3)), "add_", "[3]", "[2, 3]");
    }

    @Test
    void writingIntoAnExpandedArrayIsRefused() {
        // PyTorch: "unsupported operation: more than one element of the written-to tensor refers to a
        // single memory location"; writing anyway leaves whichever value came last.
        NDArray e = NDArray.zeros(1).expand(4);
        assertFailsSaying(() -> e.copy_(NDArray.of(new float[] {1, 2, 3, 4}, 4)), "copy_", "single memory location");
        assertFailsSaying(() -> e.add_(1.0), "single memory location");
        e.fill_(3); // one value everywhere is well defined, and PyTorch allows it
        assertArrayEquals(new float[] {3, 3, 3, 3}, e.toFloatArray());
    }
}
