package org.weft.recipes.mmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.recipes.data.Batch;
import org.weft.recipes.data.DataLoader;
import org.weft.recipes.data.sets.HipsterWars;
import org.weft.recipes.report.Table;

import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.Struct;

/**
 * The recipe on the paper's own datasets, each written by the test in its published layout (DeepFashion's list
 * files with their count and header lines, ACWS's labels.json and split lists, HipsterWars's .mat file, IDesigner as
 * train/ and test/ image folders), a few tiny images of varied sizes each: the protocol reads them, turns them into
 * inputs of image_size, trains every setting asked for on every target and reports them.
 */
class DeepFashionProtocolTest {

    @TempDir
    Path root;

    private static final String[] CATEGORIES = {"Anorak", "Button-Down", "Cutoffs"};
    /** Attribute names with spaces, as in list_attr_cloth.txt. */
    private static final String[] ATTRIBUTES = {"a-line", "abstract chevron", "floral print", "long sleeve", "denim",
        "v-neck"};

    /** A w x h image of one colour (so different files are told apart), written as its extension says. */
    private static void image(Path file, int rgb, int width, int height) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x + y) % 4 == 0 ? 0xffffff : rgb);
            }
        }
        String name = file.getFileName().toString();
        assertTrue(ImageIO.write(image, name.endsWith(".png") ? "png" : "jpg", file.toFile()));
    }

    private static int colour(int k) {
        return (37 * k % 256) << 16 | (91 * k % 256) << 8 | (53 * k % 256);
    }

    private void lines(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n");
    }

    /** DeepFashion: 8 train, 4 test and 2 val images, columns padded with runs of spaces. */
    private void deepFashion() throws IOException {
        Path dir = root.resolve("DeepFashion");
        List<String> cloth = new ArrayList<>(List.of(Integer.toString(CATEGORIES.length), "category_name  category_type"));
        for (int c = 0; c < CATEGORIES.length; c++) {
            cloth.add(String.format("%-29s%d", CATEGORIES[c], c + 1));
        }
        List<String> attrCloth = new ArrayList<>(List.of(Integer.toString(ATTRIBUTES.length),
                "attribute_name  attribute_type"));
        for (int k = 0; k < ATTRIBUTES.length; k++) {
            attrCloth.add(String.format("%-29s%d", ATTRIBUTES[k], k % 5 + 1));
        }
        int n = 14;
        List<String> categoryImg = new ArrayList<>(List.of(Integer.toString(n), "image_name  category_label"));
        List<String> attrImg = new ArrayList<>(List.of(Integer.toString(n), "image_name  attribute_labels"));
        List<String> partition = new ArrayList<>(List.of(Integer.toString(n), "image_name  evaluation_status"));
        for (int i = 0; i < n; i++) {
            int category = i % CATEGORIES.length;
            String name = String.format("img/%s_Item/img_%08d.jpg", CATEGORIES[category], i + 1);
            image(dir.resolve(name), colour(category), 40 + i, 30 + 2 * i);
            categoryImg.add(String.format("%-71s%d", name, category + 1));
            StringBuilder values = new StringBuilder(String.format("%-71s", name));
            for (int k = 0; k < ATTRIBUTES.length; k++) {
                // Every image has attribute (category + k) % 6 for k in {0, 1}; the others absent, some unknown.
                int value = (k - category + 6) % 6 < 2 ? 1 : (i + k) % 5 == 0 ? 0 : -1;
                values.append(String.format("%2d ", value));
            }
            attrImg.add(values.toString());
            partition.add(String.format("%-71s%s", name, i < 8 ? "train" : i < 12 ? "test" : "val"));
        }
        lines(dir.resolve("Anno/list_category_cloth.txt"), cloth);
        lines(dir.resolve("Anno/list_attr_cloth.txt"), attrCloth);
        lines(dir.resolve("Anno/list_category_img.txt"), categoryImg);
        lines(dir.resolve("Anno/list_attr_img.txt"), attrImg);
        lines(dir.resolve("Eval/list_eval_partition.txt"), partition);
    }

    /** ACWS: three folder keys of two classes (two keys may name one class), 6 train and 3 test images. */
    private void acws() throws IOException {
        Path dir = root.resolve("ACWS");
        lines(dir.resolve("labels.json"), List.of("{", "  1: 'Blouses',", "  2: 'Coats',", "  3: 'Coats',", "}"));
        List<String> train = new ArrayList<>();
        List<String> test = new ArrayList<>();
        for (int key = 1; key <= 3; key++) {
            for (int id = 0; id < 3; id++) {
                String entry = key + "/" + (1000 * key + id);
                image(dir.resolve("images/" + entry + ".jpg"), colour(key), 36, 48);
                (id < 2 ? train : test).add(entry);
            }
        }
        lines(dir.resolve("train.txt"), train);
        lines(dir.resolve("test.txt"), test);
    }

    /** HipsterWars: four photos of each style, grouped by style as published; the top half keeps two of each. */
    private void hipsterWars() throws IOException {
        Path dir = root.resolve("HipsterWars");
        int n = 4 * HipsterWars.STYLES.size();
        Struct samples = Mat5.newStruct(n, 1);
        for (int i = 0; i < n; i++) {
            int id = 100 + i;
            samples.set("id", i, Mat5.newScalar(id));
            samples.set("style_name", i, Mat5.newString(HipsterWars.STYLES.get(i / 4)));
            image(dir.resolve("images/" + id + ".jpg"), colour(i / 4 + 7), 30, 50);
        }
        Files.createDirectories(dir);
        Mat5.writeToFile(Mat5.newMatFile().addArray("samples", samples), dir.resolve(HipsterWars.MAT_FILE).toFile());
    }

    /** IDesigner: two classes, three training and one test image each. */
    private void iDesigner() throws IOException {
        Path dir = root.resolve("IDesigner");
        for (String style : List.of("minimal", "street")) {
            for (int i = 0; i < 4; i++) {
                image(dir.resolve((i < 3 ? "train/" : "test/") + style + "/" + i + ".png"), colour(style.length() + i),
                        44, 44);
            }
        }
    }

    private Map<String, Object> config(String sourceTask, String settings, String targets) {
        Map<String, Object> c = new LinkedHashMap<>(new MmdTransferRecipe().defaults(true));
        c.put("seed", 3L);
        c.put("protocol", "deepfashion");
        c.put("backbone", "resnet18");
        c.put("image_size", 32);
        c.put("source_task", sourceTask);
        c.put("settings", settings);
        c.put("targets", targets);
        c.put("hipsterwars_test_fraction", 0.5);
        c.put("batch_size", 4);
        c.put("eval_batch_size", 8);
        c.put("pretrain_epochs", 1);
        c.put("epochs", 1);
        c.put("workers", 0);
        return c;
    }

    private PlainRunContext context(Map<String, Object> config) {
        PlainRunContext context = new PlainRunContext(root.resolve("run"), config);
        context.dataDir = root;
        return context;
    }

    @Test
    void theCategoryTaskTransfersToAcwsHipsterWarsAndIDesigner() throws IOException {
        deepFashion();
        acws();
        hipsterWars();
        iDesigner();
        PlainRunContext context = context(config("category", "2,6", "A,hipsterwars,IDesigner"));
        new MmdTransferRecipe().run(context);

        assertEquals(List.of(Trainings.PRETRAIN, "setting2-targetACWS", "setting6-targetACWS",
                "setting2-targetHipsterWars", "setting6-targetHipsterWars", "setting2-targetIDesigner",
                "setting6-targetIDesigner"), List.copyOf(context.finalMetrics.keySet()));
        // 8 DeepFashion training images at batch 4: 2 steps; each target's smaller training set ends the epoch.
        assertEquals(2, context.losses.get(Trainings.PRETRAIN).size());
        assertEquals(1, context.losses.get("setting6-targetACWS").size());
        for (List<Double> trace : context.losses.values()) {
            for (double loss : trace) {
                assertTrue(Double.isFinite(loss), "a loss of " + loss);
            }
        }
        Table table2 = context.tables.get("table2");
        assertEquals(List.of("ACWS", "HipsterWars", "IDesigner"), table2.rows().stream().map(r -> r.get(0)).toList());
        for (List<String> row : table2.rows()) {
            for (String cell : row.subList(1, row.size())) {
                double v = Double.parseDouble(cell);
                assertTrue(v >= 0 && v <= 100, cell);
            }
        }
        assertEquals(3, context.tables.get("table3").rows().size());
        // ACWS: classes are the distinct names of labels.json, its 3 test images scored; HipsterWars: 5 styles, the
        // top half (2 of 4) of each, one per style held out at a test fraction of 0.5; IDesigner: its test/ folder.
        assertEquals(List.of("Blouses", "Coats"), context.confusions.get("setting6-targetACWS").classes());
        assertEquals(3, context.confusions.get("setting6-targetACWS").total());
        assertEquals(HipsterWars.STYLES, context.confusions.get("setting6-targetHipsterWars").classes());
        assertEquals(5, context.confusions.get("setting6-targetHipsterWars").total());
        assertEquals(2, context.confusions.get("setting6-targetIDesigner").total());
        assertTrue(context.finalMetrics.get(Trainings.PRETRAIN).containsKey("accuracy_source"));
        assertTrue(context.notes.contains("DeepFashion"), context.notes);
        assertTrue(context.notes.contains("top half of each style"), context.notes);
    }

    @Test
    void theAttributeTaskTrainsAMultiLabelSourceAndReportsItsTopNRecallAndAccuracy() throws IOException {
        deepFashion();
        iDesigner();
        PlainRunContext context = context(config("attributes", "6", "idesigner"));
        new MmdTransferRecipe().run(context);

        for (String run : List.of(Trainings.PRETRAIN, "setting6-targetIDesigner")) {
            Map<String, Double> metrics = context.finalMetrics.get(run);
            for (String key : List.of("top3_recall_source", "top5_recall_source", "top3_accuracy_source",
                    "top5_accuracy_source")) {
                assertNotNull(metrics.get(key), run + " lacks " + key + ": " + metrics);
                assertTrue(metrics.get(key) >= 0 && metrics.get(key) <= 1, run + " " + key + " " + metrics.get(key));
            }
            assertFalse(metrics.containsKey("accuracy_source"), run);
        }
        assertTrue(context.finalMetrics.get("setting6-targetIDesigner").containsKey("accuracy_target"));
        // Table 3 reads the multi-label source's top-3 recall.
        List<String> row = context.tables.get("table3").rows().get(0);
        assertEquals(100 * context.finalMetrics.get(Trainings.PRETRAIN).get("top3_recall_source"),
                Double.parseDouble(row.get(1)), 0.005);
        assertEquals(100 * context.finalMetrics.get("setting6-targetIDesigner").get("top3_recall_source"),
                Double.parseDouble(row.get(2)), 0.005);
    }

    @Test
    void inputsAreCroppedToImageSizeAndTheEvaluationInputIsTheCentre() throws IOException {
        deepFashion();
        Map<String, Object> config = config("category", "6", "idesigner");
        iDesigner();
        TransferData data = DeepFashionProtocol.load(new PlainRunContext.MapConfig(config), root, List.of("idesigner"));
        try (DataLoader loader = DataLoader.builder(data.sourceTest()).transform(data.evalInput()).batchSize(4)
                .workers(0).build()) {
            Batch batch = loader.epoch(0, 0).next();
            assertEquals(List.of(4, 3, 32, 32), java.util.Arrays.stream(batch.images().shape().dims()).boxed().toList());
        }
        // Eval: resize the shorter side to 32·256/224 = 36, then the central 32x32.
        org.weft.recipes.data.Image raw = data.sourceTest().get(0).image();
        org.weft.recipes.data.Image expected = new ImageNetInput().apply(
                org.weft.recipes.data.transforms.CenterCrop.centerCrop(org.weft.recipes.data.transforms.Resize.resize(raw,
                        org.weft.recipes.data.transforms.Resize.shorterSideSize(raw.height(), raw.width(), 36)[0],
                        org.weft.recipes.data.transforms.Resize.shorterSideSize(raw.height(), raw.width(), 36)[1]), 32, 32),
                null);
        assertTrue(java.util.Arrays.equals(expected.pixels(), data.evalInput().apply(raw, null).pixels()));
    }

    @Test
    void aMissingDatasetFolderIsOneLineNamingWhatWasExpectedWhere() throws IOException {
        deepFashion();
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new MmdTransferRecipe().run(context(config("category", "6", "hipsterwars"))));
        assertEquals("HipsterWars: expected " + HipsterWars.MAT_FILE + " and images/<id>.jpg (or the images inside the"
                + " .mat file) in " + root.resolve("HipsterWars") + " (no such folder); set --data to the folder holding"
                + " HipsterWars/, or the config key hipsterwars_dir", missing.getMessage());

        PlainRunContext noData = context(config("category", "6", "acws"));
        noData.dataDir = null;
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new MmdTransferRecipe().run(noData));
        assertTrue(none.getMessage().startsWith("protocol deepfashion needs --data DIR, the folder holding DeepFashion/"),
                none.getMessage());

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> new MmdTransferRecipe().run(context(config("category", "6", "C"))));
        assertEquals("protocol deepfashion has the targets acws (or A), hipsterwars (or B) and idesigner, got 'C'",
                unknown.getMessage());
    }
}
