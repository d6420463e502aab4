package org.weft.autograd;

import java.util.List;
import java.util.function.UnaryOperator;
import org.weft.autograd.ops.Abs;
import org.weft.autograd.ops.Add;
import org.weft.autograd.ops.AddMm;
import org.weft.autograd.ops.Amax;
import org.weft.autograd.ops.Cat;
import org.weft.autograd.ops.Clamp;
import org.weft.autograd.ops.Clone;
import org.weft.autograd.ops.CopyInto;
import org.weft.autograd.ops.Cos;
import org.weft.autograd.ops.Cumsum;
import org.weft.autograd.ops.Div;
import org.weft.autograd.ops.Erf;
import org.weft.autograd.ops.Exp;
import org.weft.autograd.ops.Expand;
import org.weft.autograd.ops.Expm1;
import org.weft.autograd.ops.Extremum;
import org.weft.autograd.ops.Flip;
import org.weft.autograd.ops.Gather;
import org.weft.autograd.ops.Gelu;
import org.weft.autograd.ops.IndexAdd;
import org.weft.autograd.ops.IndexSelect;
import org.weft.autograd.ops.Linear;
import org.weft.autograd.ops.Log;
import org.weft.autograd.ops.Log1p;
import org.weft.autograd.ops.LogSumExp;
import org.weft.autograd.ops.MaskedFill;
import org.weft.autograd.ops.MatMul;
import org.weft.autograd.ops.MaxDim;
import org.weft.autograd.ops.Mean;
import org.weft.autograd.ops.Mul;
import org.weft.autograd.ops.Neg;
import org.weft.autograd.ops.Norm;
import org.weft.autograd.ops.Pad;
import org.weft.autograd.ops.PairwiseSquaredDistances;
import org.weft.autograd.ops.Permute;
import org.weft.autograd.ops.PiecewiseConstant;
import org.weft.autograd.ops.Pow;
import org.weft.autograd.ops.PowScalar;
import org.weft.autograd.ops.RPow;
import org.weft.autograd.ops.Reciprocal;
import org.weft.autograd.ops.Relu;
import org.weft.autograd.ops.Repeat;
import org.weft.autograd.ops.Reshape;
import org.weft.autograd.ops.Roll;
import org.weft.autograd.ops.Rsqrt;
import org.weft.autograd.ops.ScatterAdd;
import org.weft.autograd.ops.Sigmoid;
import org.weft.autograd.ops.Sin;
import org.weft.autograd.ops.Slice;
import org.weft.autograd.ops.Sort;
import org.weft.autograd.ops.Split;
import org.weft.autograd.ops.Sqrt;
import org.weft.autograd.ops.Stack;
import org.weft.autograd.ops.Std;
import org.weft.autograd.ops.Sub;
import org.weft.autograd.ops.Sum;
import org.weft.autograd.ops.SumToShape;
import org.weft.autograd.ops.Tanh;
import org.weft.autograd.ops.ToDType;
import org.weft.autograd.ops.Transpose;
import org.weft.autograd.ops.Var;
import org.weft.autograd.ops.Where;
import org.weft.tensor.DType;
import org.weft.tensor.Device;
import org.weft.tensor.NDArray;
import org.weft.tensor.Shape;
import org.weft.tensor.random.Generator;

/**
 * An {@link NDArray} that takes part in automatic differentiation: it may require grad,
 * remembers the op that produced it ({@link #gradFn()}), and after {@link #backward()} a
 * leaf holds its gradient in {@link #grad()}. The vocabulary is PyTorch's.
 *
 * <p>Leaves are tensors made directly (by a factory or {@link #detach()}); non-leaves are
 * results of recorded ops. Only leaves keep {@code grad} unless {@link #retainGrad()} asks.
 */
public final class Tensor {

    private NDArray data;
    private boolean requiresGrad;
    private Tensor grad;
    private Node gradFn;
    private int outputNr;
    private AccumulateGrad accumulator;
    /** The tensor this one is a view of, if a view op made it (recorded or not). */
    private Tensor viewBase;
    /** How many recorded in-place ops have written into this tensor. */
    private int recordedWrites;
    /** The base's {@link #recordedWrites} when this view was made: a later write makes its history stale. */
    private int baseWritesAtView;
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

    /** An F32 leaf holding a copy of {@code values}, as {@code torch.tensor}; a flat vector if no shape is given. */
    public static Tensor of(float[] values, int... shape) {
        return of(NDArray.of(values, shape));
    }

    /** An F64 leaf holding a copy of {@code values}; a flat vector if no shape is given. */
    public static Tensor of(double[] values, int... shape) {
        return of(NDArray.of(values, shape));
    }

    /** An I64 leaf holding a copy of {@code values}; a flat vector if no shape is given. */
    public static Tensor of(long[] values, int... shape) {
        return of(NDArray.of(values, shape));
    }

    /** A 0-dimensional F32 tensor, as {@code torch.tensor(value)}. */
    public static Tensor scalar(double value) {
        return of(NDArray.scalar(value));
    }

    /** A 0-dimensional tensor of {@code dtype}. */
    public static Tensor scalar(double value, DType dtype) {
        return of(NDArray.scalar(value, dtype));
    }

    /** F32 zeros, as {@code torch.zeros}. */
    public static Tensor zeros(int... shape) {
        return of(NDArray.zeros(shape));
    }

    /** Zeros of {@code dtype}. */
    public static Tensor zeros(DType dtype, int... shape) {
        return of(NDArray.zeros(dtype, shape));
    }

    /** F32 ones, as {@code torch.ones}. */
    public static Tensor ones(int... shape) {
        return of(NDArray.ones(shape));
    }

    /** Ones of {@code dtype}. */
    public static Tensor ones(DType dtype, int... shape) {
        return of(NDArray.ones(dtype, shape));
    }

