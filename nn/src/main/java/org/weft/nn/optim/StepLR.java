package org.weft.nn.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Multiplies the learning rate by {@code gamma} every {@code stepSize} steps, as
 * {@code torch.optim.lr_scheduler.StepLR}: lr = base_lr * gamma^floor(t / stepSize).
 */
public final class StepLR extends LRScheduler {

    private final int stepSize;
    private final double gamma;

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize < 1) {
            throw new IllegalArgumentException("StepLR: stepSize must be at least 1, got " + stepSize);
        }
        this.stepSize = stepSize;
        this.gamma = gamma;
        start();
    }

    /** Decays the current rate at multiples of stepSize (PyTorch's chainable form, so another schedule may also act). */
    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch() != 0 && lastEpoch() % stepSize == 0) {
            for (int i = 0; i < lrs.length; i++) {
                lrs[i] *= gamma;
            }
        }
        return lrs;
    }

    @Override
    protected Map<String, Object> hyperParameters() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("step_size", stepSize);
        out.put("gamma", gamma);
        return out;
    }
}
