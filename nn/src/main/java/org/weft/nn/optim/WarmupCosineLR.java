package org.weft.nn.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A linear warm-up followed by a cosine decay, the usual schedule for training transformers
 * and for fine-tuning. At step t, for a group whose initial rate is base_lr:
 *
 * <pre>
 *   t &lt; W:       lr = base_lr * (s + (1 - s) * t / W)                 (linear from s * base_lr)
 *   W &lt;= t &lt; T:  lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * (t - W) / (T - W))) / 2
 *   t &gt;= T:      lr = eta_min
 * </pre>
 *
 * with W = warmupSteps, T = totalSteps, s = warmupStartFactor. Up to step T this equals
 * PyTorch's {@code SequentialLR([LinearLR(start_factor=s, total_iters=W),
 * CosineAnnealingLR(T_max=T-W, eta_min)], milestones=[W])}; after T it stays at eta_min,
 * where CosineAnnealingLR would climb back up.
 */
public final class WarmupCosineLR extends LRScheduler {

    private final int warmupSteps;
    private final int totalSteps;
    private final double warmupStartFactor;
    private final double etaMin;

    public WarmupCosineLR(Optimizer optimizer, int warmupSteps, int totalSteps, double warmupStartFactor, double etaMin) {
        super(optimizer);
        if (warmupSteps < 0 || totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("WarmupCosineLR: expected 0 <= warmupSteps < totalSteps, got warmupSteps="
                    + warmupSteps + ", totalSteps=" + totalSteps);
        }
        if (!(warmupStartFactor > 0 && warmupStartFactor <= 1)) {
            throw new IllegalArgumentException("WarmupCosineLR: warmupStartFactor must be in (0, 1], got "
                    + warmupStartFactor);
        }
        if (!(etaMin >= 0)) {
            throw new IllegalArgumentException("WarmupCosineLR: etaMin must be non-negative, got " + etaMin);
        }
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
        this.warmupStartFactor = warmupStartFactor;
        this.etaMin = etaMin;
        start();
    }

    @Override
    protected double[] computeLr() {
        int t = lastEpoch();
        double[] lrs = baseLrs();
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = lr(lrs[i], t);
        }
        return lrs;
    }

    private double lr(double base, int t) {
        if (t < warmupSteps) {
            return base * (warmupStartFactor + (1 - warmupStartFactor) * t / warmupSteps);
        }
        if (t >= totalSteps) {
            return etaMin;
        }
        double progress = (double) (t - warmupSteps) / (totalSteps - warmupSteps);
        return etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * progress)) / 2;
    }

    @Override
    protected Map<String, Object> hyperParameters() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("warmup_steps", warmupSteps);
        out.put("total_steps", totalSteps);
        out.put("warmup_start_factor", warmupStartFactor);
        out.put("eta_min", etaMin);
        return out;
    }
}
