package org.weft.nn.optim;

import java.util.List;

import org.weft.autograd.Tensor;
import org.weft.tensor.NDArray;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, 2019), as {@code torch.optim.AdamW}:
 * before the Adam update, {@code p = p * (1 - lr * weight_decay)}, and the moments see the
 * plain gradient. Unlike Adam's L2 penalty, the decay is not divided by the adaptive
 * denominator, so every weight decays at the same rate. Default weight decay 1e-2.
 */
public final class AdamW extends Adam {

    /** AdamW's defaults to set options on: {@code AdamW.options().lr(3e-4).weightDecay(0.05)}. */
    public static Options options() {
        return adamWOptions();
    }

    /** One group holding {@code params}. */
    public AdamW(List<Tensor> params, Options options) {
        this(options, ParamGroup.of(params));
    }

    /** Several groups, each overriding some of {@code options}. */
    public AdamW(Options options, ParamGroup... groups) {
        super("AdamW", options, groups);
    }

    @Override
    NDArray applyWeightDecay(NDArray param, NDArray grad, double lr, double weightDecay) {
        param.mul_(1 - lr * weightDecay);
        return grad;
    }
}
