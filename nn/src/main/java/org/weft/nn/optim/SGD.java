package org.weft.nn.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2
 * weight decay, as {@code torch.optim.SGD}. For a parameter p with gradient g:
 *
 * <pre>
 *   g = g + weight_decay * p
 *   b = g                                    (first step)
 *   b = momentum * b + (1 - dampening) * g   (later steps)
 *   g = nesterov ? g + momentum * b : b      (when momentum != 0)
 *   p = p - lr * g
 * </pre>
 *
 * The buffer starts as the gradient itself, not as zero, so dampening does not shrink the
 * first step: this is PyTorch's choice and differs from some papers.
 */
public final class SGD extends Optimizer {

    /** The defaults of every group, PyTorch's: lr must be given, the rest are 0 / false. */
    public static final class Options {
        private final Map<String, Object> values = new LinkedHashMap<>();

        private Options() {
            values.put("momentum", 0.0);
            values.put("dampening", 0.0);
            values.put("weight_decay", 0.0);
            values.put("nesterov", false);
        }

        public Options lr(double lr) {
            values.put("lr", lr);
            return this;
        }

        public Options momentum(double momentum) {
            values.put("momentum", momentum);
            return this;
        }

        public Options dampening(double dampening) {
            values.put("dampening", dampening);
            return this;
        }

        public Options weightDecay(double weightDecay) {
            values.put("weight_decay", weightDecay);
            return this;
        }

        public Options nesterov(boolean nesterov) {
            values.put("nesterov", nesterov);
            return this;
        }

        Map<String, Object> values() {
            if (!values.containsKey("lr")) {
                throw new IllegalArgumentException("SGD: the learning rate has no default; set it with SGD.options().lr(...)");
            }
            // lr first, as PyTorch lists it.
            Map<String, Object> ordered = new LinkedHashMap<>();
            ordered.put("lr", values.get("lr"));
            ordered.putAll(values);
            return ordered;
        }
    }

    /** Fresh defaults to set options on: {@code SGD.options().lr(0.1).momentum(0.9)}. */
    public static Options options() {
        return new Options();
    }

    /** One group holding {@code params}. */
    public SGD(List<Tensor> params, Options options) {
        this(options, ParamGroup.of(params));
    }

    /** Several groups, each overriding some of {@code options}. */
    public SGD(Options options, ParamGroup... groups) {
        super("SGD", options.values(), List.of(groups));
    }

    @Override
    protected void checkOptions(ParamGroup g, String where) {
        checkNonNegative("learning rate", g.lr(), where);
        checkNonNegative("momentum value", g.getDouble("momentum"), where);
        checkNonNegative("weight_decay value", g.weightDecay(), where);
        check(!g.getBoolean("nesterov") || (g.getDouble("momentum") > 0 && g.getDouble("dampening") == 0),
                "Nesterov momentum requires a momentum and zero dampening", where);
    }

    @Override
    protected void update(ParamGroup g, NDArray param, NDArray grad, Map<String, NDArray> state) {
        double lr = g.lr();
        double momentum = g.getDouble("momentum");
        double dampening = g.getDouble("dampening");
        double weightDecay = g.weightDecay();
        NDArray d = grad;
        if (weightDecay != 0) {
            d = d.add(param.mul(weightDecay));
        }
        if (momentum != 0) {
            NDArray buf = state.get("momentum_buffer");
            if (buf == null) {
                buf = d.copy();
                state.put("momentum_buffer", buf);
            } else {
                buf.mul_(momentum).add_(d.mul(1 - dampening));
            }
            d = g.getBoolean("nesterov") ? d.add(buf.mul(momentum)) : buf;
        }
        param.add_(d.mul(-lr));
    }
}
