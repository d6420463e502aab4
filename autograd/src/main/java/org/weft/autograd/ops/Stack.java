package org.weft.autograd.ops;

import java.util.ArrayList;
import java.util.List;
import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.Shape;

/** Joins tensors of one shape along a new dimension; input i's gradient is slice i of the output's. */
public final class Stack extends Function {

    private final int dim;
    private int d;
    private DType[] dtypes;

    public Stack(int dim) {
        this.dim = dim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        List<NDArray> arrays = new ArrayList<>(in.length);
        dtypes = new DType[in.length];
        for (int i = 0; i < in.length; i++) {
            arrays.add(in[i].data());
            dtypes[i] = in[i].dtype();
        }
        NDArray out = NDArray.stack(arrays, dim);
        d = Shape.normalizeDim(dim, out.dim());
        return result(out);
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        Tensor[] g = new Tensor[dtypes.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = needsInputGrad(i) ? grad.select(d, i).to(dtypes[i]) : null;
        }
        return g;
    }
}
