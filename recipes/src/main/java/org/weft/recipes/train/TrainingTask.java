package org.weft.recipes.train;

import java.util.Iterator;
import java.util.Map;

import org.weft.nn.Module;
import org.weft.nn.optim.LRScheduler;
import org.weft.nn.optim.Optimizer;

/**
 * What a recipe gives the {@link Trainer}: the state a checkpoint must hold, the batches of each epoch,
 * what one step does, and how to evaluate. The trainer owns the loop around it: epochs, progress,
 * metrics files, checkpoints, resume and Ctrl-C.
 *
 * @param <B> what one step consumes (a {@code Batch}, or a pair of them for two-domain training)
 */
public interface TrainingTask<B> {

    /** Every module whose state a checkpoint holds, under one root (its state dict names them). */
    Module model();

    Optimizer optimizer();

    /** The learning-rate schedule, stepped by the task itself; null when the rate is constant. */
    LRScheduler scheduler();

    int stepsPerEpoch();

    /**
     * The batches of epoch {@code epoch} (0-based) from step {@code fromStep} on. The same epoch always gives
     * the same batches, so a run resumed mid-epoch sees what an uninterrupted run would have seen.
     */
    Iterator<B> batches(int epoch, int fromStep);

    /**
     * One optimisation step on {@code batch}: forward, backward, optimiser and scheduler step. Returns named
     * scalars for the progress line and the metrics file; "loss" is the one the progress bar shows.
     */
    Map<String, Double> trainStep(B batch);

    /** Evaluates the model (in eval mode, without gradients) and returns named metrics. */
    Map<String, Double> evaluate();
}
