package org.weft.recipes.mmd;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.weft.autograd.Tensor;
import org.weft.nn.Module;
import org.weft.nn.optim.LRScheduler;
import org.weft.nn.optim.Optimizer;
import org.weft.recipes.data.Batch;
import org.weft.recipes.data.DataLoader;
import org.weft.recipes.train.TrainingTask;

/**
 * One network trained on one domain with its classification loss alone: the source pretraining (a source-only
 * model on source batches) and settings 1 and 2 (a target-only model on target batches).
 */
final class SingleDomainTask implements TrainingTask<Batch> {

    private final TransferModel model;
    private final Optimizer optimizer;
    private final DataLoader train;
    private final EvaluationSets evaluation;
    private final LRScheduler scheduler;

    /** {@code scheduler} (null for a constant rate) is stepped after every optimiser step. */
    SingleDomainTask(TransferModel model, Optimizer optimizer, LRScheduler scheduler, DataLoader train,
                     EvaluationSets evaluation) {
        if (model.hasSource() == model.hasTarget()) {
            throw new IllegalArgumentException("a single-domain task trains a source-only or a target-only model");
        }
        this.model = model;
        this.optimizer = optimizer;
        this.train = train;
        this.evaluation = evaluation;
        this.scheduler = scheduler;
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
        return scheduler;
    }

    @Override
    public int stepsPerEpoch() {
        return train.batchesPerEpoch();
    }

    @Override
    public Iterator<Batch> batches(int epoch, int fromStep) {
        return train.epoch(epoch, fromStep);
    }

    @Override
    public Map<String, Double> trainStep(Batch batch) {
        // forward() gives the logits of the one head the model has.
        Tensor loss = TransferLoss.classification(model.call(Tensor.of(batch.images())), batch.labels());
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        if (scheduler != null) {
            scheduler.step();
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", loss.item());
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
