package org.weft.autograd;

import java.util.function.UnaryOperator;
import org.weft.autograd.ops.Add;
import org.weft.autograd.ops.Clone;
import org.weft.autograd.ops.Div;
import org.weft.autograd.ops.Expand;
import org.weft.autograd.ops.Mul;
import org.weft.autograd.ops.Neg;
import org.weft.autograd.ops.Permute;
import org.weft.autograd.ops.Reshape;
import org.weft.autograd.ops.Slice;
import org.weft.autograd.ops.Sub;
import org.weft.autograd.ops.Sum;
import org.weft.autograd.ops.SumToShape;
import org.weft.autograd.ops.ToDType;
import org.weft.autograd.ops.Transpose;
import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.NDArray;
import org.weft.tensor.Shape;

/**
 * An {@link NDArray} that takes part in automatic differentiation: it may require grad,
 * remembers the op that produced it ({@link #gradFn()}), and after {@link #backward()} a
 * leaf holds its gradient in {@link #grad()}. The vocabulary is PyTorch's.
 *
 * <p>Leaves are tensors made directly (by a factory or {@link #detach()}); non-leaves are
 * results of recorded ops. Only leaves keep {@code grad} unless {@link #retainGrad()} asks.
 */
public final class Tensor {

    private final NDArray data;
    private boolean requiresGrad;
    private Tensor grad;
    private Node gradFn;
    private int outputNr;
    private AccumulateGrad accumulator;
    /** The tensor this one is a view of, if a recorded view op made it. */
    private Tensor viewBase;
    private boolean retainsGrad;

    Tensor(NDArray data, boolean requiresGrad) {
        this.data = data;
        if (requiresGrad) {
            requiresGrad_(true);
        }
    }

    // ---------------------------------------------------------------- creation

    /** A leaf tensor over {@code data} (not copied), not requiring grad. */
    public static Tensor of(NDArray data) {
        return new Tensor(data, false);
    }

    public static Tensor of(float[] values, int... shape) {
        return of(NDArray.of(values, shape));
    }

    public static Tensor of(double[] values, int... shape) {
        return of(NDArray.of(values, shape));
    }

    public static Tensor of(long[] values, int... shape) {
        return of(NDArray.of(values, shape));
    }

    public static Tensor scalar(double value) {
        return of(NDArray.scalar(value));
    }

    public static Tensor scalar(double value, DType dtype) {
        return of(NDArray.scalar(value, dtype));
    }

    public static Tensor zeros(int... shape) {
        return of(NDArray.zeros(shape));
    }

    public static Tensor zeros(DType dtype, int... shape) {
        return of(NDArray.zeros(dtype, shape));
    }

    public static Tensor ones(int... shape) {
        return of(NDArray.ones(shape));
    }

    public static Tensor ones(DType dtype, int... shape) {
        return of(NDArray.ones(dtype, shape));
    }

    public static Tensor full(double value, DType dtype, int... shape) {
        return of(NDArray.full(value, dtype, shape));
    }

    public static Tensor arange(long end) {
        return of(NDArray.arange(end));
    }

    public static Tensor arange(double start, double end, double step, DType dtype) {
        return of(NDArray.arange(start, end, step, dtype));
    }

    public static Tensor linspace(double start, double end, int steps) {
        return of(NDArray.linspace(start, end, steps));
    }

    public static Tensor eye(int n) {
        return of(NDArray.eye(n));
    }

    public Tensor zerosLike() {
        return of(data.zerosLike());
    }

    public Tensor onesLike() {
        return of(data.onesLike());
    }

    // ---------------------------------------------------------------- metadata

    /** The array this tensor wraps; reading it records nothing. */
    public NDArray data() {
        return data;
    }

    public DType dtype() {
        return data.dtype();
    }

    public Device device() {
        return data.device();
    }

    public Shape shape() {
        return data.shape();
    }

    public int[] dims() {
        return data.dims();
    }

