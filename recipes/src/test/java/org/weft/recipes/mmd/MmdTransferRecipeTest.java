package org.weft.recipes.mmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.autograd.Tensor;
import org.weft.recipes.data.BatchPair;
import org.weft.recipes.data.FashionMnist;
import org.weft.recipes.report.Table;
import org.weft.recipes.train.TrainingTask;

/** The recipe end to end on a tiny proxy with resnet18: what each setting builds, and what the run writes. */
class MmdTransferRecipeTest {

    @TempDir
    Path runDir;

    @BeforeAll
    static void needsData() {
        Assumptions.assumeTrue(Files.isDirectory(FashionMnist.DEFAULT_DIR), "Fashion-MNIST is not installed");
    }

    /** The quick defaults, shrunk to seconds: resnet18, a few images, one epoch. */
    static Map<String, Object> tiny() {
        Map<String, Object> c = new LinkedHashMap<>(new MmdTransferRecipe().defaults(true));
        c.put("seed", 4L);
        c.put("backbone", "resnet18");
        c.put("settings", "1,2,3,4,5,6");
        c.put("targets", "A,B");
        c.put("source_train", 64);
        c.put("target_per_class", 2);
        c.put("source_test", 20);
        c.put("target_test", 20);
        c.put("batch_size", 8);
        c.put("eval_batch_size", 10);
        c.put("pretrain_epochs", 1);
        c.put("epochs", 1);
        c.put("workers", 0);
        return c;
    }

    private Trainings trainings(Map<String, Object> config) throws IOException {
        PlainRunContext context = new PlainRunContext(runDir, config);
        return new Trainings(context.config(), TransferData.load("fashion-mnist-proxy", null, 4L,
                new FashionMnistProxy.Sizes(64, 2, 20, 20)));
    }

    @Test
    void eachSettingBuildsItsModelAndSwitchesItsTerms() throws IOException {
        Trainings trainings = trainings(tiny());
        Map<String, Tensor> pretrained = ((TransferModel) trainings.pretraining().model()).sourceBranch().stateDict();
        for (Setting setting : Setting.values()) {
            TrainingTask<?> task = trainings.setting(setting, "A", pretrained);
            TransferModel model = (TransferModel) task.model();
            assertEquals(setting.twoDomain, model.hasSource(), setting + " source head");
            assertTrue(model.hasTarget());
            assertEquals(setting.shared, model.isShared(), setting + " shared");
            assertEquals(setting.constraint, model.constraint() != null, setting + " constraint");
            if (setting.constraint) {
                // layer3 and layer4 of resnet18: 5 convolutions each.
                assertEquals(10, model.constrainedLayers().size());
            }
            Tensor targetConv = model.namedParameters().get((setting.shared ? "source" : "target") + ".layer2.0.conv1.weight");
            boolean fromSource = java.util.Arrays.equals(pretrained.get("layer2.0.conv1.weight").data().toFloatArray(),
                    targetConv.data().toFloatArray());
            assertEquals(setting.sourceInitialised(), fromSource, setting + " starts from the source weights");
            if (setting.twoDomain) {
                TwoDomainTask two = assertInstanceOf(TwoDomainTask.class, task);
                @SuppressWarnings("unchecked")
                Iterator<BatchPair> pairs = (Iterator<BatchPair>) two.batches(0, 0);
                Map<String, Double> step = two.trainStep(pairs.next());
                assertEquals(setting.mmd, step.containsKey("loss_mmd"), setting + " MMD term");
                assertEquals(setting.constraint, step.containsKey("loss_w"), setting + " Lw term");
                double sum = step.get("loss_source") + step.get("loss_target")
                        + (setting.constraint ? 1e-4 * step.get("loss_w") : 0) + (setting.mmd ? step.get("loss_mmd") : 0);
                assertEquals(sum, step.get("loss"), 1e-5 * sum);
            } else {
                assertInstanceOf(SingleDomainTask.class, task);
            }
            trainings.closeLoaders();
        }
    }

