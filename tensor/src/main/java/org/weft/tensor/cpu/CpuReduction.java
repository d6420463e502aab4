package org.weft.tensor.cpu;

import org.weft.tensor.NDArray;
import org.weft.tensor.backend.ReductionKernels;

/**
 * Reductions: the input is seen as [kept dims..., reduced dims...]; each output element is a
 * loop over the reduced block, and output elements are split over the threads.
 */
final class CpuReduction implements ReductionKernels {

    @Override
    public void sum(NDArray x, int[] dims, NDArray out) {
        ReducedView v = ReducedView.of(x, dims, out);
        CpuStorage xs = (CpuStorage) x.storage();
        CpuStorage os = (CpuStorage) out.storage();
        StridedLoop block = v.reduced();
        int st = block.innerStride(0);
        switch (x.dtype()) {
            case F32 -> {
                float[] a = xs.floats();
                v.forEachOutput((outIndex, xOffset) -> {
                    double[] acc = {0};
                    block.run(new int[] {xOffset}, (off, n) -> {
                        double s = 0;
                        for (int i = 0; i < n; i++) {
                            s += a[off[0] + i * st];
                        }
                        acc[0] += s;
                    });
                    os.setDouble(outIndex, acc[0]);
                });
            }
            case F64 -> {
                double[] a = xs.doubles();
                v.forEachOutput((outIndex, xOffset) -> {
                    double[] acc = {0};
                    block.run(new int[] {xOffset}, (off, n) -> {
                        double s = 0;
                        for (int i = 0; i < n; i++) {
                            s += a[off[0] + i * st];
                        }
                        acc[0] += s;
                    });
                    os.setDouble(outIndex, acc[0]);
                });
            }
            default -> v.forEachOutput((outIndex, xOffset) -> {
                long[] acc = {0};
                block.run(new int[] {xOffset}, (off, n) -> {
                    for (int i = 0; i < n; i++) {
                        acc[0] += xs.getLong(off[0] + i * st);
                    }
                });
                os.setLong(outIndex, acc[0]);
            });
        }
    }
}
