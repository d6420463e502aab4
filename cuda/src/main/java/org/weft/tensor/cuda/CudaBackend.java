package org.weft.tensor.cuda;

import org.bytedeco.cuda.global.cudart;
import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.NDArray;
import org.weft.tensor.Shape;
import org.weft.tensor.Storage;
import org.weft.tensor.backend.Backend;
import org.weft.tensor.backend.ConvKernels;
import org.weft.tensor.backend.CopyKernels;
import org.weft.tensor.backend.ElementwiseKernels;
import org.weft.tensor.backend.IndexKernels;
import org.weft.tensor.backend.LinalgKernels;
import org.weft.tensor.backend.NormKernels;
import org.weft.tensor.backend.RandomKernels;
import org.weft.tensor.backend.ReductionKernels;

/**
 * The kernels of one GPU. Storage is allocated through the caching allocator (zero-filled on
 * the backend's stream); arrays move to and from the host through pinned staging buffers
 * ({@link HostTransfer}); the copy, elementwise, reduction, linalg, random, norm and conv
 * families launch Weft's kernels on the backend's one stream ({@link CudaCopy},
 * {@link CudaElementwise}, {@link CudaReduction}, {@link CudaLinalg}, {@link CudaRandom},
 * {@link CudaNorm}, {@link CudaConv}), each for the ops native/ABI.md has kernels for. The index
 * family, and every op without a kernel, fails with "not yet implemented on CUDA: ..." instead
 * of running on the CPU.
 *
 * <p>Status: none of the wired paths has run on a GPU yet; their launches are checked against
 * native/ABI.md on a machine without one, and {@code CudaOpsDeviceTest} holds them against the
 * CPU backend where a GPU is present.
 */
final class CudaBackend implements Backend {

    private final Device device;
    private final GpuInfo gpu;
    private final CudaContext context;
    private final CudaStream stream;
    private final CachingAllocator allocator;
    private KernelLibrary kernels;
    private final Launcher launcher;
    private final Scratch scratch;
    private final HostTransfer transfer;

    private final CopyKernels copy;
    private final ElementwiseKernels elementwise;
    private final ReductionKernels reduction;
    private final LinalgKernels linalg;
    private final ConvKernels conv;
    private final NormKernels norm;
    private final IndexKernels index;
    private final RandomKernels random;

    CudaBackend(GpuInfo gpu) {
        this.gpu = gpu;
        this.device = Device.cuda(gpu.index());
        this.context = CudaContext.retain(gpu.index());
        this.stream = CudaStream.create(context);
        this.allocator = new CachingAllocator(device.toString(), new DriverMemory(context));
        this.launcher = new StreamLauncher(this::kernels, stream);
        this.scratch = this::empty;
        CudaCopy cudaCopy = new CudaCopy(launcher, scratch, device);
        this.copy = cudaCopy;
        this.elementwise = new CudaElementwise(launcher, scratch, cudaCopy, device);
        this.reduction = new CudaReduction(launcher, scratch, cudaCopy, device);
        this.linalg = new CudaLinalg(launcher, device, CudaLinalg.F32Gemm.TF32X3);
        this.transfer = new HostTransfer(context, stream, scratch, cudaCopy);
        this.conv = new CudaConv(launcher, cudaCopy, device);
        this.norm = new CudaNorm(launcher, scratch, cudaCopy, device);
        this.index = NotOnCuda.family(IndexKernels.class, "index", device);
        this.random = new CudaRandom(launcher, device);
    }

    @Override
    public Device device() {
        return device;
    }

    /** Zero-filled device storage; the memset is queued on the backend's stream, like the kernels that use it. */
    @Override
    public Storage allocate(DType dtype, int length) {
        CudaStorage s = new CudaStorage(device, dtype, length, allocator, stream.handle());
        if (s.byteSize() > 0) {
            context.makeCurrent();
            CudaException.check(cudart.cuMemsetD8Async(s.address(), (byte) 0, s.byteSize(), stream.raw()),
                    "cuMemsetD8Async", "zero-filling " + length + " " + dtype + " elements on " + device);
        }
        return s;
    }

    /** A contiguous device array whose elements are not initialised (kernels write all of them). */
    NDArray empty(DType dtype, int... dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        CudaStorage s = new CudaStorage(device, dtype, n, allocator, stream.handle());
        return NDArray.fromStorage(s, new Shape(dims), NDArray.contiguousStrides(dims), 0);
    }

    @Override
    public NDArray fromHost(NDArray host) {
        return transfer.upload(host);
    }

    @Override
    public NDArray toHost(NDArray array) {
        return transfer.download(array);
    }

    /** How this backend's families launch kernels; for the GPU tests. */
    Launcher launcher() {
        return launcher;
    }

    Scratch scratch() {
        return scratch;
    }

    /** This GPU's allocator counters. */
    AllocatorStats memoryStats() {
        return allocator.stats();
    }

    /** Returns this GPU's cached, unused memory to the driver, as torch.cuda.empty_cache. */
    long emptyCache() {
        return allocator.emptyCache();
    }

    GpuInfo gpu() {
        return gpu;
    }

    CudaStream stream() {
        return stream;
    }

    CudaContext context() {
        return context;
    }

    /** Weft's kernels on this GPU, loaded (or compiled with NVRTC) on first use. */
    synchronized KernelLibrary kernels() {
        if (kernels == null) {
            kernels = KernelLibrary.load(context, gpu);
        }
        return kernels;
    }

    @Override
    public CopyKernels copy() {
        return copy;
    }

    @Override
    public ElementwiseKernels elementwise() {
        return elementwise;
    }

    @Override
    public ReductionKernels reduction() {
        return reduction;
    }

    @Override
    public LinalgKernels linalg() {
        return linalg;
    }

    @Override
    public ConvKernels conv() {
        return conv;
    }

    @Override
    public NormKernels norm() {
        return norm;
    }

    @Override
    public IndexKernels index() {
        return index;
    }

    @Override
    public RandomKernels random() {
        return random;
    }
}