    public int dim() {
        return data.dim();
    }

    public int size(int d) {
        return data.size(d);
    }

    public int numel() {
        return data.numel();
    }

    public boolean isContiguous() {
        return data.isContiguous();
    }

    /** The value of a one-element tensor. */
    public double item() {
        return data.item();
    }

    public float[] toFloatArray() {
        return data.toFloatArray();
    }

    public double[] toDoubleArray() {
        return data.toDoubleArray();
    }

    public long[] toLongArray() {
        return data.toLongArray();
    }

    // ---------------------------------------------------------------- the graph

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Sets whether this leaf requires grad, in place, and returns it. Only floating-point
     * leaves can; a non-leaf's flag follows from its inputs.
     */
    public Tensor requiresGrad_(boolean requires) {
        if (gradFn != null) {
            if (!requires) {
                throw new IllegalStateException("you can only change requires_grad flags of leaf variables. If you want"
                        + " to use a computed variable in a subgraph that doesn't require differentiation use"
                        + " var_no_grad = var.detach().");
            }
            return this;
        }
        if (requires && !data.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("only Tensors of floating point dtype can require gradients, got "
                    + data.dtype());
        }
        requiresGrad = requires;
        return this;
    }

    /** The accumulated gradient of a leaf (or of a non-leaf that {@link #retainGrad retains} it); null before any. */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the gradient (null clears it, as {@code x.grad = None}). */
    public void setGrad(Tensor g) {
        if (g != null && (!g.shape().equals(shape()) || g.dtype() != dtype())) {
            throw new IllegalArgumentException("assigned grad has data of a different size or type: got "
                    + g.dtype() + " " + g.shape() + ", expected " + dtype() + " " + shape());
        }
        grad = g;
    }

    /** The node of the op that produced this tensor; null for leaves. */
    public Node gradFn() {
        return gradFn;
    }

    public boolean isLeaf() {
        return gradFn == null;
    }

    /** Back-propagates from a one-element tensor, accumulating into the leaves' grad. */
    public void backward() {
        if (numel() != 1) {
            throw new IllegalArgumentException("grad can be implicitly created only for scalar outputs, but this tensor has shape "
                    + shape());
        }
        backward(of(data.onesLike()), false, false);
    }

    /** Back-propagates {@code gradient} (the gradient of some scalar with respect to this tensor). */
    public void backward(Tensor gradient) {
        backward(gradient, false, false);
    }

