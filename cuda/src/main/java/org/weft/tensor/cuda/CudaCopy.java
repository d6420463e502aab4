package org.weft.tensor.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.NDArray;
import org.weft.tensor.backend.CopyKernels;
import org.weft.tensor.cpu.CpuStorage;

/**
 * {@link CopyKernels} on a GPU: {@code weft_copy_bN} for same-dtype copies between any strides,
 * {@code weft_convert_<from>_<to>} for conversions (into a contiguous destination, or a scratch
 * array then copied), {@code weft_fill_bN} with the value's bit pattern.
 *
 * <p>Status: the launches are checked against native/ABI.md on a machine without a GPU
 * ({@code CudaCopyTest}); the kernels themselves have not yet run, and the GPU test
 * ({@code CudaOpsDeviceTest}) that holds them against the CPU backend is still to be run on a GPU.
 */
final class CudaCopy implements CopyKernels {

    private final Launcher launcher;
    private final Scratch scratch;
    private final Device device;

    CudaCopy(Launcher launcher, Scratch scratch, Device device) {
        this.launcher = launcher;
        this.scratch = scratch;
        this.device = device;
    }

    @Override
    public void copy(NDArray src, NDArray dst) {
        if (dst.numel() == 0) {
            return;
        }
        if (src.dtype() == dst.dtype()) {
            copySameType(src, dst);
        } else if (dst.isContiguous()) {
            convert(src, dst);
        } else {
            // Conversion kernels write contiguously; a strided destination takes a second pass.
            NDArray tmp = scratch.empty(dst.dtype(), dst.dims());
            convert(src, tmp);
            copySameType(tmp, dst);
            Operands.release(tmp);
        }
    }

    @Override
    public void fill(NDArray dst, double value) {
        long n = dst.numel();
        if (n == 0) {
            return;
        }
        WeftStrides d = WeftStrides.merge(dst.dims(), dst.strides());
        launcher.launch(Launch.elementwise("weft_fill_" + Operands.width(dst.dtype()), n,
                "fill " + Operands.describe(dst) + " with " + value,
                n, Operands.pointer(dst), d.bytes(0), fillBits(dst.dtype(), value)));
    }

    /**
     * A contiguous scratch copy of {@code src} (any strides, e.g. a permuted view) in
     * {@code dtype}, row-major over src's shape: how the other families bring an operand to
     * the contiguous layout their kernels take. The caller releases it.
     */
    NDArray contiguousScratch(NDArray src, DType dtype) {
        NDArray tmp = scratch.empty(dtype, src.dims());
        if (src.numel() > 0) {
            if (dtype == src.dtype()) {
                copySameType(src, tmp);
            } else {
                convert(src, tmp);
            }
        }
        return tmp;
    }

    /** {@code dst = src} element by element, both of one dtype, any strides (one merged descriptor each). */
    void copySameType(NDArray src, NDArray dst) {
        long n = dst.numel();
        WeftStrides d = WeftStrides.merge(dst.dims(), src.strides(), dst.strides());
        launcher.launch(Launch.elementwise("weft_copy_" + Operands.width(dst.dtype()), n,
                "copy " + Operands.describe(src) + " to " + Operands.describe(dst),
                n, Operands.pointer(src), d.bytes(0), Operands.pointer(dst), d.bytes(1)));
    }

    /** {@code dst = convert(src)}: src any strides, dst contiguous. */
    private void convert(NDArray src, NDArray dst) {
        String from = Operands.suffix(src.dtype());
        String to = Operands.suffix(dst.dtype());
        if (from == null || to == null) {
            throw NotOnCuda.op("copy.copy", "from " + src.dtype() + " to " + dst.dtype()
                    + " (F16 is storage-only and has no conversion kernel; convert on the CPU)", device);
        }
        long n = dst.numel();
        WeftStrides d = WeftStrides.merge(dst.dims(), src.strides());
        launcher.launch(Launch.elementwise("weft_convert_" + from + "_" + to, n,
                "convert " + Operands.describe(src) + " to " + dst.dtype(),
                n, Operands.pointer(src), d.bytes(0), Operands.pointer(dst)));
    }

    /**
     * The bit pattern {@code weft_fill_bN} writes: the bytes the CPU backend's fill stores for
     * {@code value} in {@code dtype} (rounding to BF16, wrapping into I32, BOOL as value != 0),
     * so both backends fill with the same element.
     */
    static byte[] fillBits(DType dtype, double value) {
        NDArray one = NDArray.zeros(dtype, Device.CPU, 1);
        one.fill_(value);
        CpuStorage s = (CpuStorage) one.storage();
        ByteBuffer b = ByteBuffer.allocate(dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F32 -> b.putFloat(s.floats()[0]);
            case F64 -> b.putDouble(s.doubles()[0]);
            case I64 -> b.putLong(s.longs()[0]);
            case I32 -> b.putInt(s.ints()[0]);
            case U8, BOOL -> b.put(s.bytes()[0]);
            case BF16, F16 -> b.putShort(s.shorts()[0]);
        }
        return b.array();
    }
}
