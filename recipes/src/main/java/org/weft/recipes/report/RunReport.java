package org.weft.recipes.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Writes a run folder's {@code report.md} and {@code plots/*.png} from the files the run recorded (config,
 * metrics, tables, confusion matrices, notes). It only reads those files, so a report can be written again at
 * any time, also for a run that is still going or was stopped: {@code weft report <dir>}.
 */
public final class RunReport {

    private RunReport() {
    }

    /**
     * Writes {@code runDir/report.md} and its plots under {@code runDir/plots/}; returns the path of report.md.
     * Missing optional files only leave their section out; a malformed file fails with an IOException naming
     * it (and the line, for metrics.jsonl); a folder that holds no run file fails too.
     */
    public static Path write(Path runDir) throws IOException {
        RunFolder run = RunFolder.read(runDir);
        Path plots = runDir.resolve("plots");
        String markdown = render(run, plots);
        Path report = runDir.resolve("report.md");
        Path tmp = runDir.resolve("report.md.tmp");
        Files.writeString(tmp, markdown, StandardCharsets.UTF_8);
        Files.move(tmp, report, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return report;
    }

    private static String render(RunFolder run, Path plots) throws IOException {
        JsonNode config = run.config();
        StringBuilder md = new StringBuilder();
        String recipe = config == null ? null : text(config, "recipe");
        String started = config == null ? null : text(config, "started");
        md.append("# ").append(recipe != null ? recipe : run.dir().getFileName().toString());
        if (started != null) {
            md.append(" — run started ").append(started);
        }
        md.append("\n\n");
        md.append("*This file is regenerated from the run folder by `weft report <dir>`; edits are overwritten.*\n\n");

        if (config != null) {
            md.append(setup(config));
        }
        if (run.notes() != null && !run.notes().isBlank()) {
            md.append("## Protocol\n\n").append(run.notes().strip()).append("\n\n");
        }
        if (!run.tables().isEmpty()) {
            md.append("## Tables\n\n");
            for (Table t : run.tables().values()) {
                md.append(MarkdownTable.render(t));
            }
        }
        MetricsFile metrics = run.metrics();
        if (metrics != null && !metrics.runs().isEmpty()) {
            md.append(finalMetrics(metrics));
            md.append(curves(metrics, plots));
        }
        if (metrics != null && !metrics.skipped().isEmpty()) {
            md.append("## Warnings\n\n");
            for (String s : metrics.skipped()) {
                md.append("- ").append(relative(run.dir(), s)).append('\n');
            }
            md.append('\n');
        }
        if (!run.confusions().isEmpty()) {
            md.append("## Confusion matrices\n\n");
            for (RunFolder.Confusion c : run.confusions()) {
                String file = "confusion-" + c.name() + ".png";
                Plots.confusion(c.title(), c.classes(), c.counts(), plots.resolve(file));
                md.append("![").append(alt(c.title())).append("](plots/").append(file).append(")\n\n");
            }
        }
        return md.toString();
    }

    /** The machine and the resolved configuration, compactly: one line of facts and a key/value table. */
    private static String setup(JsonNode config) {
        StringBuilder md = new StringBuilder("## Setup\n\n");
        List<String> facts = new ArrayList<>();
        JsonNode machine = config.get("machine");
        if (machine != null && machine.isObject()) {
            List<String> parts = new ArrayList<>();
            addIf(parts, text(machine, "cpu"), "");
            if (machine.has("cores")) {
                parts.add(machine.get("cores").asText() + " cores");
            }
            if (machine.has("threads")) {
                parts.add(machine.get("threads").asText() + " threads");
            }
            addIf(parts, text(machine, "os"), "");
            addIf(parts, text(machine, "java"), "Java ");
            facts.add("**Machine:** " + String.join(", ", parts));
        }
        addIf(facts, text(config, "device"), "**Device:** ");
        if (config.has("seed")) {
            facts.add("**Seed:** " + config.get("seed").asText());
        }
        if (config.has("quick")) {
            facts.add("**Quick:** " + (config.get("quick").asBoolean() ? "yes (shortened run)" : "no"));
        }
        for (String f : facts) {
            md.append("- ").append(f).append('\n');
        }
        md.append('\n');
        JsonNode values = config.get("config");
        if (values != null && values.isObject() && values.size() > 0) {
            List<List<String>> rows = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> it = values.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                rows.add(List.of("`" + e.getKey() + "`", v.isTextual() ? v.asText() : v.toString()));
            }
            md.append("Resolved configuration:\n\n").append(MarkdownTable.grid(List.of("key", "value"), rows))
                    .append('\n');
        }
        return md.toString();
    }

    /** One row per training: its last evaluation (epoch, step and every metric it reported). */
    private static String finalMetrics(MetricsFile metrics) {
        Set<String> keys = new LinkedHashSet<>();
        for (RunSeries s : metrics.runs().values()) {
            if (s.lastEval() != null) {
                keys.addAll(s.lastEval().values().keySet());
            }
        }
        StringBuilder md = new StringBuilder("## Final evaluation\n\n");
        List<String> columns = new ArrayList<>(List.of("run", "epoch", "step"));
        columns.addAll(keys);
        List<List<String>> rows = new ArrayList<>();
        for (RunSeries s : metrics.runs().values()) {
            MetricPoint last = s.lastEval();
            List<String> row = new ArrayList<>();
            row.add(s.name());
            if (last == null) {
                row.add("—");
                row.add("—");
                for (int i = 0; i < keys.size(); i++) {
                    row.add("—");
                }
            } else {
                row.add(Integer.toString(last.epoch()));
                row.add(Long.toString(last.step()));
                for (String k : keys) {
                    Double v = last.values().get(k);
                    row.add(v == null ? "—" : number(v));
                }
            }
            rows.add(row);
        }
        md.append(MarkdownTable.grid(columns, rows)).append('\n');
        md.append("*The last evaluation line of each training in metrics.jsonl; — where a training has not"
                + " evaluated (yet) or did not report that metric.*\n\n");
        return md.toString();
    }

    private static String curves(MetricsFile metrics, Path plots) throws IOException {
        StringBuilder md = new StringBuilder("## Training curves\n\n");
        for (RunSeries s : metrics.runs().values()) {
            md.append("### ").append(s.name()).append("\n\n");
            String loss = fileName(s.name()) + "-loss.png";
            String eval = fileName(s.name()) + "-eval.png";
            boolean any = false;
            if (Plots.lossCurves(s, plots.resolve(loss))) {
                md.append("![").append(alt(s.name())).append(" training losses](plots/").append(loss).append(")\n\n");
                any = true;
            }
            if (Plots.evalCurves(s, plots.resolve(eval))) {
                md.append("![").append(alt(s.name())).append(" evaluation](plots/").append(eval).append(")\n\n");
                any = true;
            }
            if (!any) {
                md.append("*No losses or evaluations logged yet.*\n\n");
            }
        }
        return md.toString();
    }

    /** A metric value with four decimals, or in scientific notation when that would hide it. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e6)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** A run name as a file name: run names are meant to be path-safe, but a report must not trust that. */
    static String fileName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.startsWith(".") ? "run" + safe : safe;
    }

    private static String alt(String text) {
        return text.replace("[", "(").replace("]", ")").replace('\n', ' ');
    }

    private static String relative(Path dir, String message) {
        return message.replace(dir.toString() + java.io.File.separator, "");
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static void addIf(List<String> list, String value, String prefix) {
        if (value != null && !value.isBlank()) {
            list.add(prefix + value);
        }
    }
}
