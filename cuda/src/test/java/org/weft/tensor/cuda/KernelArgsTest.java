package org.weft.tensor.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.junit.jupiter.api.Test;
import org.weft.tensor.DType;
import org.weft.tensor.Device;

/** Kernel arguments land in native memory as the C parameter types expect (JavaCPP's core only: no GPU needed). */
class KernelArgsTest {

    @Test
    void scalarsPointersAndStructsArePackedInOrder() {
        FakeDeviceMemory device = new FakeDeviceMemory(1L << 30);
        CachingAllocator alloc = new CachingAllocator("cuda:0", device);
        CudaStorage storage = new CudaStorage(Device.cuda(0), DType.F32, 16, alloc, 0);
        ByteBuffer struct = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(3).putInt(5).putInt(7).flip();
        try (KernelArgs a = KernelArgs.pack(42, 1L << 40, 1.5f, -2.25, true, new DevicePointer(0xdead0000L), storage,
                new byte[] {9, 8, 7}, struct)) {
            assertEquals(9, a.count());
            var p = a.pointers();
            assertEquals(42, new IntPointer(p.get(0)).get());
            assertEquals(1L << 40, new LongPointer(p.get(1)).get());
            assertEquals(1.5f, new FloatPointer(p.get(2)).get());
            assertEquals(-2.25, new DoublePointer(p.get(3)).get());
            assertEquals(1, new BytePointer(p.get(4)).get());
            assertEquals(0xdead0000L, new LongPointer(p.get(5)).get());
            assertEquals(storage.address(), new LongPointer(p.get(6)).get());
            byte[] b = new byte[3];
            new BytePointer(p.get(7)).get(b);
            assertArrayEquals(new byte[] {9, 8, 7}, b);
            byte[] s = new byte[12];
            new BytePointer(p.get(8)).get(s);
            assertArrayEquals(struct.array(), s);
            assertEquals(0, struct.position(), "packing does not consume the caller's buffer");
        }
    }

    @Test
    void unsupportedArgumentsAreNamedByPosition() {
        var e = assertThrows(IllegalArgumentException.class, () -> KernelArgs.pack(1, "two"));
        assertTrue(e.getMessage().startsWith("kernel argument 1: cannot pass java.lang.String"), e.getMessage());
        var n = assertThrows(IllegalArgumentException.class, () -> KernelArgs.pack((Object) null));
        assertTrue(n.getMessage().startsWith("kernel argument 0: cannot pass null"), n.getMessage());
    }

    @Test
    void releasedStorageCannotBePassed() {
        CachingAllocator alloc = new CachingAllocator("cuda:0", new FakeDeviceMemory(1L << 30));
        CudaStorage storage = new CudaStorage(Device.cuda(0), DType.F32, 4, alloc, 0);
        storage.release();
        assertThrows(IllegalStateException.class, () -> KernelArgs.pack(storage));
    }
}
