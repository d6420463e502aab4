package org.weft.recipes.mmd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.weft.autograd.Tensor;
import org.weft.nn.io.StateDicts;
import org.weft.nn.losses.Mmd;
import org.weft.nn.losses.WeightConstraint;
import org.weft.nn.models.ResNet;
import org.weft.nn.optim.ParamGroup;
import org.weft.nn.optim.SGD;
import org.weft.nn.optim.WarmupCosineLR;
import org.weft.recipes.data.DataLoader;
import org.weft.recipes.data.Dataset;
import org.weft.recipes.data.TwoDomainLoader;
import org.weft.recipes.train.RecipeConfig;
import org.weft.recipes.train.TrainingTask;
import org.weft.tensor.random.Generator;

/**
 * Builds the trainings of the recipe from its configuration: the source pretraining and, for each target and
 * ablation setting, the model (initialised as the setting says), its optimiser, its loaders and its loss. Every
 * random choice (initialisation, shuffling) is seeded from the run's seed and the training's name, so a
 * training is the same whether it runs first, last, alone or after a resume.
 */
final class Trainings {

    static final String PRETRAIN = "pretrain-source";

    private final RecipeConfig config;
    private final TransferData data;
    private final long seed;
    private final List<AutoCloseable> open = new ArrayList<>();

    Trainings(RecipeConfig config, TransferData data) {
        this.config = config;
        this.data = data;
        this.seed = config.longValue("seed");
    }

    TransferData data() {
        return data;
    }

    /** The run name of a setting on a target, e.g. {@code setting6-targetA}. */
    static String runName(Setting setting, String target) {
        return "setting" + setting.number + "-target" + target;
    }

    /** The source network trained from torchvision's initialisation (or the ImageNet weights) on the source task. */
    SingleDomainTask pretraining() throws IOException {
        seedFor(PRETRAIN);
        ResNet source = backbone(data.sourceTrain().classes().size());
        loadImageNet(source);
        TransferModel model = TransferModel.sourceOnly(source);
        SGD sgd = new SGD(model.parameters(), SGD.options().lr(config.number("pretrain_lr"))
                .momentum(config.number("momentum")).weightDecay(config.number("weight_decay")));
        DataLoader loader = trainLoader(data.sourceTrain(), PRETRAIN);
        // From scratch, a ResNet50 on 32x32 images at batch 32 spikes to losses far above chance at a constant
        // lr of 0.01 (PyTorch does the same): a linear warm-up over the first fifth of the steps, then a cosine
        // decay to 0, trains it steadily.
        int total = config.integer("pretrain_epochs") * loader.batchesPerEpoch();
        WarmupCosineLR schedule = total > 1 ? new WarmupCosineLR(sgd, total / 5, total, 0.1, 0) : null;
        return new SingleDomainTask(model, sgd, schedule, loader, new EvaluationSets(testLoader(data.sourceTest()), null));
    }

    /**
     * The training of {@code setting} on {@code target}; {@code sourceWeights} (the pretrained source network's
     * state dict) initialises it, or, when null, the model keeps its fresh weights (to load a checkpoint into).
     */
    TrainingTask<?> setting(Setting setting, String target, Map<String, Tensor> sourceWeights) throws IOException {
        String name = runName(setting, target);
        seedFor(name);
        Dataset targetTrain = data.train(target);
        int sourceClasses = data.sourceTrain().classes().size();
        int targetClasses = targetTrain.classes().size();
        EvaluationSets evaluation = new EvaluationSets(setting.twoDomain ? testLoader(data.sourceTest()) : null,
                testLoader(data.test(target)));
        if (!setting.twoDomain) {
            ResNet network = backbone(targetClasses);
            if (setting.sourceInitialised()) {
                loadWithoutHead(network, sourceWeights);
            } else {
                loadImageNet(network);
            }
            TransferModel model = TransferModel.targetOnly(network);
            return new SingleDomainTask(model, optimizer(model), null, trainLoader(targetTrain, name), evaluation);
        }
        ResNet source = backbone(sourceClasses);
        if (sourceWeights != null) {
            source.loadStateDict(sourceWeights, true);
        }
        TransferModel model;
        if (setting.shared) {
            model = TransferModel.shared(source, targetClasses);
        } else {
            ResNet targetNet = backbone(targetClasses);
            loadWithoutHead(targetNet, sourceWeights);
            model = setting.constraint
                    ? TransferModel.constrained(source, targetNet,
                            TransferModel.convolutions(source, config.strings("constraint_layers")), constraintForm())
                    : TransferModel.twoBranch(source, targetNet);
        }
        TwoDomainLoader loader = new TwoDomainLoader(trainLoader(data.sourceTrain(), name + "/source"),
                trainLoader(targetTrain, name + "/target"));
        TransferLoss loss = new TransferLoss(config.number("lambda_w"), config.number("lambda_r"), setting.mmd,
                setting.constraint, estimator(), kernels());
        return new TwoDomainTask(model, optimizer(model), loader, loss, evaluation);
    }

