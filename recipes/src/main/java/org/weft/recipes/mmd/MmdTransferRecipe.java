package org.weft.recipes.mmd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.weft.autograd.Tensor;
import org.weft.nn.io.TrainingCheckpoint;
import org.weft.recipes.metrics.ConfusionMatrix;
import org.weft.recipes.report.Table;
import org.weft.recipes.train.Recipe;
import org.weft.recipes.train.RecipeConfig;
import org.weft.recipes.train.RunContext;
import org.weft.recipes.train.TrainingTask;

/**
 * Paper 000 (Wang and Zhong 2021): transfer between clothing tasks with two ResNet branches, an MMD loss between
 * their pooled features and a weight constraint between their convolutions, with the paper's six-setting
 * ablation. The run pretrains the source network ({@code pretrain-source}), whose weights start settings 2 to 6;
 * then trains every chosen setting on every chosen target ({@code setting<k>-target<T>}); and reports the target
 * accuracies (table2, the paper's Table 2), the source accuracies (table3, its Table 3) and the confusion
 * matrices of setting 6. By default it runs on the Fashion-MNIST proxy ({@link FashionMnistProxy}); with
 * {@code protocol=deepfashion} on the paper's own datasets in their published layouts ({@link DeepFashionProtocol}).
 */
public final class MmdTransferRecipe implements Recipe {

    private static final Pattern SETTING_RUN = Pattern.compile("setting(\\d)-target(\\w+)");

    public MmdTransferRecipe() {
    }

    @Override
    public String name() {
        return "mmd-transfer";
    }

    @Override
    public String description() {
        // One line of `weft train --help`; the README and DeepFashionProtocol say where the real datasets go.
        return "paper 000: ResNet50 transfer, MMD + weight constraint (proxy; protocol=deepfashion with --data)";
    }

    @Override
    public LinkedHashMap<String, Object> defaults(boolean quick) {
        LinkedHashMap<String, Object> d = new LinkedHashMap<>();
        d.put("protocol", "fashion-mnist-proxy");
        d.put("backbone", "resnet50");
        d.put("settings", quick ? "6" : "1,2,3,4,5,6");
        d.put("targets", quick ? "A" : "A,B");
        d.put("source_train", quick ? 2560 : 6000);
        d.put("target_per_class", quick ? 24 : 40);
        d.put("source_test", quick ? 200 : 1000);
        d.put("target_test", quick ? 200 : 1000);
        d.put("batch_size", 32);
        d.put("eval_batch_size", 100);
        d.put("pretrain_epochs", quick ? 1 : 2);
        d.put("pretrain_lr", 0.01);
        d.put("epochs", quick ? 4 : 10);
        d.put("lr", 1e-3);
        d.put("momentum", 0.9);
        d.put("weight_decay", 0.0);
        d.put("lambda_w", 1e-4);
        d.put("lambda_r", 1.0);
        d.put("mmd_estimator", "biased");
        d.put("mmd_sigma", 0.0);
        d.put("constraint_layers", List.of("layer3", "layer4"));
        d.put("constraint_form", "exponential");
        d.put("imagenet_weights", "");
        d.put("workers", 1);
        d.put("eval_every", quick ? 2 : 5);
        // The real layouts (protocol deepfashion, see DeepFashionProtocol); the proxy reads none of these.
        d.put("image_size", 224);
        d.put("source_task", "category");
        d.put("source_eval_split", "test");
        d.put("deepfashion_crop_to_box", false);
        d.put("hipsterwars_test_fraction", 0.1);
        d.put("deepfashion_dir", "");
        d.put("acws_dir", "");
        d.put("hipsterwars_dir", "");
        d.put("idesigner_dir", "");
        return d;
    }

