package org.weft.recipes.data.sets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.recipes.data.Sample;

/** CSV manifests: the single- and multi-label rules, quoting, and errors that name file, line and what was expected. */
class CsvManifestTest {

    @TempDir
    Path dir;

    Path images;
    Path csv;

    @BeforeEach
    void images() throws IOException {
        images = dir.resolve("images");
        TinyImages.write(images.resolve("a.jpg"), 10);
        TinyImages.write(images.resolve("b, with comma.png"), 20);
        TinyImages.write(images.resolve("c.png"), 30);
        csv = dir.resolve("manifest.csv");
    }

    private CsvManifest load(String... lines) throws IOException {
        Files.writeString(csv, String.join("\n", lines) + "\n");
        return CsvManifest.load(csv, images);
    }

    private void assertFails(String expected, String... lines) throws IOException {
        Files.writeString(csv, String.join("\n", lines) + "\n");
        IOException e = assertThrows(IOException.class, () -> CsvManifest.load(csv, images));
        assertEquals(csv + ":" + expected, e.getMessage());
    }

    @Test
    void classNamesAreSortedAndQuotedFieldsKeepTheirCommas() throws IOException {
        CsvManifest data = load("path,label", "a.jpg,dog", "\"b, with comma.png\",\"cat\"", "", "c.png , dog");
        assertFalse(data.isMultiLabel());
        assertEquals(List.of("cat", "dog"), data.classes());
        assertEquals(3, data.size());
        assertEquals(images.resolve("b, with comma.png"), data.file(1));
        Sample b = data.get(1);
        assertEquals(0, b.label());
        assertEquals(20, TinyImages.level(b.image()));
        assertEquals(1, data.get(2).label());
        assertEquals(30, TinyImages.level(data.get(2).image()));
    }

    @Test
    void wholeNumbersAreClassIndicesAndTheHeaderIsOptional() throws IOException {
        CsvManifest data = load("a.jpg,3", "c.png,0");
        assertEquals(List.of("0", "1", "2", "3"), data.classes());
        assertEquals(3, data.get(0).label());
        assertEquals(0, data.get(1).label());
        // One non-number makes every label a name.
        assertEquals(List.of("3", "cat"), load("a.jpg,3", "c.png,cat").classes());
    }

    @Test
    void multiLabelColumnsAreNamedByTheHeader() throws IOException {
        CsvManifest data = load("file,red,\"dark, blue\",green", "a.jpg,1,0,1", "c.png,0,0,0");
        assertTrue(data.isMultiLabel());
        assertEquals(List.of("red", "dark, blue", "green"), data.classes());
        Sample a = data.get(0);
        assertEquals(-1, a.label());
        assertArrayEquals(new float[] {1, 0, 1}, a.labels());
        assertArrayEquals(new float[] {0, 0, 0}, data.get(1).labels());
    }

    @Test
    void malformedRowsNameFileLineAndWhatWasExpected() throws IOException {
        assertFails("3: expected 2 fields (path,label), got 3", "path,label", "a.jpg,dog", "c.png,dog,extra");
        assertFails("2: the quote opened at column 1 is not closed (a field spanning lines is not supported)",
                "path,label", "\"a.jpg,dog");
        assertFails("1: expected a comma after the quoted field ending at column 7, got 'x'", "\"a.jpg\"x,dog");
        assertFails("2: label 'blue' (field 3) should be 0 or 1, got '2'", "path,red,blue", "a.jpg,1,2");
        assertFails("3: expected 3 fields (path and 2 labels), got 2", "path,red,blue", "a.jpg,1,0", "c.png,1");
        assertFails("1: a manifest with 2 label columns needs a header path,<label>,... naming them; got the row a.jpg,1,0",
                "a.jpg,1,0", "c.png,0,1");
        assertFails("1: label names must be distinct, 'red' appears twice", "path,red,red", "a.jpg,1,0");
        assertFails("2: class index -2 is outside 0..2147483638", "a.jpg,1", "c.png,-2");
        assertFails("2: empty image path", "path,label", ",dog");
        assertFails("1: expected path,label[,label...], got one field 'a.jpg'", "a.jpg");
    }

    @Test
    void aMissingImageIsReportedWhenRead() throws IOException {
        CsvManifest data = load("gone.jpg,cat");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> data.get(0));
        assertEquals(images.resolve("gone.jpg") + ": image file not found", e.getMessage());
    }
}
