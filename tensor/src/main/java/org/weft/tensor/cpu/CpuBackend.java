package org.weft.tensor.cpu;

import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.NDArray;
import org.weft.tensor.Storage;
import org.weft.tensor.backend.Backend;
import org.weft.tensor.backend.CopyKernels;
import org.weft.tensor.backend.ElementwiseKernels;
import org.weft.tensor.backend.RandomKernels;
import org.weft.tensor.backend.IndexKernels;
import org.weft.tensor.backend.NormKernels;
import org.weft.tensor.backend.ConvKernels;
import org.weft.tensor.backend.LinalgKernels;
import org.weft.tensor.backend.ReductionKernels;

/** The pure-Java backend: the reference every other backend is tested against. */
public final class CpuBackend implements Backend {

    public static final CpuBackend INSTANCE = new CpuBackend();

    private final CopyKernels copy = new CpuCopy();
    private final ElementwiseKernels elementwise = new CpuElementwise();
    private final ReductionKernels reduction = new CpuReduction();
    private final LinalgKernels linalg = new CpuLinalg();
    private final ConvKernels conv = new CpuConv();
    private final NormKernels norm = new CpuNorm();
    private final IndexKernels index = new CpuIndex();
    private final RandomKernels random = new CpuRandom();

    private CpuBackend() {
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public Storage allocate(DType dtype, int length) {
        return new CpuStorage(dtype, length);
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

    /** A CPU array is already on the host. */
    @Override
    public NDArray fromHost(NDArray host) {
        return host;
    }

    /** A CPU array is already on the host. */
    @Override
    public NDArray toHost(NDArray array) {
        return array;
    }
}