    @Override
    public void run(RunContext context) throws IOException {
        RecipeConfig config = context.config();
        List<Setting> settings = settings(config.string("settings"));
        TransferData data = load(context);
        List<String> targets = new ArrayList<>();
        for (String given : list(config.string("targets"))) {
            targets.add(data.targetName(given));
        }
        Trainings trainings = new Trainings(config, data);
        for (String t : targets) {
            data.train(t);
        }
        context.writeNotes(Notes.protocol(config, data, settings, targets));

        Map<String, Tensor> sourceWeights = null;
        Map<String, Double> pretrained = Map.of();
        boolean needSource = settings.stream().anyMatch(Setting::sourceInitialised);
        if (needSource) {
            SingleDomainTask pretraining = trainings.pretraining();
            context.log().println("pretraining the source network (" + data.sourceTrain().size() + " images, "
                    + config.integer("pretrain_epochs") + " epochs)");
            pretrained = context.fit(Trainings.PRETRAIN, pretraining, config.integer("pretrain_epochs"));
            sourceWeights = ((TransferModel) pretraining.model()).sourceBranch().stateDict();
            trainings.closeLoaders();
        }

        Map<String, Map<Setting, Map<String, Double>>> results = new LinkedHashMap<>();
        for (String target : targets) {
            Map<Setting, Map<String, Double>> byTarget = new LinkedHashMap<>();
            results.put(target, byTarget);
            for (Setting setting : settings) {
                String runName = Trainings.runName(setting, target);
                context.log().println(runName + ": " + setting.label + " on target " + target);
                TrainingTask<?> task = trainings.setting(setting, target, sourceWeights);
                Map<String, Double> metrics = context.fit(runName, task, config.integer("epochs"));
                byTarget.put(setting, metrics);
                if (setting == Setting.TWO_BRANCH_MMD_LW && !data.test(target).isMultiLabel()) {
                    EvaluationSets evaluation = task instanceof TwoDomainTask two ? two.evaluation()
                            : ((SingleDomainTask) task).evaluation();
                    ConfusionMatrix matrix = evaluation.lastTargetConfusion();
                    if (matrix == null) {
                        // Finished in an earlier session: the trainer loaded its weights, evaluate them again.
                        evaluation.evaluate((TransferModel) task.model());
                        matrix = evaluation.lastTargetConfusion();
                    }
                    context.writeConfusion(runName, matrix);
                }
                trainings.closeLoaders();
            }
        }
        context.writeTable("table2", Reports.targetTable(results, settings, config));
        context.writeTable("table3", Reports.sourceTable(results, settings, pretrained, config));
    }

    @Override
    public Map<String, Double> evaluate(RunContext context, Path checkpoint) throws IOException {
        String file = checkpoint.getFileName().toString();
        String runName = file.endsWith(".safetensors") ? file.substring(0, file.length() - ".safetensors".length()) : file;
        Trainings trainings = new Trainings(context.config(), load(context));
        try {
            TrainingTask<?> task;
            if (runName.equals(Trainings.PRETRAIN)) {
                task = trainings.pretraining();
            } else {
                Matcher m = SETTING_RUN.matcher(runName);
                if (!m.matches()) {
                    throw new IllegalArgumentException(checkpoint + ": not a checkpoint of mmd-transfer (expected "
                            + Trainings.PRETRAIN + ".safetensors or setting<1-6>-target<name>.safetensors)");
                }
                task = trainings.setting(Setting.of(Integer.parseInt(m.group(1))), m.group(2), null);
            }
            TrainingCheckpoint.load(checkpoint, task.model(), task.optimizer(), task.scheduler());
            return task.evaluate();
        } finally {
            trainings.closeLoaders();
        }
    }

    private static TransferData load(RunContext context) throws IOException {
        RecipeConfig c = context.config();
        if (c.string("protocol").equals(DeepFashionProtocol.NAME)) {
            return DeepFashionProtocol.load(c, context.dataDir(), list(c.string("targets")));
        }
        return TransferData.load(c.string("protocol"), context.dataDir(), c.longValue("seed"),
                new FashionMnistProxy.Sizes(c.integer("source_train"), c.integer("target_per_class"),
                        c.integer("source_test"), c.integer("target_test")));
    }

    /** "1,2,6" as settings, in the paper's order. */
    static List<Setting> settings(String spec) {
        List<Setting> out = new ArrayList<>();
        for (String s : list(spec)) {
            int number;
            try {
                number = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("settings: expected numbers 1 to 6 separated by commas, got '" + spec
                        + "'");
            }
            Setting setting = Setting.of(number);
            if (!out.contains(setting)) {
                out.add(setting);
            }
        }
        out.sort(null);
        if (out.isEmpty()) {
            throw new IllegalArgumentException("settings: expected at least one of 1 to 6, got '" + spec + "'");
        }
        return out;
    }

    static List<String> list(String spec) {
        List<String> out = new ArrayList<>();
        for (String s : spec.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    static String percent(Double value) {
        return value == null || value.isNaN() ? "—" : String.format(Locale.ROOT, "%.2f", 100 * value);
    }
}
