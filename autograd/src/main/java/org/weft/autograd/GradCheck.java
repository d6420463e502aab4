package org.weft.autograd;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;

/**
 * Checks analytical gradients against central finite differences in F64, as PyTorch's
 * {@code gradcheck}: for every input that requires grad, each column of the numerical
 * Jacobian {@code (f(x + eps e_k) - f(x - eps e_k)) / 2 eps} must match the one backward
 * computes, within {@code atol + rtol * |numerical|}.
 */
public final class GradCheck {

    public static final double EPS = 1e-6;
    public static final double ATOL = 1e-5;
    public static final double RTOL = 1e-3;

    private GradCheck() {
    }

    /** Thrown when the gradients disagree; the message names the input, the element and both values. */
    public static final class GradCheckFailure extends AssertionError {
        private static final long serialVersionUID = 1L;

        GradCheckFailure(String message) {
            super(message);
        }
    }

    /**
     * Checks {@code f} at {@code inputs} (F64 tensors; those that require grad are checked).
     * {@code f} returns one or more outputs; non-floating outputs are ignored. Returns true or
     * throws {@link GradCheckFailure}.
     */
    public static boolean gradcheck(Function<Tensor[], Tensor[]> f, Tensor... inputs) {
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].requiresGrad() && inputs[i].dtype() != DType.F64) {
                throw new IllegalArgumentException("gradcheck: input " + i + " is " + inputs[i].dtype()
                        + "; finite differences need F64 inputs");
            }
            int[] strides = inputs[i].data().strides();
            for (int d = 0; d < strides.length; d++) {
                // Perturbing one element of such an input would perturb every position sharing it.
                if (inputs[i].requiresGrad() && strides[d] == 0 && inputs[i].size(d) > 1) {
                    throw new IllegalArgumentException("gradcheck: input " + i + " has a dimension with stride 0;"
                            + " finite differences need inputs whose elements do not share memory;"
                            + " pass contiguous() of it");
                }
            }
        }
        Tensor[] outputs = floating(f.apply(inputs));
        for (int o = 0; o < outputs.length; o++) {
            checkOutput(f, inputs, o, outputs[o]);
        }
        return true;
    }

    /** {@link #gradcheck} for a function with one output. */
    public static boolean gradcheckSingle(Function<Tensor[], Tensor> f, Tensor... inputs) {
        return gradcheck(in -> new Tensor[] {f.apply(in)}, inputs);
    }

    /**
     * Checks second derivatives: the map {@code (inputs, v) -> v . J_f(inputs)}, computed by
     * a backward with {@code createGraph}, is itself gradchecked, for a random {@code v}.
     */
    public static boolean gradgradcheck(Function<Tensor[], Tensor[]> f, long seed, Tensor... inputs) {
        Tensor[] outputs = floating(f.apply(inputs));
        Random random = new Random(seed);
        Tensor[] vs = new Tensor[outputs.length];
        for (int o = 0; o < outputs.length; o++) {
            double[] v = new double[outputs[o].numel()];
            for (int k = 0; k < v.length; k++) {
                v[k] = random.nextGaussian();
            }
            vs[o] = Tensor.of(NDArray.of(v, v.length).reshape(outputs[o].dims())).requiresGrad_(true);
        }
        int[] differentiable = requiringGrad(inputs);
        Tensor[] all = new Tensor[inputs.length + vs.length];
        System.arraycopy(inputs, 0, all, 0, inputs.length);
        System.arraycopy(vs, 0, all, inputs.length, vs.length);
        Function<Tensor[], Tensor[]> vjp = args -> {
            Tensor[] in = Arrays.copyOf(args, inputs.length);
            Tensor[] v = Arrays.copyOfRange(args, inputs.length, args.length);
            Tensor[] outs;
            try (var g = Grad.enabled()) { // the numerical half calls this with grad mode off
                outs = floating(f.apply(in));
            }
            Tensor[] wrt = new Tensor[differentiable.length];
            for (int k = 0; k < wrt.length; k++) {
                wrt[k] = in[differentiable[k]];
            }
            Tensor[] g;
            try (var mode = Grad.enabled()) {
                g = Autograd.grad(outs, wrt, v, true, true, true);
            }
            for (int k = 0; k < g.length; k++) {
                if (g[k] == null) {
                    g[k] = wrt[k].zerosLike();
                }
            }
            return g;
        };
        return gradcheck(vjp, all);
    }

    private static void checkOutput(Function<Tensor[], Tensor[]> f, Tensor[] inputs, int o, Tensor output) {
        int m = output.numel();
        int[] diff = requiringGrad(inputs);
        // Analytical Jacobian, one row per output element: a backward with a one-hot gradient.
        double[][][] analytical = new double[diff.length][][];
        for (int k = 0; k < diff.length; k++) {
            analytical[k] = new double[m][inputs[diff[k]].numel()];
        }
        Tensor[] wrt = new Tensor[diff.length];
        for (int k = 0; k < diff.length; k++) {
            wrt[k] = inputs[diff[k]];
        }
        Tensor out = floating(f.apply(inputs))[o];
        // An output outside the graph is constant in the inputs: its Jacobian stays zero (as in
        // PyTorch, where e.g. sign's gradient, zeros, passes gradgradcheck).
        for (int j = 0; j < m && out.requiresGrad(); j++) {
            double[] onehot = new double[m];
            onehot[j] = 1;
            Tensor seed = Tensor.of(NDArray.of(onehot, m).reshape(output.dims()).to(output.dtype()));
            Tensor[] g = Autograd.grad(new Tensor[] {out}, wrt, new Tensor[] {seed}, false, true, true);
            for (int k = 0; k < diff.length; k++) {
                if (g[k] != null) {
                    analytical[k][j] = g[k].toDoubleArray();
                }
            }
        }
        for (int k = 0; k < diff.length; k++) {
            Tensor x = inputs[diff[k]];
            NDArray data = x.data();
            int n = x.numel();
            for (int e = 0; e < n; e++) {
                int[] index = unravel(e, x.dims());
                double original = data.getDouble(index);
                NDArray cell = cell(data, index);
                double[] plus;
                double[] minus;
                try (var g = Grad.disabled()) {
                    cell.fill_(original + EPS);
                    plus = floating(f.apply(inputs))[o].toDoubleArray();
                    cell.fill_(original - EPS);
                    minus = floating(f.apply(inputs))[o].toDoubleArray();
                    cell.fill_(original);
                }
                for (int j = 0; j < m; j++) {
                    double numerical = (plus[j] - minus[j]) / (2 * EPS);
                    double a = analytical[k][j][e];
                    if (!(Math.abs(a - numerical) <= ATOL + RTOL * Math.abs(numerical))) {
                        throw new GradCheckFailure("Jacobian mismatch for output " + o + " with respect to input "
                                + diff[k] + ", element " + Arrays.toString(index) + " of input and element "
                                + j + " of output: numerical " + numerical + ", analytical " + a);
                    }
                }
            }
        }
    }

    /** A one-element view of {@code a} at {@code index}, for perturbing it in place. */
    private static NDArray cell(NDArray a, int[] index) {
        NDArray v = a;
        for (int d = index.length - 1; d >= 0; d--) {
            v = v.narrow(d, index[d], 1);
        }
        return v;
    }

    private static int[] unravel(int flat, int[] dims) {
        int[] index = new int[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            index[d] = flat % dims[d];
            flat /= dims[d];
        }
        return index;
    }

    private static int[] requiringGrad(Tensor[] inputs) {
        int count = 0;
        for (Tensor t : inputs) {
            if (t.requiresGrad()) {
                count++;
            }
        }
        int[] idx = new int[count];
        for (int i = 0, k = 0; i < inputs.length; i++) {
            if (inputs[i].requiresGrad()) {
                idx[k++] = i;
            }
        }
        return idx;
    }

    private static Tensor[] floating(Tensor[] outputs) {
        return Arrays.stream(outputs).filter(t -> t.dtype().isFloatingPoint()).toArray(Tensor[]::new);
    }
}