    /** A tensor of {@code dtype} filled with {@code value}, as {@code torch.full}. */
    public static Tensor full(double value, DType dtype, int... shape) {
        return of(NDArray.full(value, dtype, shape));
    }

    /** {@code [0, 1, ..., end-1]} as I64, as {@code torch.arange(end)}. */
    public static Tensor arange(long end) {
        return of(NDArray.arange(end));
    }

    /** {@code start, start+step, ...} up to but excluding {@code end}, as {@code torch.arange}. */
    public static Tensor arange(double start, double end, double step, DType dtype) {
        return of(NDArray.arange(start, end, step, dtype));
    }

    /** {@code steps} evenly spaced F32 values from {@code start} to {@code end}, as {@code torch.linspace}. */
    public static Tensor linspace(double start, double end, int steps) {
        return of(NDArray.linspace(start, end, steps));
    }

    /** The F32 n x n identity matrix, as {@code torch.eye}. */
    public static Tensor eye(int n) {
        return of(NDArray.eye(n));
    }

    /** Zeros of this tensor's shape, dtype and device, as {@code torch.zeros_like}; not requiring grad. */
    public Tensor zerosLike() {
        return of(data.zerosLike());
    }

    /** Ones of this tensor's shape, dtype and device, as {@code torch.ones_like}; not requiring grad. */
    public Tensor onesLike() {
        return of(data.onesLike());
    }

    // ---------------------------------------------------------------- metadata

    /** The array this tensor wraps; reading it records nothing. */
    public NDArray data() {
        return data;
    }

    /** The element type, as {@code tensor.dtype}. */
    public DType dtype() {
        return data.dtype();
    }

    /** Where the elements live, as {@code tensor.device}. */
    public Device device() {
        return data.device();
    }

    /** The sizes of the dimensions, as {@code tensor.shape}. */
    public Shape shape() {
        return data.shape();
    }

    /** The sizes of the dimensions as a fresh array. */
    public int[] dims() {
        return data.dims();
    }

    /** The number of dimensions, as {@code tensor.dim()}. */
    public int dim() {
        return data.dim();
    }

    /** The size of dimension {@code d} (negative counts from the end), as {@code tensor.size(d)}. */
    public int size(int d) {
        return data.size(d);
    }

    /** The number of elements, as {@code tensor.numel()}. */
    public int numel() {
        return data.numel();
    }

    /** Whether the elements lie in row-major order without gaps, as {@code tensor.is_contiguous()}. */
    public boolean isContiguous() {
        return data.isContiguous();
    }

    /** The value of a one-element tensor. */
    public double item() {
        return data.item();
    }

    /** The elements in row-major order, converted to float. */
    public float[] toFloatArray() {
        return data.toFloatArray();
    }

    /** The elements in row-major order, converted to double. */
    public double[] toDoubleArray() {
        return data.toDoubleArray();
    }

    /** The elements in row-major order, converted to long. */
    public long[] toLongArray() {
        return data.toLongArray();
    }

    // ---------------------------------------------------------------- the graph

    /** Whether gradients are recorded for this tensor, as {@code tensor.requires_grad}. */
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

