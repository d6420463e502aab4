package org.weft.nn.losses;

import java.util.List;
import org.weft.autograd.Tensor;
import org.weft.nn.Module;

/**
 * The weight-constraint loss of paper 000 (after Rozantsev et al., "Beyond sharing weights"):
 * two branches with their own weights are kept related, not equal, by learnable scalars
 * {@code a_j, b_j} per constrained layer j (initialised to 1 and 0):
 * <pre>
 *   d_j = |a_j · θS_j + b_j - θT_j|²          (squared Frobenius norm over the layer's weights)
 *   Lw  = Σ_j r_j,   r_j = exp(d_j) - 1   (EXPONENTIAL)   or   r_j = d_j   (SQUARED)
 * </pre>
 *
 * <p>Overflow: d_j sums a squared difference over every weight of a layer (millions in a
 * ResNet50 stage), so exp(d_j) leaves F32's range as soon as d_j passes about 88. Above
 * {@link #LINEAR_ABOVE} = c the exponential is continued by its tangent at c,
 * <pre>
 *   r(d) = expm1(min(d, c)) + e^c · relu(d - c)
 * </pre>
 * which equals the paper's {@code exp(d) - 1} for d ≤ c, has a continuous, non-zero slope (so
 * the loss keeps pulling the branches together: a clamp would stop the gradient), and stays
 * finite for any d below about 10^21 in F32 (e^40 · d < 3.4·10^38). No exp of anything above c is
 * ever evaluated, so no inf appears in the value or the gradient. (Writing the tangent's
 * term as {@code e^c · (d - min(d, c))} would give the same value but a gradient
 * {@code e^d + e^c - e^c} that loses e^d to rounding below c; each term of this one has a
 * gradient of zero on the side where it is constant.) At c = 40 the exact part
 * already reaches 2·10^17, far past any value a training run can recover from, so the change
 * matters only for making a diverged run report finite numbers.
 *
 * <p>As a {@link Module} it is bound to the constrained layers' weights (owned by the two
 * branches) and owns {@code a} and {@code b} ({@code [layers]} each) as its parameters, so an
 * optimiser trains them with the branches; {@link #compute()} returns Lw. The static
 * {@link #loss} is the same function of explicit tensors, differentiable in all of them.
 */
public final class WeightConstraint extends Module {

    static final String OP = "weight_constraint";

    /** Where the exponential form continues linearly (see the class comment). */
    public static final double LINEAR_ABOVE = 40.0;

    /** The penalty applied to each layer's squared distance d_j. */
    public enum Form {
        /** {@code exp(d) - 1}, continued linearly above {@link #LINEAR_ABOVE}. */
        EXPONENTIAL,
        /** {@code d}. */
        SQUARED
    }

    private final List<Tensor> sourceWeights;
    private final List<Tensor> targetWeights;
    private final Form form;
    private final Tensor a;
    private final Tensor b;

    /**
     * A constraint between {@code sourceWeights.get(j)} and {@code targetWeights.get(j)} for each
     * layer j (pairs of equal shape and one floating dtype), with {@code a = 1} and {@code b = 0}.
     */
    public WeightConstraint(List<Tensor> sourceWeights, List<Tensor> targetWeights, Form form) {
        checkLayers(sourceWeights, targetWeights);
        if (form == null) {
            throw new NullPointerException(OP + ": form is null");
        }
        this.sourceWeights = List.copyOf(sourceWeights);
        this.targetWeights = List.copyOf(targetWeights);
        this.form = form;
        int layers = sourceWeights.size();
        this.a = registerParameter("a", Tensor.ones(sourceWeights.get(0).dtype(), layers));
        this.b = registerParameter("b", Tensor.zeros(sourceWeights.get(0).dtype(), layers));
    }

    /** The learnable scales a_j, {@code [layers]}. */
    public Tensor a() {
        return a;
    }

    /** The learnable offsets b_j, {@code [layers]}. */
    public Tensor b() {
        return b;
    }

    public Form form() {
        return form;
    }

    /** Lw over the bound layers, through {@link #call} so hooks run. */
    public Tensor compute() {
        return call(null);
    }

    /** Lw; the module reads the weights it is bound to, so it takes no input (null). */
    @Override
    protected Tensor forward(Tensor input) {
        if (input != null) {
            throw new IllegalArgumentException("WeightConstraint takes no input (it reads the weights it was built "
                    + "with); call compute(), got an input of shape " + input.shape());
        }
        return loss(sourceWeights, targetWeights, a, b, form);
    }

    /**
     * Lw of the layer pairs {@code (source.get(j), target.get(j))} with the scalars
     * {@code a[j], b[j]} ({@code a} and {@code b} of shape {@code [layers]}).
     */
    public static Tensor loss(List<Tensor> source, List<Tensor> target, Tensor a, Tensor b, Form form) {
        checkLayers(source, target);
        int layers = source.size();
        Tensor ref = source.get(0);
        Checks.sameDtype(OP, "a", a, "weights", ref);
        Checks.sameDtype(OP, "b", b, "weights", ref);
        if (a.dim() != 1 || a.size(0) != layers || b.dim() != 1 || b.size(0) != layers) {
            throw new IllegalArgumentException(OP + ": expected a and b of shape [" + layers + "] (one per layer), got "
                    + a.shape() + " and " + b.shape());
        }
        if (form == null) {
            throw new NullPointerException(OP + ": form is null");
        }
        Tensor total = null;
        for (int j = 0; j < layers; j++) {
            Tensor diff = source.get(j).mul(a.select(0, j)).add(b.select(0, j)).sub(target.get(j));
            Tensor d = diff.mul(diff).sum();
            Tensor r = form == Form.SQUARED ? d : exponential(d);
            total = total == null ? r : total.add(r);
        }
        return total;
    }

    /** {@code exp(d) - 1} up to {@link #LINEAR_ABOVE}, its tangent beyond. */
    static Tensor exponential(Tensor d) {
        Tensor exact = d.clampMax(LINEAR_ABOVE).expm1();
        return exact.add(d.sub(LINEAR_ABOVE).relu().mul(Math.exp(LINEAR_ABOVE)));
    }

    private static void checkLayers(List<Tensor> source, List<Tensor> target) {
        if (source == null || target == null) {
            throw new NullPointerException(OP + ": the lists of source and target weights must not be null");
        }
        if (source.isEmpty() || source.size() != target.size()) {
            throw new IllegalArgumentException(OP + ": expected one target weight per source weight and at least one "
                    + "layer, got " + source.size() + " source and " + target.size() + " target weights");
        }
        Tensor ref = source.get(0);
        Checks.floating(OP, "source weight 0", ref);
        for (int j = 0; j < source.size(); j++) {
            Checks.sameDtype(OP, "source weight " + j, source.get(j), "source weight 0", ref);
            Checks.sameShape(OP, "target weight " + j, target.get(j), "source weight " + j, source.get(j));
        }
    }

    @Override
    protected String extraRepr() {
        return "layers=" + sourceWeights.size() + ", form=" + form;
    }
}
