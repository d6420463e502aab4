package org.weft.recipes.data.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.recipes.data.sets.Acws.Split;

/** ACWS on a tiny copy of its layout, with a labels.json written the lenient way. */
class AcwsTest {

    @TempDir
    Path root;

    @BeforeEach
    void fixture() throws IOException {
        TinyImages.write(root.resolve("images/n03057021/1001.jpg"), 10);
        TinyImages.write(root.resolve("images/n03057021/1002.jpg"), 20);
        TinyImages.write(root.resolve("images/n04350905/77.jpg"), 30);
        TinyImages.write(root.resolve("images/12/5.jpg"), 40);
        Files.writeString(root.resolve("train.txt"), "n03057021/1001\nn04350905/77\n12/5\n\n");
        Files.writeString(root.resolve("test.txt"), "n03057021/1002\n");
    }

    private void labels(String json) throws IOException {
        Files.writeString(root.resolve("labels.json"), json);
    }

    @Test
    void lenientLabelsAndSortedClassNames() throws IOException {
        labels("""
                // ACWS class names by folder key
                {
                  n03057021: 'coat',
                  "n04350905": 'suit, suit of clothes',   # a YAML comment
                  /* numeric keys and a trailing comma */
                  12: "cloak",
                  'n99999999': 'coat',
                }
                """);
        Acws train = Acws.load(root, Split.TRAIN);
        assertEquals(List.of("cloak", "coat", "suit, suit of clothes"), train.classes());
        assertEquals(3, train.size());
        assertEquals(root.resolve("images/n03057021/1001.jpg"), train.file(0));
        assertEquals(1, train.get(0).label());
        assertEquals(10, TinyImages.level(train.get(0).image()));
        assertEquals(2, train.get(1).label());
        assertEquals(0, train.get(2).label());
        assertEquals(40, TinyImages.level(train.get(2).image()));

        Acws test = Acws.load(root, Split.TEST);
        assertEquals(1, test.size());
        assertEquals(20, TinyImages.level(test.get(0).image()));
    }

    @Test
    void pairsWithoutBracesAreRead() throws IOException {
        labels("n03057021: 'coat',\nn04350905: 'suit, suit of clothes',\n12: 'cloak'\n");
        assertEquals(List.of("cloak", "coat", "suit, suit of clothes"), Acws.load(root, Split.TRAIN).classes());
    }

    @Test
    void errorsNameTheFileAndLine() throws IOException {
        labels("{\n  n03057021: 'coat',\n  n04350905 'suit'\n}\n");
        IOException syntax = assertThrows(IOException.class, () -> Acws.load(root, Split.TRAIN));
        assertTrue(syntax.getMessage().startsWith(root.resolve("labels.json") + ":3: expected an object of folder key: "
                + "'class name' pairs: "), syntax.getMessage());

        labels("n03057021: 'coat',\nn04350905: 3\n");
        IOException number = assertThrows(IOException.class, () -> Acws.load(root, Split.TRAIN));
        assertEquals(root.resolve("labels.json") + ": the value of key 'n04350905' should be a class name, got 3",
                number.getMessage());

        labels("{n03057021: 'coat', n03057021: 'robe'}");
        IOException twice = assertThrows(IOException.class, () -> Acws.load(root, Split.TRAIN));
        assertTrue(twice.getMessage().contains("Duplicate field 'n03057021'"), twice.getMessage());

        labels("{n03057021: 'coat', n04350905: 'suit'}");
        IOException unknown = assertThrows(IOException.class, () -> Acws.load(root, Split.TRAIN));
        assertEquals(root.resolve("train.txt") + ":3: folder key '12' is not in " + root.resolve("labels.json")
                + " (which has 2 keys)", unknown.getMessage());

        Files.writeString(root.resolve("test.txt"), "n03057021/1002\nn03057021\n");
        IOException shape = assertThrows(IOException.class, () -> Acws.load(root, Split.TEST));
        assertEquals(root.resolve("test.txt") + ":2: expected <folderKey>/<id>, got 'n03057021'", shape.getMessage());

        labels("[]");
        IOException array = assertThrows(IOException.class, () -> Acws.load(root, Split.TEST));
        assertEquals(root.resolve("labels.json") + ": expected an object of folder key: 'class name' pairs, got array",
                array.getMessage());
    }
}
