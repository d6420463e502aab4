package org.weft.tensor;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** What the reductions refuse, and that the messages say what was expected and what came, as PyTorch's do. */
class ReductionErrorsTest {

    private static final NDArray X = NDArray.zeros(3, 4);

    private static void fails(Class<? extends Throwable> type, Executable call, String... fragments) {
        Throwable e = assertThrows(type, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void dimOutOfRangeNamesTheRangeAndTheDim() {
        String range = "expected to be in range of [-2, 1], but got 2";
        fails(IndexOutOfBoundsException.class, () -> X.sum(new int[] {2}, false), "Dimension out of range", range);
        fails(IndexOutOfBoundsException.class, () -> X.mean(new int[] {0, 2}, false), range);
        fails(IndexOutOfBoundsException.class, () -> X.var(new int[] {2}, 1, false), range);
        fails(IndexOutOfBoundsException.class, () -> X.amax(new int[] {-3}, false), "but got -3");
        fails(IndexOutOfBoundsException.class, () -> X.max(2, false), range);
        fails(IndexOutOfBoundsException.class, () -> X.argmin(2, true), range);
        fails(IndexOutOfBoundsException.class, () -> X.logsumexp(new int[] {2}, false), range);
        fails(IndexOutOfBoundsException.class, () -> X.norm(2, new int[] {2}, false), range);
        fails(IndexOutOfBoundsException.class, () -> X.cumsum(2), range);
        fails(IndexOutOfBoundsException.class, () -> X.sort(2, false), range);
        fails(IndexOutOfBoundsException.class, () -> X.topk(1, 2, true), range);
    }

    @Test
    void aRepeatedDimIsRefused() {
        fails(IllegalArgumentException.class, () -> X.sum(new int[] {1, -1}, false),
                "sum", "dim 1 appears multiple times in the list of dims [1, -1]");
        fails(IllegalArgumentException.class, () -> X.mean(new int[] {0, 0}, true), "mean", "dim 0 appears multiple times");
        fails(IllegalArgumentException.class, () -> X.std(new int[] {-2, 0}, 1, true), "std", "dim 0 appears multiple times");
        fails(IllegalArgumentException.class, () -> X.amin(new int[] {1, 1}, false), "amin", "dim 1 appears multiple times");
        fails(IllegalArgumentException.class, () -> X.norm(1, new int[] {1, 1}, false), "norm", "dim 1 appears multiple times");
    }

    @Test
    void topkLargerThanTheDimensionIsRefused() {
        fails(IllegalArgumentException.class, () -> X.topk(5, 1, true),
                "topk", "selected index k out of range", "k is 5", "dimension 1 has size 4");
        fails(IllegalArgumentException.class, () -> X.topk(-1, 0, false), "k is -1", "dimension 0 has size 3");
    }

    @Test
    void meanVarianceAndNormNeedFloatingPoint() {
        NDArray ints = NDArray.of(new long[] {1, 2, 3});
        fails(IllegalArgumentException.class, ints::mean, "mean", "floating point", "got I64");
        fails(IllegalArgumentException.class, () -> ints.var(null, 1, false), "var", "floating point", "got I64");
        fails(IllegalArgumentException.class, () -> ints.std(null, 0, false), "std", "got I64");
        fails(IllegalArgumentException.class, ints::norm, "norm", "floating point", "got I64");
        fails(IllegalArgumentException.class, () -> NDArray.of(new boolean[] {true}).mean(), "mean", "got BOOL");
    }

    @Test
    void theExtremeOfNothingIsRefused() {
        NDArray empty = NDArray.zeros(2, 0);
        fails(IllegalArgumentException.class, () -> empty.max(1, false),
                "max()", "Expected reduction dim 1 to have non-zero size");
        fails(IllegalArgumentException.class, () -> empty.min(-1, true), "min()", "reduction dim 1");
        fails(IllegalArgumentException.class, () -> empty.amax(new int[] {1}, false), "amax()", "reduction dim 1");
        fails(IllegalArgumentException.class, () -> empty.argmax(1, false), "argmax()", "reduction dim 1");
        fails(IllegalArgumentException.class, empty::max, "max()", "input.numel() == 0", "'dim' argument");
        fails(IllegalArgumentException.class, empty::argmin, "argmin()", "input.numel() == 0");
    }

    @Test
    void opsPyTorchDoesNotDefineForBoolAreRefused() {
        NDArray b = NDArray.of(new boolean[] {true, false});
        fails(IllegalArgumentException.class, b::argmax, "argmax()", "BOOL");
        fails(IllegalArgumentException.class, () -> b.topk(1, 0, true), "topk()", "BOOL");
    }

    @Test
    void namedNormsAreFroOnlyOverAtMostTwoDims() {
        NDArray x = NDArray.zeros(2, 3, 4);
        fails(IllegalArgumentException.class, () -> x.norm("fro", new int[] {0, 1, 2}, false),
                "\"fro\"", "at most 2 dimensions", "got 3");
        fails(IllegalArgumentException.class, () -> x.norm("nuc", null, false), "\"nuc\"");
        fails(IllegalArgumentException.class, () -> x.norm(Double.NaN, null, false), "NaN");
    }
}
