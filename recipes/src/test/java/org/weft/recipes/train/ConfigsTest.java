package org.weft.recipes.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a configuration is resolved (defaults, then a file, then flags) and what each mistake says. */
class ConfigsTest {

    @TempDir
    Path dir;

    /** A recipe that only declares keys, one of each type. */
    static final class Keys implements Recipe {
        @Override
        public String name() {
            return "keys";
        }

        @Override
        public String description() {
            return "keys of every type";
        }

        @Override
        public LinkedHashMap<String, Object> defaults(boolean quick) {
            LinkedHashMap<String, Object> d = new LinkedHashMap<>();
            d.put("epochs", quick ? 1 : 10);
            d.put("lr", 0.1);
            d.put("pretrained", true);
            d.put("backbone", "resnet50");
            d.put("targets", List.of("a", "b"));
            d.put("log_every", 5);
            return d;
        }

        @Override
        public void run(RunContext context) {
        }

        @Override
        public Map<String, Double> evaluate(RunContext context, Path checkpoint) {
            return Map.of();
        }
    }

    private final Keys recipe = new Keys();

    private Path file(String json) throws IOException {
        return Files.writeString(dir.resolve("cfg.json"), json);
    }

    private static void assertMessage(String expected, Exception e) {
        assertEquals(expected, e.getMessage());
    }

    @Test
    void defaultsComeFirstThenTheTrainersKeys() {
        Configs c = Configs.defaults(recipe, false);
        assertEquals(List.of("epochs", "lr", "pretrained", "backbone", "targets", "log_every", "seed", "eval_every",
                "checkpoint_every"), List.copyOf(c.values().keySet()));
        assertEquals(10, c.integer("epochs"));
        assertEquals(1, Configs.defaults(recipe, true).integer("epochs"));
        // The recipe's own log_every wins over the trainer's 10.
        assertEquals(new Trainer.Settings(5, 1, 1), c.trainerSettings());
        assertEquals(0L, c.longValue("seed"));
    }

    @Test
    void aFileOverridesDefaultsAndFlagsOverrideTheFile() throws IOException {
        Configs c = Configs.defaults(recipe, false)
                .withFile(file("{\"epochs\": 3, \"lr\": 1, \"pretrained\": false, \"targets\": [\"x\"], \"seed\": 9}"))
                .with("epochs", "4", "--epochs")
                .withSetting("backbone=vit")
                .withSetting("targets=p, q")
                .withSetting("lr=2.5e-3");
        assertEquals(4, c.integer("epochs"));
        assertEquals(0.0025, c.number("lr"));
        assertEquals(false, c.flag("pretrained"));
        assertEquals("vit", c.string("backbone"));
        assertEquals(List.of("p", "q"), c.strings("targets"));
        assertEquals(9L, c.longValue("seed"));
    }

    @Test
    void anUnknownKeyInAFileNamesTheFileTheKeyAndTheKnownKeys() throws IOException {
        Path f = file("{\"epochs\": 3, \"lrr\": 0.1}");
        assertMessage(f + ": unknown key 'lrr'; known keys: epochs, lr, pretrained, backbone, targets, log_every, seed,"
                + " eval_every, checkpoint_every",
                assertThrows(IllegalArgumentException.class, () -> Configs.defaults(recipe, false).withFile(f)));
    }

    @Test
    void badJsonNamesFileLineAndColumn() throws IOException {
        Path f = file("{\n  \"epochs\": 3,\n  \"lr\": 0.1,\n}\n");
        IOException e = assertThrows(IOException.class, () -> Configs.defaults(recipe, false).withFile(f));
        assertEquals(f + ":4:1: Unexpected character ('}' (code 125)): was expecting double-quote to start field name",
                e.getMessage());
    }

    @Test
    void aDuplicatedKeyIsBadJson() throws IOException {
        Path f = file("{\"epochs\": 3, \"epochs\": 4}");
        IOException e = assertThrows(IOException.class, () -> Configs.defaults(recipe, false).withFile(f));
        assertEquals(f + ":1:23: Duplicate field 'epochs'", e.getMessage());
    }

    @Test
    void aValueOfTheWrongTypeNamesKeyExpectedAndGot() throws IOException {
        Configs d = Configs.defaults(recipe, false);
        Path f1 = file("{\"epochs\": \"ten\"}");
        assertMessage(f1 + ": key 'epochs' expects an integer, got a string \"ten\"",
                assertThrows(IllegalArgumentException.class, () -> d.withFile(f1)));
        Path f2 = file("{\"epochs\": 2.5}");
        assertMessage(f2 + ": key 'epochs' expects an integer, got a number 2.5",
                assertThrows(IllegalArgumentException.class, () -> d.withFile(f2)));
        Path f3 = file("{\"targets\": [\"a\", 1]}");
        assertMessage(f3 + ": key 'targets' expects a list of strings, got an array [\"a\",1]",
                assertThrows(IllegalArgumentException.class, () -> d.withFile(f3)));
        Path f4 = file("{\"pretrained\": null}");
        assertMessage(f4 + ": key 'pretrained' expects true or false, got null",
                assertThrows(IllegalArgumentException.class, () -> d.withFile(f4)));
        Path f5 = file("[1, 2]");
        assertMessage(f5 + ": a config file holds a JSON object of settings such as {\"epochs\": 3}, got an array [1,2]",
                assertThrows(IllegalArgumentException.class, () -> d.withFile(f5)));
    }

    @Test
    void flagsAreParsedAsTheTypeOfTheirDefault() {
        Configs d = Configs.defaults(recipe, false);
        assertMessage("--set epochs=ten: 'epochs' expects an integer, got 'ten'",
                assertThrows(IllegalArgumentException.class, () -> d.withSetting("epochs=ten")));
        assertMessage("--set pretrained=yes: 'pretrained' expects true or false, got 'yes'",
                assertThrows(IllegalArgumentException.class, () -> d.withSetting("pretrained=yes")));
        assertMessage("--set momentum=0.9: unknown key 'momentum'; known keys: epochs, lr, pretrained, backbone,"
                + " targets, log_every, seed, eval_every, checkpoint_every",
                assertThrows(IllegalArgumentException.class, () -> d.withSetting("momentum=0.9")));
        assertMessage("--set expects key=value, got 'epochs'",
                assertThrows(IllegalArgumentException.class, () -> d.withSetting("epochs")));
        assertEquals(List.of(), d.withSetting("targets=").strings("targets"));
        assertEquals(true, d.withSetting("pretrained=TRUE").flag("pretrained"));
    }

    @Test
    void gettersNameTheKeyAndTheType() {
        Configs d = Configs.defaults(recipe, false);
        assertMessage("config key 'lr' is a number (0.1), not an integer",
                assertThrows(IllegalArgumentException.class, () -> d.integer("lr")));
        assertMessage("config has no key 'momentum'; known keys: epochs, lr, pretrained, backbone, targets, log_every,"
                + " seed, eval_every, checkpoint_every",
                assertThrows(IllegalArgumentException.class, () -> d.number("momentum")));
        assertEquals(10.0, d.number("epochs"), "an integer is also a number");
    }

    @Test
    void aCadenceBelowOneIsRefused() {
        Configs c = Configs.defaults(recipe, false).withSetting("eval_every=0");
        assertMessage("log_every, eval_every and checkpoint_every must be at least 1, got 5, 0 and 1",
                assertThrows(IllegalArgumentException.class, c::trainerSettings));
    }
}
