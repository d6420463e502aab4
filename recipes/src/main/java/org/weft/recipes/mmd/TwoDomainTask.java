package org.weft.recipes.mmd;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.weft.nn.Module;
import org.weft.nn.optim.LRScheduler;
import org.weft.nn.optim.Optimizer;
import org.weft.recipes.data.BatchPair;
import org.weft.recipes.data.TwoDomainLoader;
import org.weft.recipes.train.TrainingTask;

/**
 * Settings 3 to 6: a source batch and a target batch per step (the alternating sampler), both heads trained on
 * {@link TransferLoss}; each step reports the total and every term the setting has.
 */
final class TwoDomainTask implements TrainingTask<BatchPair> {

    private final TransferModel model;
    private final Optimizer optimizer;
    private final TwoDomainLoader train;
    private final TransferLoss loss;
    private final EvaluationSets evaluation;

    TwoDomainTask(TransferModel model, Optimizer optimizer, TwoDomainLoader train, TransferLoss loss,
                  EvaluationSets evaluation) {
        if (!model.hasSource() || !model.hasTarget()) {
            throw new IllegalArgumentException("a two-domain task needs a model with a source and a target head");
        }
        this.model = model;
        this.optimizer = optimizer;
        this.train = train;
        this.loss = loss;
        this.evaluation = evaluation;
    }

    @Override
    public Module model() {
        return model;
    }

    @Override
    public Optimizer optimizer() {
        return optimizer;
    }

    @Override
    public LRScheduler scheduler() {
        return null;
    }

    @Override
    public int stepsPerEpoch() {
        return train.stepsPerEpoch();
    }

    @Override
    public Iterator<BatchPair> batches(int epoch, int fromStep) {
        return train.epoch(epoch, fromStep);
    }

    @Override
    public Map<String, Double> trainStep(BatchPair batch) {
        TransferLoss.Parts parts = loss.compute(model, batch.source(), batch.target());
        optimizer.zeroGrad();
        parts.total().backward();
        optimizer.step();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", parts.total().item());
        out.put("loss_source", parts.source().item());
        out.put("loss_target", parts.target().item());
        if (parts.constraint() != null) {
            out.put("loss_w", parts.constraint().item());
        }
        if (parts.mmd() != null) {
            out.put("loss_mmd", parts.mmd().item()); // "loss" first, so the report plots it with the other terms
        }
        return out;
    }

    @Override
    public Map<String, Double> evaluate() {
        return evaluation.evaluate(model);
    }

    EvaluationSets evaluation() {
        return evaluation;
    }
}
