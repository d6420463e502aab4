package org.weft.recipes.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.recipes.metrics.ConfusionMatrix;
import org.weft.recipes.report.RunReport;
import org.weft.recipes.report.Table;
import org.weft.tensor.Device;

/** The run folder's layout and files, as the report package and {@code weft eval} read them. */
class RunFolderTest {

    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDateTime NOON = LocalDateTime.of(2026, 11, 23, 12, 5, 9);

    @Test
    void foldersAreNamedAfterRecipeAndTimeAndNeverShared() throws IOException {
        Path runs = dir.resolve("runs");
        assertEquals(runs.resolve("tiny-20261123-120509"), RunFolder.create(runs, "tiny", NOON).dir());
        assertEquals(runs.resolve("tiny-20261123-120509-2"), RunFolder.create(runs, "tiny", NOON).dir());
        assertEquals(runs.resolve("tiny-20261123-120509-3"), RunFolder.create(runs, "tiny", NOON).dir());
    }

    @Test
    void aFolderWithoutConfigIsNotARunFolder() throws IOException {
        IOException e = assertThrows(IOException.class, () -> RunFolder.open(dir));
        assertEquals(dir + " is not a run folder: it has no config.json (weft train creates one in"
                + " runs/<recipe>-<time>/)", e.getMessage());
        e = assertThrows(IOException.class, () -> RunFolder.open(dir.resolve("absent")));
        assertEquals("no such run folder: " + dir.resolve("absent"), e.getMessage());
    }

    @Test
    void configRecordsTheResolvedConfigurationAndTheMachine() throws IOException {
        TinyRecipe recipe = new TinyRecipe();
        RunFolder folder = RunFolder.create(dir, "tiny", NOON);
        Configs config = Configs.defaults(recipe, true).withSetting("seed=5");
        folder.writeConfig("tiny", config, true, "cpu", dir);

        JsonNode json = JSON.readTree(folder.configFile().toFile());
        assertEquals(List.of("recipe", "config", "seed", "device", "quick", "data", "machine", "started"),
                iterate(json.fieldNames()));
        assertEquals("tiny", json.get("recipe").asText());
        assertEquals(5, json.get("seed").asLong());
        assertEquals(1, json.get("config").get("epochs").asInt());
        assertTrue(json.get("quick").asBoolean());
        assertEquals(List.of("cores", "threads", "java", "os", "cpu"), iterate(json.get("machine").fieldNames()));
        assertEquals(Runtime.getRuntime().availableProcessors(), json.get("machine").get("cores").asInt());

        RunFolder reopened = RunFolder.open(folder.dir());
        assertEquals(dir.toAbsolutePath(), reopened.readConfig().data());
        assertEquals(config.values(), Configs.recorded(recipe, reopened).values());
    }

    @Test
    void aConfigOfAnotherVersionOfTheRecipeIsRefusedByKey() throws IOException {
        RunFolder folder = RunFolder.create(dir, "tiny", NOON);
        Files.writeString(folder.configFile(), "{\"recipe\": \"tiny\", \"config\": {\"epochs\": 2, \"width\": 3}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Configs.recorded(new TinyRecipe(), RunFolder.open(folder.dir())));
        assertTrue(e.getMessage().startsWith(folder.configFile() + ": unknown key 'width'; known keys: epochs,"),
                e.getMessage());
    }

    private static List<String> iterate(java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    @Test
    void tablesConfusionsAndNotesAreWrittenInTheLayoutOfTheReport() throws IOException {
        RunFolder folder = RunFolder.create(dir, "tiny", NOON);
        folder.writeTable("ablation", new Table("Ablation", List.of("setting", "accuracy"),
                List.of(List.of("1", "0.81"), List.of("2", "-")), "a dash: not run"));
        ConfusionMatrix m = new ConfusionMatrix(List.of("cat", "dog"));
        m.add(0, 0);
        m.add(0, 1);
        m.add(1, 1);
        folder.writeConfusion("test", m);
        folder.writeNotes("# Protocol\n");

        JsonNode table = JSON.readTree(folder.dir().resolve("tables/ablation.json").toFile());
        assertEquals("{\"title\":\"Ablation\",\"columns\":[\"setting\",\"accuracy\"],\"rows\":[[\"1\",\"0.81\"],"
                + "[\"2\",\"-\"]],\"note\":\"a dash: not run\"}", table.toString());
        JsonNode confusion = JSON.readTree(folder.dir().resolve("confusion/test.json").toFile());
        assertEquals("{\"title\":\"test\",\"classes\":[\"cat\",\"dog\"],\"matrix\":[[1,1],[0,1]]}",
                confusion.toString());
        assertEquals("# Protocol\n", Files.readString(folder.dir().resolve("notes.md")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> folder.writeTable("../x", new Table("t", List.of(), List.of(), null)));
        assertTrue(e.getMessage().endsWith("got '../x'"), e.getMessage());
    }

    @Test
    void aTrainedRunFolderMakesAReport() throws IOException {
        TinyRecipe recipe = new TinyRecipe();
        RunFolder folder = RunFolder.create(dir, "tiny", NOON);
        Configs config = Configs.defaults(recipe, false);
        folder.writeConfig("tiny", config, false, "cpu", null);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        recipe.run(new Run(folder, config, false, Device.CPU, null, quiet, new ProgressBar(quiet, false,
                System::nanoTime), new StopSignal()));

        Path report = RunReport.write(folder.dir());
        String md = Files.readString(report);
        assertTrue(md.startsWith("# tiny"), md);
        assertTrue(md.contains("lin"), "the training's final metrics: " + md);
        assertTrue(md.contains("Tiny"), "the recipe's table: " + md);
    }
}
