package org.weft.recipes.mmd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.weft.recipes.data.Dataset;
import org.weft.recipes.data.Transform;
import org.weft.recipes.data.sets.Acws;
import org.weft.recipes.data.sets.DeepFashion;
import org.weft.recipes.data.sets.HipsterWars;
import org.weft.recipes.data.sets.ImageFolder;
import org.weft.recipes.data.transforms.CenterCrop;
import org.weft.recipes.data.transforms.HorizontalFlip;
import org.weft.recipes.data.transforms.RandomResizedCrop;
import org.weft.recipes.data.transforms.Resize;
import org.weft.recipes.data.transforms.Transforms;
import org.weft.recipes.train.RecipeConfig;

/**
 * Paper 000's own protocol on the real datasets, as their publishers ship them: the source task is DeepFashion's
 * category task (or, with {@code source_task=attributes}, its 1000 multi-label attributes), trained on its
 * {@code train} partition and evaluated on {@code source_eval_split} ({@code test} or {@code val}); the targets are
 * ACWS (its own {@code train.txt} / {@code test.txt}), HipsterWars (the top half of each style, split into train and
 * test by a seeded stratified draw, since it publishes no split: {@code hipsterwars_test_fraction} of each style is
 * held out, 0.1 by default, the 9:1 split of the dataset paper's classification experiments, which average 100 such
 * random splits where this recipe runs one) and IDesigner (an {@link ImageFolder} with {@code train/} and
 * {@code test/} sub-folders, since it publishes no layout). Images of every set become inputs of
 * {@code image_size} as torchvision's ImageNet recipe makes them ({@link #trainInput}, {@link #evalInput}).
 *
 * <p>{@code --data DIR} is the folder holding {@code DeepFashion/}, {@code ACWS/}, {@code HipsterWars/} and
 * {@code IDesigner/}; the config keys {@code deepfashion_dir}, {@code acws_dir}, {@code hipsterwars_dir} and
 * {@code idesigner_dir}, when not empty, name any of them elsewhere. Only the folders of the chosen targets are
 * read.
 */
final class DeepFashionProtocol {

    static final String NAME = "deepfashion";

    /** The targets of this protocol, by the name they carry in run names and tables. */
    static final List<String> TARGETS = List.of("ACWS", "HipsterWars", "IDesigner");

    private DeepFashionProtocol() {
    }

