package org.weft.nn.optim;

import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

/**
 * A schedule given as a function of the step: lr = base_lr * factor(t), as
 * {@code torch.optim.lr_scheduler.LambdaLR}. One function for all groups, or one per group.
 * The functions are code, so they are not part of the state dict.
 */
public final class LambdaLR extends LRScheduler {

    private final List<IntToDoubleFunction> factors;

    /** The same factor for every group. */
    public LambdaLR(Optimizer optimizer, IntToDoubleFunction factor) {
        this(optimizer, java.util.Collections.nCopies(optimizer.paramGroups().size(), factor));
    }

    /** One factor per group, in group order. */
    public LambdaLR(Optimizer optimizer, List<IntToDoubleFunction> factors) {
        super(optimizer);
        if (factors.size() != optimizer.paramGroups().size()) {
            throw new IllegalArgumentException("LambdaLR: expected " + optimizer.paramGroups().size()
                    + " lr lambdas (one per parameter group), but got " + factors.size());
        }
        this.factors = List.copyOf(factors);
        start();
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = baseLrs();
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] *= factors.get(i).applyAsDouble(lastEpoch());
        }
        return lrs;
    }

    @Override
    protected Map<String, Object> hyperParameters() {
        return Map.of();
    }
}
