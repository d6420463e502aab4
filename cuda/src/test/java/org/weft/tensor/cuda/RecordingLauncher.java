package org.weft.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

/**
 * A launcher that runs nothing: it checks every launch against native/ABI.md (the kernel
 * exists, the arguments have its parameters' C types in order, they pack as cuLaunchKernel
 * takes them, the grid is not empty) and records it for the test to inspect.
 */
final class RecordingLauncher implements Launcher {

    final List<Launch> launches = new ArrayList<>();

    @Override
    public void launch(Launch l) {
        assertNull(AbiKernels.mismatch(l), () -> AbiKernels.mismatch(l));
        assertTrue(l.grid().x() >= 1 && l.grid().y() >= 1 && l.grid().z() >= 1, l.toString());
        assertTrue(l.grid().y() <= Launch.MAX_GRID_YZ && l.grid().z() <= Launch.MAX_GRID_YZ, l.toString());
        assertEquals(0, l.sharedBytes(), "ABI.md: no kernel uses dynamic shared memory");
        try (KernelArgs packed = KernelArgs.pack(l.argArray())) {
            assertEquals(l.args().size(), packed.count());
        }
        launches.add(l);
    }

    List<String> names() {
        List<String> out = new ArrayList<>();
        for (Launch l : launches) {
            out.add(l.kernel());
        }
        return out;
    }

    Launch only() {
        assertEquals(1, launches.size(), () -> "one launch expected, got " + names());
        return launches.get(0);
    }

    Launch get(int i) {
        return launches.get(i);
    }

    void clear() {
        launches.clear();
    }
}
