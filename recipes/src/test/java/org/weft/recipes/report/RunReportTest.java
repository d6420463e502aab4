package org.weft.recipes.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RunReport on run folders written by hand in the layout the trainer and recipes write. */
class RunReportTest {

    @TempDir
    Path dir;

    private void write(String relative, String content) throws IOException {
        Path f = dir.resolve(relative);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content, StandardCharsets.UTF_8);
    }

    /** Two trainings: "source" with three losses over 40 steps and 3 evals, "target" with a single eval. */
    private void fullRun() throws IOException {
        write("config.json", """
                {"recipe": "paper000", "config": {"epochs": 3, "lr": 0.001, "lambda_w": 1.0E-4, "mmd": "multi"},
                 "seed": 0, "device": "cpu", "quick": true,
                 "machine": {"cores": 2, "threads": 2, "java": "17.0.9", "os": "Linux 6.1", "cpu": "AMD EPYC"},
                 "started": "2026-11-23T16:00:00Z"}
                """);
        StringBuilder m = new StringBuilder();
        for (int step = 10; step <= 40; step += 10) {
            int epoch = (step - 1) / 14 + 1;
            m.append(String.format(Locale.ROOT, "{\"time\": \"t\", \"run\": \"source\", \"phase\": \"train\", "
                    + "\"epoch\": %d, \"step\": %d, \"loss\": %f, \"loss_s\": %f, \"loss_mmd\": %f, \"lr\": 0.001}%n",
                    epoch, step, 2.0 / step * 10, 1.5 / step * 10, 0.01 / step));
            if (step % 20 == 0 || step == 10) {
                m.append(String.format(Locale.ROOT, "{\"time\": \"t\", \"run\": \"source\", \"phase\": \"eval\", "
                        + "\"epoch\": %d, \"step\": %d, \"accuracy_source\": %f, \"accuracy_target\": %f}%n",
                        epoch, step, 0.5 + step / 100.0, 0.3 + step / 200.0));
            }
        }
        m.append("{\"time\": \"t\", \"run\": \"target\", \"phase\": \"train\", \"epoch\": 1, \"step\": 10, "
                + "\"loss\": 1.25, \"lr\": 0.001}\n");
        m.append("{\"time\": \"t\", \"run\": \"target\", \"phase\": \"eval\", \"epoch\": 1, \"step\": 10, "
                + "\"accuracy\": 0.6125}\n");
        write("metrics.jsonl", m.toString());
        write("tables/ablation.json", """
                {"title": "Target accuracy (%)", "columns": ["setting", "ACWS proxy", "HW proxy"],
                 "rows": [["(1) ImageNet init", "61.20", "55.00"], ["(6) MMD + Lw", "63.40", "57.10"]],
                 "note": "Proxy protocol | not the paper's numbers"}
                """);
        write("confusion/target.json", """
                {"title": "Target confusion", "classes": ["T-shirt", "Trouser", "Pullover"],
                 "matrix": [[50, 2, 8], [1, 58, 1], [12, 0, 48]]}
                """);
        write("notes.md", "The proxy protocol: source is Fashion-MNIST train, target is disjoint.\n");
    }

    @Test
    void writesEverySectionAndPlot() throws IOException {
        fullRun();
        Path report = RunReport.write(dir);
        assertEquals(dir.resolve("report.md"), report);
        String md = Files.readString(report);

        assertTrue(md.startsWith("# paper000 — run started 2026-11-23T16:00:00Z\n"), md);
        assertTrue(md.contains("`weft report <dir>`"), md);
        assertTrue(md.contains("**Machine:** AMD EPYC, 2 cores, 2 threads, Linux 6.1, Java 17.0.9"), md);
        assertTrue(md.contains("| `lambda_w` | 1.0E-4 |"), md);
        assertTrue(md.contains("| `mmd` | multi |"), md);
        assertTrue(md.contains("The proxy protocol: source is Fashion-MNIST train"), md);

        // The table, its right-aligned numeric columns, its note with the pipe escaped.
        assertTrue(md.contains("**Target accuracy (%)**\n\n| setting | ACWS proxy | HW proxy |\n|---|---:|---:|\n"
                + "| (1) ImageNet init | 61.20 | 55.00 |\n| (6) MMD + Lw | 63.40 | 57.10 |\n"), md);
        assertTrue(md.contains("*Proxy protocol \\| not the paper's numbers*"), md);

        // Final metrics: the last eval line of each training, union of the keys.
        assertTrue(md.contains("| run | epoch | step | accuracy_source | accuracy_target | accuracy |"), md);
        assertTrue(md.contains("| source | 3 | 40 | 0.9000 | 0.5000 | — |"), md);
        assertTrue(md.contains("| target | 1 | 10 | — | — | 0.6125 |"), md);

        for (String png : List.of("source-loss.png", "source-eval.png", "target-loss.png", "target-eval.png")) {
            assertTrue(md.contains("](plots/" + png + ")"), png + " not linked in\n" + md);
            assertPlot(dir.resolve("plots").resolve(png), Plots.WIDTH, Plots.HEIGHT);
        }
        assertTrue(md.contains("![Target confusion](plots/confusion-target.png)"), md);
        BufferedImage heat = ImageIO.read(dir.resolve("plots/confusion-target.png").toFile());
        assertNotNull(heat);
        assertTrue(heat.getWidth() >= 600 && heat.getHeight() >= 600, heat.getWidth() + "x" + heat.getHeight());
        assertNotBlank(heat, "confusion-target.png");
    }

    @Test
    void reportsWhatExistsWhenOptionalFilesAreMissing() throws IOException {
        write("notes.md", "Only notes so far.\n");
        String md = Files.readString(RunReport.write(dir));
        assertTrue(md.contains("Only notes so far."), md);
        assertFalse(md.contains("## Final evaluation"), md);
        assertFalse(Files.exists(dir.resolve("plots")), "no plots without metrics");

        // A training that logged losses but never evaluated: a loss plot and a row of dashes.
        write("metrics.jsonl", "{\"time\": \"t\", \"run\": \"a\", \"phase\": \"train\", \"epoch\": 1, \"step\": 10,"
                + " \"loss\": 2.5}\n");
        md = Files.readString(RunReport.write(dir));
        assertTrue(md.contains("| a | — | — |"), md);
        assertTrue(Files.exists(dir.resolve("plots/a-loss.png")));
        assertFalse(Files.exists(dir.resolve("plots/a-eval.png")));
    }

    @Test
    void malformedMetricsLineNamesFileAndLine() throws IOException {
        write("metrics.jsonl", "{\"time\": \"t\", \"run\": \"a\", \"phase\": \"train\", \"epoch\": 1, \"step\": 10,"
                + " \"loss\": 2.5}\n{\"run\": \"a\", \"phase\": \"train\", \"epoch\": 1, \"step\": 20, \"loss\": }\n"
                + "{\"time\": \"t\", \"run\": \"a\", \"phase\": \"eval\", \"epoch\": 1, \"step\": 20, \"acc\": 1}\n");
        IOException e = assertThrows(IOException.class, () -> RunReport.write(dir));
        assertTrue(e.getMessage().contains("metrics.jsonl line 2"), e.getMessage());

        write("metrics.jsonl", "{\"time\": \"t\", \"run\": \"a\", \"phase\": \"test\", \"epoch\": 1, \"step\": 1}\n");
        e = assertThrows(IOException.class, () -> RunReport.write(dir));
        assertTrue(e.getMessage().contains("metrics.jsonl line 1") && e.getMessage().contains("\"test\""),
                e.getMessage());

        write("metrics.jsonl", "{\"run\": \"a\", \"phase\": \"eval\", \"step\": 1, \"acc\": 0.5}\n");
        e = assertThrows(IOException.class, () -> RunReport.write(dir));
        assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("\"epoch\""), e.getMessage());
    }

    @Test
    void lastLineCutOffByACrashIsSkippedWithAWarning() throws IOException {
        write("metrics.jsonl", "{\"time\": \"t\", \"run\": \"a\", \"phase\": \"eval\", \"epoch\": 1, \"step\": 10,"
                + " \"acc\": 0.5}\n{\"time\": \"t\", \"run\": \"a\", \"pha");
        String md = Files.readString(RunReport.write(dir));
        assertTrue(md.contains("| a | 1 | 10 | 0.5000 |"), md);
        assertTrue(md.contains("## Warnings") && md.contains("metrics.jsonl line 2 is cut off"), md);
    }

    @Test
    void resumedTrainingReplacesTheStepsItRedid() throws IOException {
        // Interrupted after step 30, resumed from a checkpoint at step 20: steps 30.. are logged again.
        StringBuilder m = new StringBuilder();
        for (int[] sv : new int[][] {{10, 5}, {20, 4}, {30, 9}, {30, 3}, {40, 2}}) {
            m.append("{\"time\": \"t\", \"run\": \"a\", \"phase\": \"train\", \"epoch\": 1, \"step\": ")
                    .append(sv[0]).append(", \"loss\": ").append(sv[1]).append("}\n");
        }
        write("metrics.jsonl", m.toString());
        RunSeries a = MetricsFile.read(dir.resolve("metrics.jsonl")).runs().get("a");
        List<Double> losses = new ArrayList<>();
        List<Long> steps = new ArrayList<>();
        for (MetricPoint p : a.train()) {
            steps.add(p.step());
            losses.add(p.values().get("loss"));
        }
        assertEquals(List.of(10L, 20L, 30L, 40L), steps);
        assertEquals(List.of(5.0, 4.0, 3.0, 2.0), losses);
        assertEquals(List.of("loss"), a.lossKeys());
    }

    @Test
    void emptyOrUnknownFolderIsAClearError() throws IOException {
        IOException e = assertThrows(IOException.class, () -> RunReport.write(dir));
        assertTrue(e.getMessage().contains("is not a run folder") && e.getMessage().contains("metrics.jsonl"),
                e.getMessage());
        e = assertThrows(IOException.class, () -> RunReport.write(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void malformedTableOrConfusionNamesTheFile() throws IOException {
        write("tables/t.json", "{\"title\": \"x\", \"columns\": [\"a\", \"b\"], \"rows\": [[\"1\"]]}");
        IOException e = assertThrows(IOException.class, () -> RunReport.write(dir));
        assertTrue(e.getMessage().contains("t.json") && e.getMessage().contains("2 columns"), e.getMessage());
        Files.delete(dir.resolve("tables/t.json"));
        write("confusion/c.json", "{\"classes\": [\"a\", \"b\"], \"matrix\": [[1, 2], [3]]}");
        e = assertThrows(IOException.class, () -> RunReport.write(dir));
        assertTrue(e.getMessage().contains("c.json") && e.getMessage().contains("row 1"), e.getMessage());
    }

    private static void assertPlot(Path png, int width, int height) throws IOException {
        assertTrue(Files.exists(png), png + " missing");
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " does not decode");
        assertEquals(width, image.getWidth(), png.toString());
        assertEquals(height, image.getHeight(), png.toString());
        assertNotBlank(image, png.toString());
    }

    /** Not a single flat colour: the luminance of the pixels varies. */
    private static void assertNotBlank(BufferedImage image, String name) {
        double sum = 0;
        double sumSq = 0;
        long n = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y);
                double l = 0.299 * ((rgb >> 16) & 255) + 0.587 * ((rgb >> 8) & 255) + 0.114 * (rgb & 255);
                sum += l;
                sumSq += l * l;
                n++;
            }
        }
        double variance = sumSq / n - (sum / n) * (sum / n);
        assertTrue(variance > 100, name + " looks blank: luminance variance " + variance);
    }
}