    /**
     * Back-propagates {@code gradient}. {@code retainGraph} keeps saved tensors so backward can
     * run again; {@code createGraph} records the backward itself, for higher derivatives.
     */
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        Engine.run(new Tensor[] {this}, new Tensor[] {gradient}, retainGraph || createGraph, createGraph, null, false);
    }

    /** Keeps this non-leaf's gradient in {@link #grad()} after backward. */
    public Tensor retainGrad() {
        if (!requiresGrad) {
            throw new IllegalStateException("can't retain_grad on Tensor that has requires_grad=False");
        }
        if (gradFn != null && !retainsGrad) {
            retainsGrad = true;
            gradFn.retainGrad(outputNr, this);
        }
        return this;
    }

    public boolean retainsGrad() {
        return retainsGrad || (isLeaf() && requiresGrad);
    }

    /**
     * Registers a hook called with this tensor's gradient each time it is computed; if the
     * hook returns a tensor, that replaces the gradient.
     */
    public RemovableHandle registerHook(UnaryOperator<Tensor> hook) {
        Edge e = gradientEdge();
        if (e == null) {
            throw new IllegalStateException("cannot register a hook on a tensor that doesn't require gradient");
        }
        e.node().addOutputHook(e.inputNr(), hook);
        return () -> e.node().removeOutputHook(e.inputNr(), hook);
    }

    /** A tensor sharing this one's data, cut from the graph and not requiring grad. */
    public Tensor detach() {
        return new Tensor(data, false);
    }

    /** Where this tensor's gradient goes: its op's node, its leaf accumulator, or nowhere. */
    Edge gradientEdge() {
        if (gradFn != null) {
            return new Edge(gradFn, outputNr);
        }
        if (!requiresGrad) {
            return null;
        }
        if (accumulator == null) {
            accumulator = new AccumulateGrad(this);
        }
        return new Edge(accumulator, 0);
    }

    /** Makes this tensor output {@code nr} of {@code node}; called once, by the op that made it. */
    void attach(Node node, int nr, Tensor base) {
        gradFn = node;
        outputNr = nr;
        requiresGrad = true;
        viewBase = base == null ? null : (base.viewBase != null ? base.viewBase : base);
    }

    void accumulateRetained(Tensor g) {
        if (grad == null) {
            grad = new Tensor(g.data().copy(), false);
        } else {
            grad = new Tensor(grad.data().add(g.data()), false);
        }
    }

    // ---------------------------------------------------------------- in-place ops

    /**
     * Writes the result of {@code op} applied to this tensor into this tensor's elements. With
     * grad recording this is the op out of place, written back, after which this tensor's
     * history is the op's: exactly what a gradient of the overwritten value needs. Saved
     * copies of the old value see the version change and refuse to be used.
     */
    private Tensor inPlace(String name, Function op, Tensor... others) {
        Tensor[] args = new Tensor[others.length + 1];
        boolean recording = Grad.isEnabled() && (requiresGrad || anyRequiresGrad(others));
        if (recording && isLeaf() && requiresGrad) {
            throw new IllegalStateException("a leaf Variable that requires grad is being used in an in-place operation ("
                    + name + ").");
        }
        if (recording && viewBase != null) {
            throw new IllegalStateException(name + ": in-place operation on a view of a tensor that requires grad is"
                    + " not supported; apply it to a clone() instead");
        }
        Tensor before = new Tensor(data, false);
        before.requiresGrad = requiresGrad;
        before.gradFn = gradFn;
        before.outputNr = outputNr;
        before.accumulator = accumulator;
        args[0] = before;
        System.arraycopy(others, 0, args, 1, others.length);
        Tensor result = op.apply(args);
        data.copy_(result.data);
        if (recording) {
            gradFn = result.gradFn;
            outputNr = result.outputNr;
            requiresGrad = result.requiresGrad;
        }
        return this;
    }

    private static boolean anyRequiresGrad(Tensor[] ts) {
        for (Tensor t : ts) {
            if (t.requiresGrad) {
                return true;
            }
        }
        return false;
    }

    /** {@code this += other}, in place. */
    public Tensor add_(Tensor other) {
        return inPlace("add_", new Add(), other);
    }

    public Tensor sub_(Tensor other) {
        return inPlace("sub_", new Sub(), other);
    }

    public Tensor mul_(Tensor other) {
        return inPlace("mul_", new Mul(), other);
    }

    public Tensor mul_(double scalar) {
        return inPlace("mul_", new Mul(), scalarLike(scalar));
    }

    public Tensor div_(Tensor other) {
        return inPlace("div_", new Div(), other);
    }

    /** Sets every element to zero, in place; a recorded graph sees a constant. */
    public Tensor zero_() {
        return fill_(0);
    }

    /** Sets every element to {@code value}, in place. */
    public Tensor fill_(double value) {
        return copy_(scalarLike(value));
    }

    /** Copies {@code src} (broadcast, converted) into this tensor, in place. */
    public Tensor copy_(Tensor src) {
        return inPlace("copy_", new CopyInto(), src);
    }

    /** The in-place copy as an op: the gradient goes to the source, none to the overwritten values. */
    private static final class CopyInto extends Function {
        private Shape srcShape;
        private DType srcType;

        @Override
        protected Tensor forward(Tensor... in) {
            srcShape = in[1].shape();
            srcType = in[1].dtype();
            return result(in[1].data().broadcastTo(in[0].shape()).to(in[0].dtype()).copy());
        }

        @Override
        protected Tensor[] backward(Tensor grad) {
            Tensor g = needsInputGrad(1) ? grad.sumToShape(srcShape).to(srcType) : null;
            return grads(needsInputGrad(0) ? grad.zerosLike() : null, g);
        }
    }

    private Tensor scalarLike(double value) {
        return of(NDArray.scalar(value, dtype().isFloatingPoint() ? dtype() : DType.F32));
    }

    // ---------------------------------------------------------------- conversions

    /** This tensor converted to {@code dtype} (itself if it has it); gradients flow back converted. */
    public Tensor to(DType dtype) {
        return dtype == dtype() ? this : new ToDType(dtype).apply(this);
    }

    /** A copy that owns its data; the gradient passes through unchanged. */
    public Tensor copy() {
        return new Clone().apply(this);
    }

    /** This tensor if contiguous, otherwise a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : copy();
    }

    // ---------------------------------------------------------------- views

    public Tensor view(int... shape) {
        data.view(shape); // fails with view's own message if the strides cannot express it
        return new Reshape(shape).apply(this);
    }

    public Tensor reshape(int... shape) {
        return new Reshape(shape).apply(this);
    }

    public Tensor transpose(int dim0, int dim1) {
        return new Transpose(dim0, dim1).apply(this);
    }

    public Tensor t() {
        if (dim() > 2) {
            throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + dim() + "D");
        }
        return dim() < 2 ? this : transpose(0, 1);
    }

    public Tensor permute(int... dims) {
        return new Permute(dims).apply(this);
    }

    public Tensor expand(int... sizes) {
        return new Expand(sizes).apply(this);
    }

    public Tensor broadcastTo(Shape shape) {
        return expand(shape.dims());
    }

    public Tensor narrow(int dim, int start, int length) {
        int d = Shape.normalizeDim(dim, dim());
        int st = start < 0 ? start + size(d) : start;
        data.narrow(d, st, length); // validates with narrow's message
        return new Slice(d, st, st + length, 1).apply(this);
    }

    public Tensor slice(int dim, int start, int end, int step) {
        return new Slice(dim, start, end, step).apply(this);
    }

    /** Index {@code index} of dimension {@code dim}, removing the dimension. */
    public Tensor select(int dim, int index) {
        int d = Shape.normalizeDim(dim, dim());
        NDArray v = data.select(d, index); // validates
        int i = index < 0 ? index + size(d) : index;
        return new Slice(d, i, i + 1, 1).apply(this).reshape(v.dims());
    }

    public Tensor squeeze() {
        return reshape(data.squeeze().dims());
    }

    public Tensor squeeze(int dim) {
        return reshape(data.squeeze(dim).dims());
    }

    public Tensor unsqueeze(int dim) {
        return reshape(data.unsqueeze(dim).dims());
    }

    public Tensor flatten() {
        return reshape(numel());
    }

    public Tensor flatten(int startDim, int endDim) {
        return reshape(data.flatten(startDim, endDim).dims());
    }

    // ---------------------------------------------------------------- arithmetic

    public Tensor add(Tensor other) {
        return new Add().apply(this, other);
    }

    public Tensor add(double scalar) {
        return new Add().apply(this, scalarLike(scalar));
    }

    public Tensor sub(Tensor other) {
        return new Sub().apply(this, other);
    }

    public Tensor sub(double scalar) {
        return new Sub().apply(this, scalarLike(scalar));
    }

    /** {@code scalar - this}. */
    public Tensor rsub(double scalar) {
        return new Sub().apply(scalarLike(scalar), this);
    }

    public Tensor mul(Tensor other) {
        return new Mul().apply(this, other);
    }

    public Tensor mul(double scalar) {
        return new Mul().apply(this, scalarLike(scalar));
    }

    public Tensor div(Tensor other) {
        return new Div().apply(this, other);
    }

    public Tensor div(double scalar) {
        return new Div().apply(this, scalarLike(scalar));
    }

    public Tensor neg() {
        return new Neg().apply(this);
    }

    /** {@code this + scalar} with an integer: an integer tensor keeps its dtype, as with a Python int. */
    public Tensor add(long scalar) {
        return new Add().apply(this, integerScalarLike(scalar));
    }

    public Tensor sub(long scalar) {
        return new Sub().apply(this, integerScalarLike(scalar));
    }

    public Tensor mul(long scalar) {
        return new Mul().apply(this, integerScalarLike(scalar));
    }

    /** {@code scalar / this}. */
    public Tensor rdiv(double scalar) {
        return new Div().apply(scalarLike(scalar), this);
    }

    /** {@code this ^ exponent}, both broadcast. */
    public Tensor pow(Tensor exponent) {
        return new org.weft.autograd.ops.Pow().apply(this, exponent);
    }

    /** {@code this ^ exponent}; an integer tensor gives F32, as with a Python float exponent. */
    public Tensor pow(double exponent) {
        return new org.weft.autograd.ops.PowScalar(exponent).apply(this);
    }

    /** {@code base ^ this}. */
    public Tensor rpow(double base) {
        return new org.weft.autograd.ops.RPow(base).apply(this);
    }

    public Tensor exp() {
        return new org.weft.autograd.ops.Exp().apply(this);
    }

    /** {@code e^x - 1}, accurate for small x. */
    public Tensor expm1() {
        return new org.weft.autograd.ops.Expm1().apply(this);
    }

    public Tensor log() {
        return new org.weft.autograd.ops.Log().apply(this);
    }

    /** {@code log(1 + x)}, accurate for small x. */
    public Tensor log1p() {
        return new org.weft.autograd.ops.Log1p().apply(this);
    }

    public Tensor sqrt() {
        return new org.weft.autograd.ops.Sqrt().apply(this);
    }

    /** {@code 1 / sqrt(x)}. */
    public Tensor rsqrt() {
        return new org.weft.autograd.ops.Rsqrt().apply(this);
    }

    public Tensor reciprocal() {
        return new org.weft.autograd.ops.Reciprocal().apply(this);
    }

    public Tensor sin() {
        return new org.weft.autograd.ops.Sin().apply(this);
    }

    public Tensor cos() {
        return new org.weft.autograd.ops.Cos().apply(this);
    }

    public Tensor tanh() {
        return new org.weft.autograd.ops.Tanh().apply(this);
    }

    public Tensor sigmoid() {
        return new org.weft.autograd.ops.Sigmoid().apply(this);
    }

    public Tensor relu() {
        return new org.weft.autograd.ops.Relu().apply(this);
    }

    /** GELU in its exact form, {@code x Phi(x)}. */
    public Tensor gelu() {
        return new org.weft.autograd.ops.Gelu("none").apply(this);
    }

    /** GELU; {@code approximate} is "none" (exact, erf) or "tanh", as in PyTorch. */
    public Tensor gelu(String approximate) {
        return new org.weft.autograd.ops.Gelu(approximate).apply(this);
    }

    public Tensor erf() {
        return new org.weft.autograd.ops.Erf().apply(this);
    }

    public Tensor abs() {
        return new org.weft.autograd.ops.Abs().apply(this);
    }

    /** -1, 0 or 1 (0 for NaN, as in PyTorch); its gradient is zero. */
    public Tensor sign() {
        return org.weft.autograd.ops.PiecewiseConstant.sign().apply(this);
    }

    public Tensor floor() {
        return org.weft.autograd.ops.PiecewiseConstant.floor().apply(this);
    }

    public Tensor ceil() {
        return org.weft.autograd.ops.PiecewiseConstant.ceil().apply(this);
    }

    /** Rounds half to even, as PyTorch does. */
    public Tensor round() {
        return org.weft.autograd.ops.PiecewiseConstant.round().apply(this);
    }

    /** Limits every element to {@code [min, max]}; NaN bounds are errors, NaN elements stay NaN. */
    public Tensor clamp(double min, double max) {
        return new org.weft.autograd.ops.Clamp(min, max).apply(this);
    }

    public Tensor clampMin(double min) {
        return new org.weft.autograd.ops.Clamp(min, Double.POSITIVE_INFINITY).apply(this);
    }

    public Tensor clampMax(double max) {
        return new org.weft.autograd.ops.Clamp(Double.NEGATIVE_INFINITY, max).apply(this);
    }

    /** Elementwise max of two broadcast tensors; NaN wins; ties split the gradient equally. */
    public Tensor maximum(Tensor other) {
        return org.weft.autograd.ops.Extremum.maximum().apply(this, other);
    }

    public Tensor minimum(Tensor other) {
        return org.weft.autograd.ops.Extremum.minimum().apply(this, other);
    }

    /** {@code cond ? a : b} elementwise, the three broadcast together; cond must be BOOL. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return new org.weft.autograd.ops.Where().apply(cond, a, b);
    }

    // Comparisons give BOOL tensors, which carry no gradient and so record nothing.

    public Tensor eq(Tensor other) {
        return of(data.eq(other.data));
    }

    public Tensor eq(double scalar) {
        return of(data.eq(scalar));
    }

    public Tensor ne(Tensor other) {
        return of(data.ne(other.data));
    }

    public Tensor ne(double scalar) {
        return of(data.ne(scalar));
    }

    public Tensor lt(Tensor other) {
        return of(data.lt(other.data));
    }

    public Tensor lt(double scalar) {
        return of(data.lt(scalar));
    }

    public Tensor le(Tensor other) {
        return of(data.le(other.data));
    }

    public Tensor le(double scalar) {
        return of(data.le(scalar));
    }

    public Tensor gt(Tensor other) {
        return of(data.gt(other.data));
    }

    public Tensor gt(double scalar) {
        return of(data.gt(scalar));
    }

    public Tensor ge(Tensor other) {
        return of(data.ge(other.data));
    }

    public Tensor ge(double scalar) {
        return of(data.ge(scalar));
    }

    /** A 0-d tensor of {@code value} in this tensor's dtype (I64 for BOOL), as PyTorch treats a Python int. */
    private Tensor integerScalarLike(long value) {
        return of(NDArray.of(new long[] {value}).reshape().to(dtype() == DType.BOOL ? DType.I64 : dtype()));
    }

    // --- more elementwise ops go above this line ---

    // ---------------------------------------------------------------- reductions

    /** The sum of all elements, as a 0-dimensional tensor. */
    public Tensor sum() {
        return new Sum(null, false).apply(this);
    }

    public Tensor sum(int[] dims, boolean keepdim) {
        return new Sum(dims, keepdim).apply(this);
    }

    public Tensor sum(int dim, boolean keepdim) {
        return new Sum(new int[] {dim}, keepdim).apply(this);
    }

    /** Sums a broadcast gradient back to the shape it was broadcast from. */
    public Tensor sumToShape(Shape target) {
        return shape().equals(target) ? this : new SumToShape(target).apply(this);
    }

    // --- more reductions go above this line ---

    // ---------------------------------------------------------------- linear algebra

    // --- linear algebra (matmul, ...) goes above this line ---

    // ---------------------------------------------------------------- joining, splitting and indexing

    // --- shape and indexing ops (cat, gather, ...) go above this line ---

    // ---------------------------------------------------------------- random numbers

    // --- random tensors (rand, randn, ...) go above this line ---

    @Override
    public String toString() {
        String s = data.toString().replaceFirst("^NDArray", "Tensor");
        if (gradFn != null) {
            return s + ", grad_fn=" + gradFn;
        }
        return requiresGrad ? s + ", requires_grad" : s;
    }
}
