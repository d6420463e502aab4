package org.weft.nn.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;

/**
 * Adam (Kingma and Ba, 2015) with optional L2 weight decay and AMSGrad, as
 * {@code torch.optim.Adam}. For a parameter p with gradient g at step t (from 1):
 *
 * <pre>
 *   g = g + weight_decay * p                        (L2: the decay goes through the moments)
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g * g
 *   vmax = max(vmax, v); use vmax for v below      (amsgrad)
 *   p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * eps is added after the bias correction of v, as PyTorch does; the paper's formula adds it
 * to the corrected sqrt too, which is the same thing, but some implementations add it before.
 * {@link AdamW} differs only in how weight decay is applied.
 */
public class Adam extends Optimizer {

    /** The defaults of every group: PyTorch's (lr 1e-3, betas (0.9, 0.999), eps 1e-8). */
    public static final class Options {
        private final Map<String, Object> values = new LinkedHashMap<>();

        private Options(double weightDecay) {
            values.put("lr", 1e-3);
            values.put("betas", new double[] {0.9, 0.999});
            values.put("eps", 1e-8);
            values.put("weight_decay", weightDecay);
            values.put("amsgrad", false);
        }

        public Options lr(double lr) {
            values.put("lr", lr);
            return this;
        }

        public Options betas(double beta1, double beta2) {
            values.put("betas", new double[] {beta1, beta2});
            return this;
        }

        public Options eps(double eps) {
            values.put("eps", eps);
            return this;
        }

        public Options weightDecay(double weightDecay) {
            values.put("weight_decay", weightDecay);
            return this;
        }

        public Options amsgrad(boolean amsgrad) {
            values.put("amsgrad", amsgrad);
            return this;
        }

        Map<String, Object> values() {
            return values;
        }
    }

    /** Adam's defaults to set options on: {@code Adam.options().lr(3e-4)}. */
    public static Options options() {
        return new Options(0.0);
    }

    /** AdamW's defaults, which differ in weight decay (1e-2). */
    static Options adamWOptions() {
        return new Options(1e-2);
    }

    /** One group holding {@code params}. */
    public Adam(List<Tensor> params, Options options) {
        this(options, ParamGroup.of(params));
    }

    /** Several groups, each overriding some of {@code options}. */
    public Adam(Options options, ParamGroup... groups) {
        this("Adam", options, groups);
    }

    Adam(String name, Options options, ParamGroup... groups) {
        super(name, options.values(), List.of(groups));
    }

    @Override
    protected void checkOptions(ParamGroup g, String where) {
        checkNonNegative("learning rate", g.lr(), where);
        checkNonNegative("epsilon value", g.getDouble("eps"), where);
        double[] betas = g.getDoubles("betas");
        check(betas.length == 2, "betas must be a pair (beta1, beta2), got " + betas.length + " values", where);
        for (int i = 0; i < 2; i++) {
            check(betas[i] >= 0 && betas[i] < 1, "Invalid beta parameter at index " + i + ": " + betas[i]
                    + " (expected 0 <= beta < 1)", where);
        }
        checkNonNegative("weight_decay value", g.weightDecay(), where);
        g.getBoolean("amsgrad"); // throws unless a boolean
    }

    @Override
    protected final void update(ParamGroup g, NDArray param, NDArray grad, Map<String, NDArray> state) {
        double lr = g.lr();
        double[] betas = g.getDoubles("betas");
        double beta1 = betas[0];
        double beta2 = betas[1];
        double eps = g.getDouble("eps");
        double weightDecay = g.weightDecay();
        boolean amsgrad = g.getBoolean("amsgrad");
        if (state.isEmpty()) {
            state.put("step", stepCounter());
            state.put("exp_avg", zerosLike(param));
            state.put("exp_avg_sq", zerosLike(param));
            if (amsgrad) {
                state.put("max_exp_avg_sq", zerosLike(param));
            }
        }
        NDArray step = state.get("step");
        NDArray expAvg = state.get("exp_avg");
        NDArray expAvgSq = state.get("exp_avg_sq");
        step.add_(1.0);
        grad = applyWeightDecay(param, grad, lr, weightDecay);
        expAvg.mul_(beta1).add_(grad.mul(1 - beta1));
        expAvgSq.mul_(beta2).add_(grad.mul(1 - beta2).mul(grad));
        double t = step.item();
        double biasCorrection1 = 1 - Math.pow(beta1, t);
        double biasCorrection2 = 1 - Math.pow(beta2, t);
        double stepSize = lr / biasCorrection1;
        NDArray secondMoment = expAvgSq;
        if (amsgrad) {
            NDArray max = state.get("max_exp_avg_sq");
            if (max == null) {
                throw new IllegalStateException(name() + ": amsgrad was switched on after the first step of a parameter;"
                        + " it has no running maximum of the second moment");
            }
            secondMoment = max.copy_(max.maximum(expAvgSq));
        }
        NDArray denom = secondMoment.sqrt().div(Math.sqrt(biasCorrection2)).add_(eps);
        param.add_(expAvg.div(denom).mul(-stepSize));
    }

    /**
     * Adam's L2 penalty: the decay is added to the gradient, so it is scaled by the adaptive
     * step like the loss gradient is. Returns the gradient the moments see.
     */
    NDArray applyWeightDecay(NDArray param, NDArray grad, double lr, double weightDecay) {
        return weightDecay != 0 ? grad.add(param.mul(weightDecay)) : grad;
    }
}