    /** Whether this tensor was made directly rather than by a recorded op, as {@code tensor.is_leaf}. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /**
     * Replaces the array this leaf wraps, as PyTorch's {@code tensor.data = array}: the tensor
     * keeps its identity (optimisers and modules that hold it see the new values), which is
     * how a module moves its parameters to another dtype or device. Its gradient is dropped
     * because it no longer matches.
     */
    public void setData(NDArray array) {
        if (gradFn != null) {
            throw new IllegalStateException("setData: only a leaf tensor's data can be replaced; this one was made by "
                    + gradFn.name());
        }
        if (requiresGrad && !array.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("setData: a tensor that requires grad needs floating-point data, got "
                    + array.dtype());
        }
        this.data = array;
        this.grad = null;
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

    /**
     * Whether {@link #retainGrad()} asked this non-leaf to keep its gradient, as
     * {@code tensor.retains_grad} (false for leaves, which keep theirs anyway).
     */
    public boolean retainsGrad() {
        return retainsGrad;
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
        if (viewBase != null && viewBase.recordedWrites != baseWritesAtView) {
            // PyTorch replays the view on the written base; Weft has no replay, and the old
            // history would give a silently wrong gradient.
            throw new IllegalStateException("this view of a " + viewBase.shape() + " tensor was taken before the"
                    + " tensor was modified in place, so its recorded history is stale; take the view again"
                    + " after the in-place op");
        }
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
        if (base != null) {
            rememberViewBase(base);
        }
    }

    /** Makes this tensor a view of {@code base}'s root base; called by the view op that made it. */
    void rememberViewBase(Tensor base) {
        viewBase = base.viewBase != null ? base.viewBase : base;
        baseWritesAtView = viewBase.recordedWrites;
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
     *
     * <p>{@code oldValue} says whether the op's backward reads this tensor's value from before
     * the write; where it does, as PyTorch does, the op gets a copy of that value.
     */
    private Tensor inPlace(String name, Function op, OldValue oldValue, Tensor... others) {
        Tensor[] args = new Tensor[others.length + 1];
        boolean recording = Grad.isEnabled() && (requiresGrad || anyRequiresGrad(others));
        if (recording && isLeaf() && requiresGrad) {
            throw new IllegalStateException("a leaf Variable that requires grad is being used in an in-place operation ("
                    + name + ").");
        }
        if (recording && viewBase != null) {
            // PyTorch records the write into the view's base too; Weft cannot, and the base
            // would keep a history (or none) that misses the written values' gradient.
            throw new IllegalStateException(name + ": in-place operation on a view is not supported while recording"
                    + " gradients; apply it to a clone(), or build the tensor with cat/stack");
        }
        boolean keepOld = recording && (oldValue == OldValue.READ
                || (oldValue == OldValue.READ_FOR_OTHERS && anyRequiresGrad(others)));
        Tensor before = new Tensor(keepOld ? data.copy() : data, false);
        before.requiresGrad = requiresGrad;
        before.gradFn = gradFn;
        before.outputNr = outputNr;
        before.accumulator = accumulator;
        args[0] = before;
        System.arraycopy(others, 0, args, 1, others.length);
        Tensor result = op.apply(args);
        if (!DType.canCast(result.dtype(), dtype())) {
            throw new IllegalArgumentException(name + ": result type " + result.dtype()
                    + " can't be cast to the desired output type " + dtype());
        }
        if (!result.shape().equals(shape())) {
            throw new IllegalArgumentException(name + ": output with shape " + shape()
                    + " doesn't match the broadcast shape " + result.shape());
        }
        data.copy_(result.data);
        if (recording) {
            recordedWrites++;
            if (retainsGrad) { // retain_grad follows the tensor to its new history, as in PyTorch
                gradFn.stopRetaining(outputNr);
                result.gradFn.retainGrad(result.outputNr, this);
            }
            gradFn = result.gradFn;
            outputNr = result.outputNr;
            requiresGrad = result.requiresGrad;
        }
        return this;
    }

    /** Whether an in-place op's backward reads the value its write replaces. */
    private enum OldValue {
        /** Never (add, sub, copy, and ops that save their result). */
        NOT_READ,
        /** For the other operands' gradients only (mul, div). */
        READ_FOR_OTHERS,
        /** For its own gradient (clamp). */
        READ
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
        return inPlace("add_", new Add(), OldValue.NOT_READ, other);
    }

    /** {@code this += scalar}, in place. */
    public Tensor add_(double scalar) {
        return inPlace("add_", new Add(), OldValue.NOT_READ, scalarLike(scalar));
    }

    /** {@code this -= other}, in place. */
    public Tensor sub_(Tensor other) {
        return inPlace("sub_", new Sub(), OldValue.NOT_READ, other);
    }

    /** {@code this -= scalar}, in place. */
    public Tensor sub_(double scalar) {
        return inPlace("sub_", new Sub(), OldValue.NOT_READ, scalarLike(scalar));
    }

    /** {@code this *= other}, in place. */
    public Tensor mul_(Tensor other) {
        return inPlace("mul_", new Mul(), OldValue.READ_FOR_OTHERS, other);
    }

    /** {@code this *= scalar}, in place. */
    public Tensor mul_(double scalar) {
        return inPlace("mul_", new Mul(), OldValue.READ_FOR_OTHERS, scalarLike(scalar));
    }

    /** {@code this /= other}, in place. */
    public Tensor div_(Tensor other) {
        return inPlace("div_", new Div(), OldValue.READ_FOR_OTHERS, other);
    }

    /** {@code this /= scalar}, in place. */
    public Tensor div_(double scalar) {
        return inPlace("div_", new Div(), OldValue.READ_FOR_OTHERS, scalarLike(scalar));
    }

    /** Limits every element to {@code [min, max]}, in place. */
    public Tensor clamp_(double min, double max) {
        return inPlace("clamp_", new Clamp(min, max), OldValue.READ);
    }

    /** Sets the elements where {@code mask} (BOOL, broadcast) is true to {@code value}, in place. */
    public Tensor maskedFill_(Tensor mask, double value) {
        return inPlace("masked_fill_", new MaskedFill(value), OldValue.NOT_READ, mask);
    }

    /** {@code max(x, 0)} written into this tensor, as {@code tensor.relu_()} (torchvision's {@code ReLU(inplace=True)}). */
    public Tensor relu_() {
        return inPlace("relu_", new Relu(), OldValue.NOT_READ);
    }

    /** Sets every element to zero, in place; a recorded graph sees a constant. */
    public Tensor zero_() {
        return fill_(0);
    }

    /** Sets every element to {@code value}, in place. */
    public Tensor fill_(double value) {
        return copy_(scalarLike(value));
    }

    /** Copies {@code src} (broadcast, converted) into this tensor, in place; the gradient goes to {@code src}. */
    public Tensor copy_(Tensor src) {
        return inPlace("copy_", new CopyInto(), OldValue.NOT_READ, src);
    }

    // ---------------------------------------------------------------- conversions

    /** This tensor converted to {@code dtype} (itself if it has it); gradients flow back converted. */
    public Tensor to(DType dtype) {
        return dtype == dtype() ? this : new ToDType(dtype).apply(this);
    }

    /** A copy that owns its data, as {@code tensor.clone()}; the gradient passes through unchanged. */
    public Tensor copy() {
        return new Clone().apply(this);
    }

    /** This tensor if contiguous, otherwise a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : copy();
    }

    // ---------------------------------------------------------------- views

    /** The same elements under a new shape without copying, as {@code tensor.view}; one size may be -1. */
    public Tensor view(int... shape) {
        data.view(shape); // fails with view's own message if the strides cannot express it
        return new Reshape(shape).apply(this);
    }

    /** {@link #view} when the strides allow it, otherwise a copy in the new shape, as {@code tensor.reshape}. */
    public Tensor reshape(int... shape) {
        return new Reshape(shape).apply(this);
    }

    /** Swaps two dimensions, as {@code tensor.transpose}. */
    public Tensor transpose(int dim0, int dim1) {
        return new Transpose(dim0, dim1).apply(this);
    }

    /** The transpose of a matrix (a vector or scalar is its own), as {@code tensor.t()}. */
    public Tensor t() {
        if (dim() > 2) {
            throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + dim() + "D");
        }
        return dim() < 2 ? this : transpose(0, 1);
    }

    /** Reorders the dimensions: dimension i of the result is {@code dims[i]} of this, as {@code tensor.permute}. */
    public Tensor permute(int... dims) {
        return new Permute(dims).apply(this);
    }

    /** Repeats size-one dimensions (without copying) to {@code sizes}, as {@code tensor.expand}; -1 keeps a size. */
    public Tensor expand(int... sizes) {
        return new Expand(sizes).apply(this);
    }

    /** This tensor expanded to {@code shape} by PyTorch's broadcasting rules, as {@code torch.broadcast_to}. */
    public Tensor broadcastTo(Shape shape) {
        return expand(shape.dims());
    }

    /** Elements {@code [start, start+length)} of dimension {@code dim}, as {@code tensor.narrow}. */
    public Tensor narrow(int dim, int start, int length) {
        int d = Shape.normalizeDim(dim, dim());
        int st = start < 0 ? start + size(d) : start;
        data.narrow(d, st, length); // validates with narrow's message
        return new Slice(d, st, st + length, 1).apply(this);
    }

    /** {@code x[..., start:end:step, ...]} along {@code dim}, with Python's clamping of the bounds. */
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

    /** Removes every dimension of size one, as {@code tensor.squeeze()}. */
    public Tensor squeeze() {
        return reshape(data.squeeze().dims());
    }

    /** Removes dimension {@code dim} if its size is one, as {@code tensor.squeeze(dim)}. */
    public Tensor squeeze(int dim) {
        return reshape(data.squeeze(dim).dims());
    }

    /** Inserts a dimension of size one at {@code dim}, as {@code tensor.unsqueeze}. */
    public Tensor unsqueeze(int dim) {
        return reshape(data.unsqueeze(dim).dims());
    }

    /** All elements as one dimension, as {@code tensor.flatten()}. */
    public Tensor flatten() {
        return reshape(numel());
    }

    /** Dimensions {@code startDim..endDim} (inclusive) merged into one, as {@code tensor.flatten(start, end)}. */
    public Tensor flatten(int startDim, int endDim) {
        return reshape(data.flatten(startDim, endDim).dims());
    }

    // ---------------------------------------------------------------- arithmetic

    // Scalars follow PyTorch's rules for Python numbers: a double keeps a floating tensor's
    // dtype (an integer tensor gives F32), a long keeps an integer tensor's dtype.

    /** {@code this + other}, broadcast, as {@code torch.add}. */
    public Tensor add(Tensor other) {
        return new Add().apply(this, other);
    }

    /** {@code this + scalar}. */
    public Tensor add(double scalar) {
        return new Add().apply(this, scalarLike(scalar));
    }

    /** {@code this + scalar} with an integer: an integer tensor keeps its dtype, as with a Python int. */
    public Tensor add(long scalar) {
        return new Add().apply(this, integerScalarLike(scalar));
    }

    /** {@code this - other}, broadcast, as {@code torch.sub}. */
    public Tensor sub(Tensor other) {
        return new Sub().apply(this, other);
    }

    /** {@code this - scalar}. */
    public Tensor sub(double scalar) {
        return new Sub().apply(this, scalarLike(scalar));
    }

    /** {@code this - scalar} with an integer; an integer tensor keeps its dtype. */
    public Tensor sub(long scalar) {
        return new Sub().apply(this, integerScalarLike(scalar));
    }

    /** {@code scalar - this}, as {@code torch.rsub}. */
    public Tensor rsub(double scalar) {
        return new Sub().apply(scalarLike(scalar), this);
    }

    /** {@code this * other}, broadcast, as {@code torch.mul}. */
    public Tensor mul(Tensor other) {
        return new Mul().apply(this, other);
    }

    /** {@code this * scalar}. */
    public Tensor mul(double scalar) {
        return new Mul().apply(this, scalarLike(scalar));
    }

    /** {@code this * scalar} with an integer; an integer tensor keeps its dtype. */
    public Tensor mul(long scalar) {
        return new Mul().apply(this, integerScalarLike(scalar));
    }

    /** {@code this / other}, broadcast, true division (integers give F32), as {@code torch.div}. */
    public Tensor div(Tensor other) {
        return new Div().apply(this, other);
    }

    /** {@code this / scalar}. */
    public Tensor div(double scalar) {
        return new Div().apply(this, scalarLike(scalar));
    }

    /** {@code scalar / this}. */
    public Tensor rdiv(double scalar) {
        return new Div().apply(scalarLike(scalar), this);
    }

    /** {@code -this}, as {@code torch.neg}. */
    public Tensor neg() {
        return new Neg().apply(this);
    }

    /** {@code this ^ exponent}, both broadcast. */
    public Tensor pow(Tensor exponent) {
        return new Pow().apply(this, exponent);
    }

    /** {@code this ^ exponent}; an integer tensor gives F32, as with a Python float exponent. */
    public Tensor pow(double exponent) {
        return new PowScalar(exponent).apply(this);
    }

    /** {@code base ^ this}. */
    public Tensor rpow(double base) {
        return new RPow(base).apply(this);
    }

    /** A 0-d tensor of {@code value} in this tensor's dtype (F32 for integers), as PyTorch treats a Python float. */
    private Tensor scalarLike(double value) {
        return of(NDArray.scalar(value, dtype().isFloatingPoint() ? dtype() : DType.F32));
    }

    /** A 0-d tensor of {@code value} in this tensor's dtype (I64 for BOOL), as PyTorch treats a Python int. */
    private Tensor integerScalarLike(long value) {
        return of(NDArray.of(new long[] {value}).reshape().to(dtype() == DType.BOOL ? DType.I64 : dtype()));
    }

    // ---------------------------------------------------------------- elementwise functions

    /** {@code e^x}, as {@code torch.exp}. */
    public Tensor exp() {
        return new Exp().apply(this);
    }

    /** {@code e^x - 1}, accurate for small x. */
    public Tensor expm1() {
        return new Expm1().apply(this);
    }

    /** The natural logarithm, as {@code torch.log}. */
    public Tensor log() {
        return new Log().apply(this);
    }

    /** {@code log(1 + x)}, accurate for small x. */
    public Tensor log1p() {
        return new Log1p().apply(this);
    }

    /** The square root, as {@code torch.sqrt}. */
    public Tensor sqrt() {
        return new Sqrt().apply(this);
    }

    /** {@code 1 / sqrt(x)}. */
    public Tensor rsqrt() {
        return new Rsqrt().apply(this);
    }

    /** {@code 1 / x}, as {@code torch.reciprocal}. */
    public Tensor reciprocal() {
        return new Reciprocal().apply(this);
    }

    /** The sine, as {@code torch.sin}. */
    public Tensor sin() {
        return new Sin().apply(this);
    }

    /** The cosine, as {@code torch.cos}. */
    public Tensor cos() {
        return new Cos().apply(this);
    }

    /** The hyperbolic tangent, as {@code torch.tanh}. */
    public Tensor tanh() {
        return new Tanh().apply(this);
    }

    /** {@code 1 / (1 + e^-x)}, as {@code torch.sigmoid}. */
    public Tensor sigmoid() {
        return new Sigmoid().apply(this);
    }

    /** {@code max(x, 0)}, as {@code torch.relu}; its gradient at 0 is 0. */
    public Tensor relu() {
        return new Relu().apply(this);
    }

    /** GELU in its exact form, {@code x Phi(x)}. */
    public Tensor gelu() {
        return new Gelu("none").apply(this);
    }

    /** GELU; {@code approximate} is "none" (exact, erf) or "tanh", as in PyTorch. */
    public Tensor gelu(String approximate) {
        return new Gelu(approximate).apply(this);
    }

    /** The Gauss error function, as {@code torch.erf}. */
    public Tensor erf() {
        return new Erf().apply(this);
    }

    /** {@code |x|}, as {@code torch.abs}; its gradient at 0 is 0. */
    public Tensor abs() {
        return new Abs().apply(this);
    }

    /** -1, 0 or 1 (0 for NaN, as in PyTorch); its gradient is zero. */
    public Tensor sign() {
        return PiecewiseConstant.sign().apply(this);
    }

    /** Rounds down, as {@code torch.floor}; its gradient is zero. */
    public Tensor floor() {
        return PiecewiseConstant.floor().apply(this);
    }

    /** Rounds up, as {@code torch.ceil}; its gradient is zero. */
    public Tensor ceil() {
        return PiecewiseConstant.ceil().apply(this);
    }

    /** Rounds half to even, as PyTorch does. */
    public Tensor round() {
        return PiecewiseConstant.round().apply(this);
    }

    /** Limits every element to {@code [min, max]}; NaN bounds are errors, NaN elements stay NaN. */
    public Tensor clamp(double min, double max) {
        return new Clamp(min, max).apply(this);
    }

    /** {@code max(x, min)}, as {@code torch.clamp(x, min=min)}. */
    public Tensor clampMin(double min) {
        return new Clamp(min, Double.POSITIVE_INFINITY).apply(this);
    }

    /** {@code min(x, max)}, as {@code torch.clamp(x, max=max)}. */
    public Tensor clampMax(double max) {
        return new Clamp(Double.NEGATIVE_INFINITY, max).apply(this);
    }

    /** Elementwise max of two broadcast tensors; NaN wins; ties split the gradient equally. */
    public Tensor maximum(Tensor other) {
        return Extremum.maximum().apply(this, other);
    }

    /** Elementwise min of two broadcast tensors, as {@code torch.minimum}; see {@link #maximum}. */
    public Tensor minimum(Tensor other) {
        return Extremum.minimum().apply(this, other);
    }

    /** {@code cond ? a : b} elementwise, the three broadcast together; cond must be BOOL. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return new Where().apply(cond, a, b);
    }

    // ---------------------------------------------------------------- comparisons

    // Comparisons give BOOL tensors, which carry no gradient and so record nothing.

    /** {@code this == other}, broadcast, as {@code torch.eq}. */
    public Tensor eq(Tensor other) {
        return of(data.eq(other.data));
    }

    /** {@code this == scalar}. */
    public Tensor eq(double scalar) {
        return of(data.eq(scalar));
    }

    /** {@code this != other}, broadcast, as {@code torch.ne}. */
    public Tensor ne(Tensor other) {
        return of(data.ne(other.data));
    }

    /** {@code this != scalar}. */
    public Tensor ne(double scalar) {
        return of(data.ne(scalar));
    }

    /** {@code this < other}, broadcast, as {@code torch.lt}. */
    public Tensor lt(Tensor other) {
        return of(data.lt(other.data));
    }

    /** {@code this < scalar}. */
    public Tensor lt(double scalar) {
        return of(data.lt(scalar));
    }

    /** {@code this <= other}, broadcast, as {@code torch.le}. */
    public Tensor le(Tensor other) {
        return of(data.le(other.data));
    }

    /** {@code this <= scalar}. */
    public Tensor le(double scalar) {
        return of(data.le(scalar));
    }

    /** {@code this > other}, broadcast, as {@code torch.gt}. */
    public Tensor gt(Tensor other) {
        return of(data.gt(other.data));
    }

    /** {@code this > scalar}. */
    public Tensor gt(double scalar) {
        return of(data.gt(scalar));
    }

    /** {@code this >= other}, broadcast, as {@code torch.ge}. */
    public Tensor ge(Tensor other) {
        return of(data.ge(other.data));
    }

    /** {@code this >= scalar}. */
    public Tensor ge(double scalar) {
        return of(data.ge(scalar));
    }

    // ---------------------------------------------------------------- reductions

    /** The sum of all elements, as a 0-dimensional tensor. */
    public Tensor sum() {
        return new Sum(null, false).apply(this);
    }

    /** Sums over {@code dims} (all if empty or null); {@code keepdim} keeps them with size one. */
    public Tensor sum(int[] dims, boolean keepdim) {
        return new Sum(dims, keepdim).apply(this);
    }

    /** Sums over one dimension, as {@code tensor.sum(dim, keepdim)}. */
    public Tensor sum(int dim, boolean keepdim) {
        return new Sum(new int[] {dim}, keepdim).apply(this);
    }

    /** Sums a broadcast gradient back to the shape it was broadcast from. */
    public Tensor sumToShape(Shape target) {
        return shape().equals(target) ? this : new SumToShape(target).apply(this);
    }

    /** The mean of all elements, as a 0-dimensional tensor; floating point only. */
    public Tensor mean() {
        return new Mean(null, false).apply(this);
    }

    /** The mean over {@code dims} (all if empty or null); {@code keepdim} keeps them with size one. */
    public Tensor mean(int[] dims, boolean keepdim) {
        return new Mean(dims, keepdim).apply(this);
    }

    /** The mean over one dimension, as {@code tensor.mean(dim, keepdim)}. */
    public Tensor mean(int dim, boolean keepdim) {
        return new Mean(new int[] {dim}, keepdim).apply(this);
    }

    /** The unbiased variance of all elements (correction 1), 0-dimensional. */
    public Tensor var() {
        return new Var(null, 1, false).apply(this);
    }

    /** The unbiased variance over {@code dims} (correction 1). */
    public Tensor var(int[] dims, boolean keepdim) {
        return new Var(dims, 1, keepdim).apply(this);
    }

    /** The variance over {@code dims} dividing by {@code N - correction} (0 gives the population variance). */
    public Tensor var(int[] dims, double correction, boolean keepdim) {
        return new Var(dims, correction, keepdim).apply(this);
    }

    /** The unbiased standard deviation of all elements (correction 1), 0-dimensional. */
    public Tensor std() {
        return new Std(null, 1, false).apply(this);
    }

    /** The unbiased standard deviation over {@code dims} (correction 1). */
    public Tensor std(int[] dims, boolean keepdim) {
        return new Std(dims, 1, keepdim).apply(this);
    }

    /** The standard deviation over {@code dims}: the square root of {@link #var(int[], double, boolean)}. */
    public Tensor std(int[] dims, double correction, boolean keepdim) {
        return new Std(dims, correction, keepdim).apply(this);
    }

    /** The largest element, 0-dimensional; the gradient is split evenly among ties. */
    public Tensor max() {
        return Amax.all(true).apply(this);
    }

    /** The smallest element, 0-dimensional; the gradient is split evenly among ties. */
    public Tensor min() {
        return Amax.all(false).apply(this);
    }

    /** The largest values along {@code dim} and their positions (the first occurrence on ties). */
    public ValuesIndices max(int dim, boolean keepdim) {
        return ValuesIndices.of(new MaxDim(dim, keepdim, true).apply(this));
    }

    /** The smallest values along {@code dim} and their positions (the first occurrence on ties). */
    public ValuesIndices min(int dim, boolean keepdim) {
        return ValuesIndices.of(new MaxDim(dim, keepdim, false).apply(this));
    }

    /** The largest value over {@code dims} (all if empty or null); the gradient is split evenly among ties. */
    public Tensor amax(int[] dims, boolean keepdim) {
        return new Amax(dims, keepdim, true).apply(this);
    }

    /** The smallest value over {@code dims} (all if empty or null), as {@code torch.amin}; see {@link #amax}. */
    public Tensor amin(int[] dims, boolean keepdim) {
        return new Amax(dims, keepdim, false).apply(this);
    }

    /** The position of the largest element of the flattened tensor, as 0-d I64 (not differentiable). */
    public Tensor argmax() {
        return of(data.argmax());
    }

    /** The position of the smallest element of the flattened tensor, as 0-d I64 (not differentiable). */
    public Tensor argmin() {
        return of(data.argmin());
    }

    /** The positions of the largest values along {@code dim} (I64, not differentiable). */
    public Tensor argmax(int dim, boolean keepdim) {
        return of(data.argmax(dim, keepdim));
    }

    /** The positions of the smallest values along {@code dim} (I64, not differentiable). */
    public Tensor argmin(int dim, boolean keepdim) {
        return of(data.argmin(dim, keepdim));
    }

    /** {@code log(sum(exp(x)))} over {@code dims} (all if empty or null), without overflow. */
    public Tensor logsumexp(int[] dims, boolean keepdim) {
        return new LogSumExp(dims, keepdim).apply(this);
    }

    /** {@code log(sum(exp(x)))} over one dimension, as {@code torch.logsumexp(x, dim, keepdim)}. */
    public Tensor logsumexp(int dim, boolean keepdim) {
        return new LogSumExp(new int[] {dim}, keepdim).apply(this);
    }

    /** The 2-norm of all elements, 0-dimensional (its gradient at zero is zero, as PyTorch's). */
    public Tensor norm() {
        return new Norm(2, null, false).apply(this);
    }

    /** The vector p-norm of all elements, 0-dimensional, as {@code torch.norm(x, p)}. */
    public Tensor norm(double p) {
        return new Norm(p, null, false).apply(this);
    }

    /** The vector p-norm over {@code dims}; p = 0 counts nonzeros, +-infinity is max/min |x|. */
    public Tensor norm(double p, int[] dims, boolean keepdim) {
        return new Norm(p, dims, keepdim).apply(this);
    }

    /** The norm named by {@code p}: "fro" is the 2-norm over at most two dimensions (or all). */
    public Tensor norm(String p, int[] dims, boolean keepdim) {
        return Norm.named(p, dims, keepdim).apply(this);
    }

    /** Running sums along {@code dim}; integers give I64. */
    public Tensor cumsum(int dim) {
        return new Cumsum(dim, false).apply(this);
    }

    /** Sorts along {@code dim}, stably (equal values keep their order); NaN sorts above every number. */
    public ValuesIndices sort(int dim, boolean descending) {
        return ValuesIndices.of(Sort.sort(dim, descending).apply(this));
    }

    /** Sorts along the last dimension, smallest first. */
    public ValuesIndices sort() {
        return sort(-1, false);
    }

    /** The positions that sort this tensor along {@code dim} (I64, not differentiable). */
    public Tensor argsort(int dim, boolean descending) {
        return of(data.argsort(dim, descending));
    }

    /**
     * The {@code k} largest (or smallest) values along {@code dim} and their positions, best
     * first; always sorted (PyTorch's {@code sorted=True}, and one of the orders it allows otherwise).
     */
    public ValuesIndices topk(int k, int dim, boolean largest) {
        return ValuesIndices.of(Sort.topk(k, dim, largest).apply(this));
    }

    /** The {@code k} largest values along the last dimension. */
    public ValuesIndices topk(int k) {
        return topk(k, -1, true);
    }

    // ---------------------------------------------------------------- linear algebra

    /**
     * The matrix product with {@code torch.matmul}'s rules: vector . vector is a 0-d dot product;
     * a vector on the left acts as a row, on the right as a column; beyond two dimensions the
     * leading ones are batch dimensions and broadcast ({@code [2, 1, 3, 4] @ [5, 4, 6] -> [2, 5, 3, 6]}).
     */
    public Tensor matmul(Tensor other) {
        return new MatMul(MatMul.Variant.MATMUL).apply(this, other);
    }

    /** The product of two matrices, {@code torch.mm}: 2-D only, no broadcasting. */
    public Tensor mm(Tensor other) {
        return new MatMul(MatMul.Variant.MM).apply(this, other);
    }

    /** Batched matrix product, {@code torch.bmm}: {@code [b, n, m] @ [b, m, p] -> [b, n, p]}, no broadcasting. */
    public Tensor bmm(Tensor other) {
        return new MatMul(MatMul.Variant.BMM).apply(this, other);
    }

    /** {@code beta * bias + alpha * (a @ b)} for matrices a and b, {@code torch.addmm}; the bias broadcasts. */
    public static Tensor addmm(Tensor bias, Tensor a, Tensor b, double beta, double alpha) {
        return new AddMm(beta, alpha).apply(bias, a, b);
    }

    /** {@code bias + a @ b}, {@code torch.addmm} with {@code beta = alpha = 1}. */
    public static Tensor addmm(Tensor bias, Tensor a, Tensor b) {
        return new AddMm(1, 1).apply(bias, a, b);
    }

    /**
     * {@code this @ weight^T + bias}, {@code torch.nn.functional.linear}: this is
     * {@code [*, in_features]}, weight {@code [out_features, in_features]}, bias
     * {@code [out_features]} or null for none.
     */
    public Tensor linear(Tensor weight, Tensor bias) {
        return bias == null ? linear(weight) : new Linear().apply(this, weight, bias);
    }

    /** {@code this @ weight^T}, a linear map without bias. */
    public Tensor linear(Tensor weight) {
        return new Linear().apply(this, weight);
    }

    /**
     * Squared Euclidean distances between the rows of this {@code [*, n, d]} and of
     * {@code other [*, m, d]}, as {@code [*, n, m]} (batch dimensions broadcast):
     * {@code torch.cdist(this, other) ** 2}, computed without cancellation.
     */
    public Tensor pairwiseSquaredDistances(Tensor other) {
        return new PairwiseSquaredDistances().apply(this, other);
    }

    // ---------------------------------------------------------------- joining, splitting and indexing

    /** Concatenates along {@code dim}, as {@code torch.cat}; each input's gradient is its slice. */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        return new Cat(dim).apply(tensors.toArray(Tensor[]::new));
    }