    /**
     * The target {@code given} names, as it appears in run names: ACWS ({@code A} or {@code acws}), HipsterWars
     * ({@code B} or {@code hipsterwars}, B as in the proxy, whose target B stands in for it) or IDesigner
     * ({@code idesigner}), in any case.
     */
    static String target(String given) {
        String name = given.trim().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "a", "acws" -> "ACWS";
            case "b", "hipsterwars" -> "HipsterWars";
            case "idesigner" -> "IDesigner";
            default -> throw new IllegalArgumentException("protocol deepfashion has the targets acws (or A), hipsterwars"
                    + " (or B) and idesigner, got '" + given + "'");
        };
    }

    /** The datasets named by the config under {@code dataDir}, with the transforms of {@code image_size}. */
    static TransferData load(RecipeConfig c, Path dataDir, List<String> targets) throws IOException {
        int size = c.integer("image_size");
        if (size < 1) {
            throw new IllegalArgumentException("image_size must be at least 1, got " + size);
        }
        DeepFashion.Task task = sourceTask(c.string("source_task"));
        DeepFashion.Split evalSplit = evalSplit(c.string("source_eval_split"));
        Path deepFashion = folder(c, dataDir, "deepfashion_dir", "DeepFashion",
                "Anno/, Eval/ and img/ of the Category and Attribute Prediction Benchmark", "Eval/list_eval_partition.txt");
        boolean crop = c.flag("deepfashion_crop_to_box");
        Dataset sourceTrain = DeepFashion.load(deepFashion, task, DeepFashion.Split.TRAIN, crop);
        Dataset sourceTest = DeepFashion.load(deepFashion, task, evalSplit, crop);

        Map<String, Dataset> train = new LinkedHashMap<>();
        Map<String, Dataset> test = new LinkedHashMap<>();
        StringBuilder notes = new StringBuilder();
        notes.append(String.format(Locale.ROOT, "- **Source**: DeepFashion (%s) %s, %d %s on %d training images; "
                + "evaluated on the %d images of its %s partition%s.%n", deepFashion,
                task == DeepFashion.Task.CATEGORY ? "categories" : "attributes (multi-label, top-3/top-5 recall and accuracy)",
                sourceTrain.classes().size(), task == DeepFashion.Task.CATEGORY ? "classes" : "labels", sourceTrain.size(),
                sourceTest.size(), evalSplit.name().toLowerCase(Locale.ROOT),
                crop ? ", each image cropped to its box in Anno/list_bbox.txt" : ""));
        for (String given : targets) {
            String name = target(given);
            switch (name) {
                case "ACWS" -> {
                    Path dir = folder(c, dataDir, "acws_dir", "ACWS", "images/, train.txt, test.txt and labels.json",
                            "labels.json");
                    train.put(name, Acws.load(dir, Acws.Split.TRAIN));
                    test.put(name, Acws.load(dir, Acws.Split.TEST));
                    notes.append(String.format(Locale.ROOT, "- **ACWS** (%s): its published split, %d training and %d "
                            + "test images, %d classes.%n", dir, train.get(name).size(), test.get(name).size(),
                            train.get(name).classes().size()));
                }
                case "HipsterWars" -> {
                    Path dir = folder(c, dataDir, "hipsterwars_dir", "HipsterWars", HipsterWars.MAT_FILE
                            + " and images/<id>.jpg (or the images inside the .mat file)", HipsterWars.MAT_FILE);
                    HipsterWars top = HipsterWars.load(dir, HipsterWars.TOP_HALF);
                    double fraction = c.number("hipsterwars_test_fraction");
                    StratifiedSplit split = StratifiedSplit.of(top, top::label, fraction,
                            DomainShift.mix(c.longValue("seed"), "hipsterwars".hashCode()));
                    train.put(name, split.train());
                    test.put(name, split.test());
                    notes.append(String.format(Locale.ROOT, "- **HipsterWars** (%s): the top half of each style (the "
                            + "usual protocol, %d photos), split per style at random (seeded by the run's seed) into "
                            + "%d training and %d test photos, a test fraction of %s (config hipsterwars_test_fraction; "
                            + "the dataset publishes no split, and Kiapour et al. averaged over random 9:1 splits).%n",
                            dir, top.size(), split.train().size(), split.test().size(), num(fraction)));
                }
                default -> {
                    Path dir = folder(c, dataDir, "idesigner_dir", "IDesigner",
                            "train/<class>/<image> and test/<class>/<image>", "train");
                    ImageFolder trainSet = ImageFolder.load(dir.resolve("train"));
                    ImageFolder testSet = ImageFolder.load(dir.resolve("test"));
                    if (!trainSet.classes().equals(testSet.classes())) {
                        throw new IOException(dir + ": train/ has the classes " + trainSet.classes() + " but test/ has "
                                + testSet.classes() + "; both must have the same class folders");
                    }
                    train.put(name, trainSet);
                    test.put(name, testSet);
                    notes.append(String.format(Locale.ROOT, "- **IDesigner** (%s, which has no published layout: "
                            + "read as train/<class>/ and test/<class>/ image folders): %d training and %d test images, "
                            + "%d classes.%n", dir, trainSet.size(), testSet.size(), trainSet.classes().size()));
                }
            }
        }
        int resize = size * 256 / 224;
        notes.append(String.format(Locale.ROOT, "- Inputs: training images take a random resized crop to %d×%d (area "
                + "8–100 %%, aspect 3/4–4/3) and a horizontal flip with probability 0.5; test images are resized to a "
                + "shorter side of %d and centre-cropped to %d×%d; both are standardised with the ImageNet mean and "
                + "standard deviation (config image_size).%n", size, size, resize, size, size));
        return new TransferData(NAME, sourceTrain, sourceTest, train, test, trainInput(size), evalInput(size),
                notes.toString());
    }

    /** torchvision's ImageNet training input: random resized crop, horizontal flip, standardisation. */
    static Transform trainInput(int size) {
        return Transforms.compose(new RandomResizedCrop(size), new HorizontalFlip(0.5), new ImageNetInput());
    }

    /** torchvision's ImageNet evaluation input: resize to size·256/224, centre crop, standardisation. */
    static Transform evalInput(int size) {
        return Transforms.compose(new Resize(size * 256 / 224), new CenterCrop(size), new ImageNetInput());
    }

    /**
     * The folder of one dataset: config {@code key} when not empty, else {@code <dataDir>/<name>}; a missing one is
     * an error naming the place and what it should hold.
     */
    private static Path folder(RecipeConfig c, Path dataDir, String key, String name, String contents, String probe) {
        String configured = c.string(key);
        Path dir;
        if (!configured.isEmpty()) {
            dir = Path.of(configured);
        } else if (dataDir == null) {
            throw new IllegalArgumentException("protocol deepfashion needs --data DIR, the folder holding " + name
                    + "/ (" + contents + "), or the config key " + key);
        } else {
            dir = dataDir.resolve(name);
        }
        if (!Files.isDirectory(dir) || !Files.exists(dir.resolve(probe))) {
            throw new IllegalArgumentException(name + ": expected " + contents + " in " + dir
                    + (Files.isDirectory(dir) ? " (no " + probe + " there)" : " (no such folder)") + "; set --data to the"
                    + " folder holding " + name + "/, or the config key " + key);
        }
        return dir;
    }

    private static DeepFashion.Task sourceTask(String name) {
        return switch (name) {
            case "category" -> DeepFashion.Task.CATEGORY;
            case "attributes" -> DeepFashion.Task.ATTRIBUTES;
            default -> throw new IllegalArgumentException("source_task must be category or attributes, got '" + name + "'");
        };
    }

    private static DeepFashion.Split evalSplit(String name) {
        return switch (name) {
            case "test" -> DeepFashion.Split.TEST;
            case "val" -> DeepFashion.Split.VAL;
            default -> throw new IllegalArgumentException("source_eval_split must be test or val, got '" + name + "'");
        };
    }

    private static String num(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
