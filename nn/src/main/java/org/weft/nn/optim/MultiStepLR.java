package org.weft.nn.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multiplies the learning rate by {@code gamma} at each milestone step, as
 * {@code torch.optim.lr_scheduler.MultiStepLR}: lr = base_lr * gamma^(milestones reached).
 * A milestone listed twice decays twice.
 */
public final class MultiStepLR extends LRScheduler {

    private final int[] milestones;
    private final double gamma;

    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super(optimizer);
        for (int m : milestones) {
            if (m < 0) {
                throw new IllegalArgumentException("MultiStepLR: milestones must be non-negative step counts, got "
                        + java.util.Arrays.toString(milestones));
            }
        }
        this.milestones = milestones.clone();
        this.gamma = gamma;
        start();
    }

    @Override
    protected double[] computeLr() {
        int times = 0;
        for (int m : milestones) {
            if (m == lastEpoch()) {
                times++;
            }
        }
        double[] lrs = currentLrs();
        if (times > 0) {
            double factor = Math.pow(gamma, times);
            for (int i = 0; i < lrs.length; i++) {
                lrs[i] *= factor;
            }
        }
        return lrs;
    }

    @Override
    protected Map<String, Object> hyperParameters() {
        List<Integer> list = new ArrayList<>();
        for (int m : milestones) {
            list.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("milestones", list);
        out.put("gamma", gamma);
        return out;
    }
}
