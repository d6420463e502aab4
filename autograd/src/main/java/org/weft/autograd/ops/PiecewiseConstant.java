package org.weft.autograd.ops;

import java.util.Locale;
import org.weft.autograd.Function;
import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;

/**
 * A step function (sign, floor, ceil, round): constant between its jumps, so its gradient is
 * zero. At the jumps there is none, and PyTorch says zero there too. The output still takes
 * part in the graph, so {@code x.floor().sum().backward()} gives x a zero gradient, not an error.
 */
public final class PiecewiseConstant extends Function {

    private enum Kind { SIGN, FLOOR, CEIL, ROUND }

    private final Kind kind;

    private PiecewiseConstant(Kind kind) {
        this.kind = kind;
    }

    /** -1, 0 or 1 by the sign of x (0 for NaN, as in PyTorch). */
    public static PiecewiseConstant sign() {
        return new PiecewiseConstant(Kind.SIGN);
    }

    public static PiecewiseConstant floor() {
        return new PiecewiseConstant(Kind.FLOOR);
    }

    public static PiecewiseConstant ceil() {
        return new PiecewiseConstant(Kind.CEIL);
    }

    /** Round half to even. */
    public static PiecewiseConstant round() {
        return new PiecewiseConstant(Kind.ROUND);
    }

    @Override
    protected Tensor forward(Tensor... in) {
        NDArray x = in[0].data();
        return result(switch (kind) {
            case SIGN -> x.sign();
            case FLOOR -> x.floor();
            case CEIL -> x.ceil();
            case ROUND -> x.round();
        });
    }

    @Override
    protected Tensor[] backward(Tensor grad) {
        return grads(grad.zerosLike());
    }

    /** "SignBackward", "FloorBackward", ... rather than the family's name. */
    @Override
    public String name() {
        String n = kind.name();
        return n.charAt(0) + n.substring(1).toLowerCase(Locale.ROOT) + "Backward";
    }
}
