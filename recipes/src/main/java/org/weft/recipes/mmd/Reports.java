package org.weft.recipes.mmd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.weft.recipes.report.Table;
import org.weft.recipes.train.RecipeConfig;

/** The recipe's two tables, shaped as the paper's Tables 2 and 3: one row per target, one column per setting. */
final class Reports {

    private Reports() {
    }

    /** Target accuracy (%) of each setting on each target. */
    static Table targetTable(Map<String, Map<Setting, Map<String, Double>>> results, List<Setting> settings,
                             RecipeConfig config) {
        List<String> columns = new ArrayList<>();
        columns.add("target");
        for (Setting s : settings) {
            columns.add("(" + s.number + ") " + s.label);
        }
        List<List<String>> rows = new ArrayList<>();
        results.forEach((target, bySetting) -> {
            List<String> row = new ArrayList<>();
            row.add(target);
            for (Setting s : settings) {
                row.add(MmdTransferRecipe.percent(metric(bySetting.get(s), "target")));
            }
            rows.add(row);
        });
        return new Table("Target accuracy (%) by setting, " + protocolName(config), columns, rows,
                commonNote(config) + " Accuracy on each target's test images; a multi-label target shows top-3 recall.");
    }

    /** Source accuracy (%) after each setting's training, and of the pretrained source network. */
    static Table sourceTable(Map<String, Map<Setting, Map<String, Double>>> results, List<Setting> settings,
                             Map<String, Double> pretrained, RecipeConfig config) {
        List<String> columns = new ArrayList<>();
        columns.add("target");
        columns.add("source only (pretrained)");
        for (Setting s : settings) {
            columns.add("(" + s.number + ") " + s.label);
        }
        List<List<String>> rows = new ArrayList<>();
        results.forEach((target, bySetting) -> {
            List<String> row = new ArrayList<>();
            row.add(target);
            row.add(MmdTransferRecipe.percent(metric(pretrained, "source")));
            for (Setting s : settings) {
                row.add(s.twoDomain ? MmdTransferRecipe.percent(metric(bySetting.get(s), "source")) : "—");
            }
            rows.add(row);
        });
        return new Table("Source accuracy (%) after transfer, " + protocolName(config), columns, rows,
                commonNote(config) + " Accuracy of the source head on the source test images (top-3 recall for a"
                        + " multi-label source). Settings 1 and 2 show"
                        + " \"—\": they train the target network alone, which has no source head (the source network"
                        + " they start from is the pretrained one of the second column).");
    }

    /** {@code accuracy_<domain>}, or for a multi-label task {@code top3_recall_<domain>}; null when absent. */
    static Double metric(Map<String, Double> metrics, String domain) {
        if (metrics == null) {
            return null;
        }
        Double accuracy = metrics.get("accuracy_" + domain);
        return accuracy != null ? accuracy : metrics.get("top3_recall_" + domain);
    }

    private static String protocolName(RecipeConfig config) {
        return config.string("protocol").equals("fashion-mnist-proxy") ? "Fashion-MNIST proxy" : config.string("protocol");
    }

    private static String commonNote(RecipeConfig config) {
        String note = config.string("protocol").equals("fashion-mnist-proxy")
                ? "Proxy numbers on Fashion-MNIST (see notes.md), not the paper's DeepFashion/ACWS/HipsterWars numbers."
                : "Protocol " + config.string("protocol") + ".";
        if (config.string("imagenet_weights").isEmpty()) {
            note += " No ImageNet weights were given: setting (1) and the source pretraining start from torchvision's"
                    + " random initialisation.";
        }
        return note;
    }
}
