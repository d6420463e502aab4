package org.weft.autograd.ops;

import java.util.ArrayList;
import java.util.List;
import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.Shape;

/** Concatenation along one dimension; each input's gradient is its own slice of the output's. */
public final class Cat extends Function {

    private final int dim;
    private int d;
    private int[] starts;
    private Shape[] shapes;
    private DType[] dtypes;

    public Cat(int dim) {
        this.dim = dim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        List<NDArray> arrays = new ArrayList<>(in.length);
        for (Tensor t : in) {
            arrays.add(t.data());
        }
        NDArray out = NDArray.cat(arrays, dim);
        starts = new int[in.length];
        shapes = new Shape[in.length];
        dtypes = new DType[in.length];
        int at = 0;
        for (int i = 0; i < in.length; i++) {
            shapes[i] = in[i].shape();
            dtypes[i] = in[i].dtype();
            starts[i] = at;
            if (!skipped(i)) {
                d = Shape.normalizeDim(dim, out.dim()); // only an input that is not skipped has a dim
                at += in[i].size(d);
            }
        }
        return result(out);
    }

    /** A one-dimensional empty input, which cat skips (see {@link NDArray#cat}). */
    private boolean skipped(int i) {
        return shapes[i].rank() == 1 && shapes[i].size(0) == 0;
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor[] g = new Tensor[shapes.length];
        for (int i = 0; i < g.length; i++) {
            if (!needsInputGrad(i)) {
                continue;
            }
            g[i] = skipped(i)
                    ? Tensor.of(NDArray.zeros(dtypes[i], grad.device(), 0))
                    : grad.narrow(d, starts[i], shapes[i].size(d)).to(dtypes[i]);
        }
        return g;
    }
}
