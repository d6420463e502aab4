package org.weft.tests.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.autograd.Tensor;
import org.weft.nn.BatchNorm2d;
import org.weft.nn.Conv2d;
import org.weft.nn.Linear;
import org.weft.nn.Module;
import org.weft.nn.Sequential;
import org.weft.nn.io.PthReader;
import org.weft.nn.io.PythonObject;
import org.weft.nn.io.StateDicts;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.io.SafeTensors;
import org.weft.tests.Fixtures;

/**
 * PthReader against files written by torch.save (tests/goldens/fixtures/pth.py): every
 * tensor must equal, bit for bit, the same tensor written by the fixture as safetensors.
 */
class PthReaderTest {

    private static Path fixture(String file) {
        return Fixtures.dir("pth").resolve(file);
    }

    @Test
    void modelStateDictMatchesTorchInOrderAndValue() throws IOException {
        Map<String, NDArray> pth = PthReader.stateDict(fixture("model.pth"));
        Map<String, NDArray> expected = Fixtures.load("pth", "model.safetensors");
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(pth.keySet()), "state dict order");
        assertAllEqual(expected, pth);
        NDArray steps = pth.get("layer1.0.downsample.1.num_batches_tracked");
        assertEquals(DType.I64, steps.dtype());
        assertEquals(0, steps.dim());
    }

    @Test
    void protocol4PickleReadsTheSame() throws IOException {
        Map<String, NDArray> pth = PthReader.stateDict(fixture("model_p4.pth"));
        Map<String, NDArray> expected = Fixtures.load("pth", "model.safetensors");
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(pth.keySet()), "state dict order");
        assertAllEqual(expected, pth);
    }

    @Test
    void everyDtypeZeroDimEmptyAndViewMatchesTorch() throws IOException {
        Map<String, NDArray> pth = PthReader.stateDict(fixture("tensors.pth"));
        Map<String, NDArray> expected = Fixtures.load("pth", "tensors.safetensors");
        assertEquals(expected.keySet(), pth.keySet());
        assertAllEqual(expected, pth);
        assertEquals(0, pth.get("scalar").dim());
        assertArrayEquals(new int[] {0, 3}, pth.get("empty").dims());
        // Views keep torch's layout: the transpose is not copied into a contiguous array.
        assertFalse(pth.get("transposed").isContiguous());
        assertArrayEquals(new int[] {1, 6}, pth.get("transposed").strides());
        assertArrayEquals(new int[] {6, 2}, pth.get("cols").strides());
        assertEquals(1, pth.get("cols").offset());
        assertEquals(2, pth.get("rows").offset());
        // Two tensors that shared a storage in torch share one here.
        assertSame(pth.get("rows").storage(), pth.get("cols").storage());
    }

    @Test
    void halfStoragesWidenToF32Exactly() throws IOException {
        Map<String, NDArray> wide = StateDicts.halfToF32(PthReader.stateDict(fixture("tensors.pth")));
        Map<String, NDArray> expected = Fixtures.load("pth", "tensors.safetensors");
        for (String name : List.of("f16", "bf16")) {
            assertEquals(DType.F32, wide.get(name).dtype());
            assertArrayEquals(expected.get(name).to(DType.F32).toFloatArray(), wide.get(name).toFloatArray(), name);
        }
        assertSame(wide.get("i64").dtype(), DType.I64);
    }

    @Test
    void checkpointKeepsItsOtherEntriesAndYieldsTheStateDict() throws IOException {
        Object root = PthReader.read(fixture("checkpoint.pth"));
        Map<?, ?> checkpoint = assertInstanceOf(Map.class, root);
        assertEquals(3L, checkpoint.get("epoch"));
        assertEquals(71.25, checkpoint.get("best_acc1"));
        assertEquals("net", checkpoint.get("arch"));
        assertEquals(List.of(30L, 60L), checkpoint.get("milestones"));
        // An object of a class Weft does not know is kept by name, with its attributes.
        PythonObject args = assertInstanceOf(PythonObject.class, checkpoint.get("args"));
        assertEquals("argparse.Namespace", args.className());
        assertEquals(Map.of("lr", 0.1, "batch_size", 256L), args.state());
        Map<String, NDArray> expected = Fixtures.load("pth", "model.safetensors");
        assertAllEqual(expected, PthReader.stateDict(fixture("checkpoint.pth")));
        assertAllEqual(expected, PthReader.stateDict(fixture("timm.pth")));
        assertAllEqual(expected, PthReader.stateDict(fixture("timm.pth"), "model"));
    }

    @Test
    void stateDictsLoadsEitherFormatIntoAModule() throws IOException {
        Map<String, NDArray> expected = Fixtures.load("pth", "model.safetensors");
        for (String file : List.of("model.pth", "model.safetensors", "checkpoint.pth")) {
            Module net = new Net();
            net.loadStateDict(StateDicts.load(fixture(file)), true);
            Map<String, NDArray> loaded = new java.util.LinkedHashMap<>();
            net.stateDict().forEach((k, t) -> loaded.put(k, t.data()));
            assertAllEqual(expected, loaded);
        }
    }

    @Test
    void savedSafetensorsReadBackEqual(@TempDir Path dir) throws IOException {
        Map<String, Tensor> state = StateDicts.load(fixture("tensors.pth"));
        Path out = dir.resolve("tensors.safetensors");
        StateDicts.save(out, state);
        assertAllEqual(Fixtures.load("pth", "tensors.safetensors"), SafeTensors.read(out));
    }

    /** The fixture's network, built from Weft's layers with the same attribute names. */
    private static final class Net extends Module {
        Net() {
            register("conv1", new Conv2d(3, 4, 3, 1, 1, 1, 1, false));
            register("bn1", new BatchNorm2d(4));
            register("layer1", new Sequential(new Block(4, 6, 2), new Block(6, 6, 1)));
            register("fc", new Linear(6, 5));
        }

        @Override
        protected Tensor forward(Tensor x) {
            throw new IllegalStateException("only the names matter here");
        }
    }

    private static final class Block extends Module {
        Block(int cin, int cout, int stride) {
            register("conv1", new Conv2d(cin, cout, 3, stride, 1, 1, 1, false));
            register("bn1", new BatchNorm2d(cout));
            register("conv2", new Conv2d(cout, cout, 3, 1, 1, 1, 1, false));
            register("bn2", new BatchNorm2d(cout));
            register("downsample", new Sequential(new Conv2d(cin, cout, 1, stride, 0, 1, 1, false),
                    new BatchNorm2d(cout)));
        }

        @Override
        protected Tensor forward(Tensor x) {
            throw new IllegalStateException("only the names matter here");
        }
    }

    private static void assertAllEqual(Map<String, NDArray> expected, Map<String, NDArray> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String name : expected.keySet()) {
            assertTensorEquals(name, expected.get(name), actual.get(name));
        }
    }

    /** Same dtype, same shape and the same values, bit for bit. */
    static void assertTensorEquals(String name, NDArray expected, NDArray actual) {
        assertEquals(expected.dtype(), actual.dtype(), name + " dtype");
        assertEquals(expected.shape(), actual.shape(), name + " shape");
        switch (expected.dtype()) {
            case F32, F16, BF16 -> assertArrayEquals(expected.to(DType.F32).toFloatArray(),
                    actual.to(DType.F32).toFloatArray(), name);
            case F64 -> assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), name);
            case I64, I32, U8 -> assertArrayEquals(expected.toLongArray(), actual.toLongArray(), name);
            case BOOL -> assertArrayEquals(expected.toBooleanArray(), actual.toBooleanArray(), name);
        }
    }
}