    /** Concatenates along {@code dim}, as {@code torch.cat}. */
    public static Tensor cat(Tensor[] tensors, int dim) {
        return new Cat(dim).apply(tensors);
    }

    /** Joins tensors of one shape along a new dimension {@code dim}, as {@code torch.stack}. */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        return new Stack(dim).apply(tensors.toArray(Tensor[]::new));
    }

    /** Joins tensors of one shape along a new dimension {@code dim}, as {@code torch.stack}. */
    public static Tensor stack(Tensor[] tensors, int dim) {
        return new Stack(dim).apply(tensors);
    }

    /** Views of consecutive pieces of {@code splitSize} along {@code dim}; the last may be shorter. */
    public Tensor[] split(int splitSize, int dim) {
        return splitAs(data.split(splitSize, dim), dim);
    }

    /** Views of consecutive pieces of the given sizes along {@code dim}. */
    public Tensor[] split(int[] splitSizes, int dim) {
        return new Split(splitSizes, dim).apply(this);
    }

    /** At most {@code chunks} views of equal size along {@code dim}, the last possibly shorter. */
    public Tensor[] chunk(int chunks, int dim) {
        return splitAs(data.chunk(chunks, dim), dim);
    }

    /** The recorded split into the pieces an NDArray split computed (which also checked the arguments). */
    private Tensor[] splitAs(NDArray[] pieces, int dim) {
        int d = Shape.normalizeDim(dim, dim());
        int[] sizes = new int[pieces.length];
        for (int i = 0; i < pieces.length; i++) {
            sizes[i] = pieces[i].size(d);
        }
        return new Split(sizes, d).apply(this);
    }

    /** Pads with {@code value}; {@code pad} is (before, after) for the last dimension, then the one before... */
    public Tensor pad(int[] pad, double value) {
        return new Pad(pad, value).apply(this);
    }

    /** Pads with zeros, as {@code torch.nn.functional.pad}; negative amounts crop. */
    public Tensor pad(int... pad) {
        return new Pad(pad, 0).apply(this);
    }

    /** Rolls along each of {@code dims} by the matching shift; with no dims, the flattened tensor. */
    public Tensor roll(int[] shifts, int[] dims) {
        return new Roll(shifts, dims).apply(this);
    }

    /** Rolls along {@code dim} by {@code shift}, as {@code torch.roll(x, shift, dim)}. */
    public Tensor roll(int shift, int dim) {
        return roll(new int[] {shift}, new int[] {dim});
    }

    /** Rolls the flattened tensor by {@code shift}, keeping the shape. */
    public Tensor roll(int shift) {
        return roll(new int[] {shift}, new int[0]);
    }

    /** Reverses the order of elements along each of {@code dims} (a copy). */
    public Tensor flip(int... dims) {
        return new Flip(dims).apply(this);
    }

    /** Tiles the tensor {@code repeats[i]} times along dimension i, as {@code torch.Tensor.repeat}. */
    public Tensor repeat(int... repeats) {
        return new Repeat(repeats).apply(this);
    }

    /** {@code out[i][j] = this[i][index[i][j]]} for dim 1, likewise for any dim; index is I64. */
    public Tensor gather(int dim, Tensor index) {
        return new Gather(dim).apply(this, index);
    }

    /** A new tensor: this one with {@code src[i][j]} added at {@code [i][index[i][j]]} for dim 1. */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
        return new ScatterAdd(dim).apply(this, index, src);
    }

    /** The slices named by the I64 vector {@code index} along {@code dim}, repeats allowed. */
    public Tensor indexSelect(int dim, Tensor index) {
        return new IndexSelect(dim).apply(this, index);
    }

    /** A new tensor: this one with slice i of {@code src} along {@code dim} added to slice {@code index[i]}. */
    public Tensor indexAdd(int dim, Tensor index, Tensor src) {
        return new IndexAdd(dim).apply(this, index, src);
    }

    /** This tensor, broadcast with the BOOL {@code mask}, holding {@code value} where the mask is true. */
    public Tensor maskedFill(Tensor mask, double value) {
        return new MaskedFill(value).apply(this, mask);
    }

    /** I64 class indices as one-hot I64 rows of {@code numClasses} (-1: the largest index + 1); no gradient. */
    public Tensor oneHot(int numClasses) {
        return of(data.oneHot(numClasses));
    }

    // ---------------------------------------------------------------- random numbers

    // Random tensors are leaves that do not require grad; the numbers come from the given
    // Generator (the global one when none or null is given), as NDArray's random ops explain.

    /** F32 numbers uniform in {@code [0, 1)} from the global generator, as {@code torch.rand}. */
    public static Tensor rand(int... shape) {
        return of(NDArray.rand(shape));
    }

    /** Numbers of a floating {@code dtype} uniform in {@code [0, 1)} from {@code generator}. */
    public static Tensor rand(DType dtype, Generator generator, int... shape) {
        return of(NDArray.rand(dtype, generator, shape));
    }

    /** F32 standard normal numbers from the global generator, as {@code torch.randn}. */
    public static Tensor randn(int... shape) {
        return of(NDArray.randn(shape));
    }

    /** Standard normal numbers of a floating {@code dtype} from {@code generator}. */
    public static Tensor randn(DType dtype, Generator generator, int... shape) {
        return of(NDArray.randn(dtype, generator, shape));
    }

    /** I64 integers uniform in {@code [low, high)} from the global generator, as {@code torch.randint}. */
    public static Tensor randint(long low, long high, int... shape) {
        return of(NDArray.randint(low, high, shape));
    }

    /** I64 integers uniform in {@code [low, high)} from {@code generator}. */
    public static Tensor randint(long low, long high, Generator generator, int... shape) {
        return of(NDArray.randint(low, high, generator, shape));
    }

    /**
     * 1 with probability {@code probs[i]}, else 0, as {@code torch.bernoulli}. A sample carries
     * no gradient (PyTorch's is identically zero), so the result is a constant even when
     * {@code probs} requires grad.
     */
    public static Tensor bernoulli(Tensor probs, Generator generator) {
        return of(NDArray.bernoulli(probs.data(), generator));
    }

    /** {@link #bernoulli(Tensor, Generator)} with the global generator. */
    public static Tensor bernoulli(Tensor probs) {
        return bernoulli(probs, null);
    }

    /**
     * Fills this tensor with numbers uniform in {@code [low, high)}, in place: for initialising
     * parameters, so a tensor that requires grad must be filled inside {@code Grad.disabled()}.
     */
    public Tensor uniform_(double low, double high, Generator generator) {
        requireFillable("uniform_");
        data.uniform_(low, high, generator);
        return this;
    }

    /** Fills this tensor with normal numbers, in place; see {@link #uniform_}. */
    public Tensor normal_(double mean, double std, Generator generator) {
        requireFillable("normal_");
        data.normal_(mean, std, generator);
        return this;
    }

    private void requireFillable(String op) {
        if (requiresGrad && Grad.isEnabled()) {
            throw new IllegalStateException(op + ": a tensor that requires grad cannot be overwritten with random"
                    + " numbers while grad mode is on; fill it inside Grad.disabled(), as parameter"
                    + " initialisation does");
        }
    }

    // ---------------------------------------------------------------- printing

    @Override
    public String toString() {
        String s = data.toString().replaceFirst("^NDArray", "Tensor");
        if (gradFn != null) {
            return s + ", grad_fn=" + gradFn;
        }
        return requiresGrad ? s + ", requires_grad" : s;
    }
}
