/**
 * Optimisers, learning-rate schedules and gradient clipping, as {@code torch.optim}.
 *
 * <p>A training step with all three:
 *
 * <pre>{@code
 * var opt = new AdamW(model.parameters(), AdamW.options().lr(3e-4).weightDecay(0.05));
 * var schedule = new WarmupCosineLR(opt, 500, 10_000, 0.01, 0.0);
 * for (...) {
 *     opt.zeroGrad();
 *     loss(model.call(x), y).backward();
 *     ClipGrad.clipGradNorm(model.parameters(), 1.0);
 *     opt.step();
 *     schedule.step();
 * }
 * }</pre>
 *
 * Every update formula, the order of its floating-point operations and the state it keeps
 * ({@code momentum_buffer}, {@code exp_avg}, {@code exp_avg_sq}, {@code step}) follow
 * PyTorch 1.13's single-tensor code paths, and are tested step by step against it.
 */
package org.weft.nn.optim;