    @Test
    void imagenetWeightsStartSettingOneAndThePretrainingButNotTheirHeads() throws IOException {
        // Any torchvision-layout state dict stands in for the ImageNet one: a resnet18 with a 1000-way head.
        org.weft.nn.models.ResNet imagenet = org.weft.nn.models.ResNet.resnet18(1000);
        Path file = runDir.resolve("imagenet.safetensors");
        org.weft.nn.io.StateDicts.save(file, imagenet.stateDict());
        Map<String, Object> config = tiny();
        config.put("imagenet_weights", file.toString());
        Trainings trainings = trainings(config);
        for (TrainingTask<?> task : List.of(trainings.setting(Setting.IMAGENET_TARGET_ONLY, "B", null),
                trainings.pretraining())) {
            TransferModel model = (TransferModel) task.model();
            org.weft.nn.models.ResNet net = model.hasTarget() ? model.targetBranch() : model.sourceBranch();
            assertTrue(java.util.Arrays.equals(imagenet.stateDict().get("layer3.1.conv2.weight").data().toFloatArray(),
                    net.stateDict().get("layer3.1.conv2.weight").data().toFloatArray()));
            assertEquals(model.hasTarget() ? 5 : 10, net.stateDict().get("fc.weight").shape().dims()[0]);
        }
        trainings.closeLoaders();
    }

    @Test
    void aFewStepsOnOneBatchLowerTheLoss() throws IOException {
        // The paper's lr 1e-3 with momentum 0.9, setting 6 (every term), eight steps on one pair of batches.
        Map<String, Object> config = tiny();
        Trainings trainings = trainings(config);
        // Both branches start from one network, as in the recipe (independent initialisations would make Lw explode).
        Map<String, Tensor> start = ((TransferModel) trainings.pretraining().model()).sourceBranch().stateDict();
        TwoDomainTask task = (TwoDomainTask) trainings.setting(Setting.TWO_BRANCH_MMD_LW, "B", start);
        BatchPair pair = task.batches(0, 0).next();
        task.model().train();
        double first = task.trainStep(pair).get("loss");
        double last = first;
        for (int i = 0; i < 8; i++) {
            last = task.trainStep(pair).get("loss");
        }
        trainings.closeLoaders();
        assertTrue(last < 0.7 * first, "loss " + first + " -> " + last);
    }

    @Test
    void theRunWritesBothTablesTheConfusionsAndTheNotesAndEvaluatesACheckpoint() throws IOException {
        PlainRunContext context = new PlainRunContext(runDir, tiny());
        MmdTransferRecipe recipe = new MmdTransferRecipe();
        recipe.run(context);

        assertEquals(List.of(Trainings.PRETRAIN, "setting1-targetA", "setting2-targetA", "setting3-targetA",
                "setting4-targetA", "setting5-targetA", "setting6-targetA", "setting1-targetB", "setting2-targetB",
                "setting3-targetB", "setting4-targetB", "setting5-targetB", "setting6-targetB"),
                List.copyOf(context.finalMetrics.keySet()));
        Table table2 = context.tables.get("table2");
        assertEquals(7, table2.columns().size());
        assertEquals(List.of("A", "B"), table2.rows().stream().map(r -> r.get(0)).toList());
        for (List<String> row : table2.rows()) {
            for (String cell : row.subList(1, row.size())) {
                double v = Double.parseDouble(cell);
                assertTrue(v >= 0 && v <= 100, cell);
            }
        }
        Table table3 = context.tables.get("table3");
        assertEquals(8, table3.columns().size());
        for (List<String> row : table3.rows()) {
            assertEquals("—", row.get(2), "setting 1 has no source head");
            assertEquals("—", row.get(3), "setting 2 has no source head");
            assertFalse(row.get(4).equals("—"));
        }
        assertTrue(table3.note().contains("no source head"));
        assertTrue(table2.note().contains("random initialisation"));
        assertEquals(8, context.confusions.get("setting6-targetA").classes().size());
        assertEquals(5, context.confusions.get("setting6-targetB").classes().size());
        assertEquals(20, context.confusions.get("setting6-targetA").total());
        assertNotNull(context.notes);
        assertTrue(context.notes.contains("not comparable with the paper's"));
        assertNull(context.finalMetrics.get("setting1-targetA").get("accuracy_source"));
        assertNotNull(context.finalMetrics.get("setting4-targetB").get("accuracy_source"));

        // weft eval: the model rebuilt from its checkpoint scores what the training's last evaluation scored.
        for (String run : List.of("setting6-targetA", "setting3-targetB", "setting1-targetA", Trainings.PRETRAIN)) {
            Map<String, Double> again = recipe.evaluate(context, runDir.resolve("checkpoints").resolve(run + ".safetensors"));
            assertEquals(context.finalMetrics.get(run), again, run);
        }
    }
}