    /** Closes the loaders made so far (their worker threads). */
    void closeLoaders() {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        open.clear();
    }

    /** SGD at {@code lr}; the constraint's a and b never take weight decay (they are scales, not weights). */
    private SGD optimizer(TransferModel model) {
        SGD.Options options = SGD.options().lr(config.number("lr")).momentum(config.number("momentum"))
                .weightDecay(config.number("weight_decay"));
        if (model.constraint() == null) {
            return new SGD(model.parameters(), options);
        }
        List<Tensor> constraint = model.constraint().parameters();
        List<Tensor> networks = new ArrayList<>();
        for (Tensor p : model.parameters()) {
            if (!constraint.contains(p)) {
                networks.add(p);
            }
        }
        return new SGD(options, ParamGroup.of(networks), ParamGroup.of(constraint).set("weight_decay", 0.0));
    }

    private ResNet backbone(int classes) {
        return Backbones.create(config.string("backbone"), classes);
    }

    /** Copies every weight but the head's ({@code fc}) from {@code weights}, which must hold all of them. */
    static void loadWithoutHead(ResNet network, Map<String, Tensor> weights) {
        if (weights == null) {
            return;
        }
        Map<String, Tensor> body = new LinkedHashMap<>(weights);
        body.keySet().removeIf(k -> k.startsWith(network.headName() + "."));
        var result = network.loadStateDict(body, false);
        for (String missing : result.missingKeys()) {
            if (!missing.startsWith(network.headName() + ".")) {
                throw new IllegalArgumentException("the initial weights lack " + result.missingKeys());
            }
        }
        if (!result.unexpectedKeys().isEmpty()) {
            throw new IllegalArgumentException("the initial weights hold keys the network lacks: " + result.unexpectedKeys());
        }
    }

    /** The ImageNet weights of {@code imagenet_weights} (all but the head), or nothing when the key is empty. */
    private void loadImageNet(ResNet network) throws IOException {
        String path = config.string("imagenet_weights");
        if (!path.isEmpty()) {
            loadWithoutHead(network, StateDicts.load(Path.of(path)));
        }
    }

    private DataLoader trainLoader(Dataset dataset, String name) {
        DataLoader loader = DataLoader.builder(dataset).transform(data.trainInput()).batchSize(config.integer("batch_size"))
                .shuffle(true).dropLast(true).seed(DomainShift.mix(seed, name.hashCode())).workers(config.integer("workers"))
                .build();
        open.add(loader);
        return loader;
    }

    private DataLoader testLoader(Dataset dataset) {
        DataLoader loader = DataLoader.builder(dataset).transform(data.evalInput())
                .batchSize(config.integer("eval_batch_size")).shuffle(false).dropLast(false).seed(seed)
                .workers(config.integer("workers")).build();
        open.add(loader);
        return loader;
    }

    /** Seeds the global generator (initialisation) from the run's seed and the training's name. */
    private void seedFor(String name) {
        Generator.global().manualSeed(DomainShift.mix(seed, name.hashCode()));
    }

    Mmd.Estimator estimator() {
        String name = config.string("mmd_estimator");
        try {
            return Mmd.Estimator.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mmd_estimator must be biased, unbiased or linear, got '" + name + "'");
        }
    }

    /** The paper's five kernels around the joint batch's mean distance, or one Gaussian of {@code mmd_sigma} > 0. */
    Mmd.Kernels kernels() {
        double sigma = config.number("mmd_sigma");
        return sigma > 0 ? Mmd.Kernels.fixedSigma(sigma) : Mmd.Kernels.paper();
    }

    WeightConstraint.Form constraintForm() {
        String name = config.string("constraint_form");
        try {
            return WeightConstraint.Form.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("constraint_form must be exponential or squared, got '" + name + "'");
        }
    }
}
