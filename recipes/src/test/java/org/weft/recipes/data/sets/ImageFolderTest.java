package org.weft.recipes.data.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.recipes.data.Sample;

/** ImageFolder on tiny trees, against the classes and order torchvision 0.14's ImageFolder gives for them. */
class ImageFolderTest {

    @TempDir
    Path root;

    @Test
    void classesSortedImagesByFolderThenNameExtensionsInAnyCase() throws IOException {
        TinyImages.write(root.resolve("dog/x.png"), 50);
        TinyImages.write(root.resolve("cat/b.PNG"), 10);
        TinyImages.write(root.resolve("cat/a.jpg"), 20);
        TinyImages.write(root.resolve("cat/.hidden.jpg"), 30);
        TinyImages.write(root.resolve("cat/sub/c.jpeg"), 40);
        Files.writeString(root.resolve("cat/notes.txt"), "not an image");
        Files.writeString(root.resolve("readme.txt"), "not a class");

        ImageFolder data = ImageFolder.load(root);
        assertEquals(List.of("cat", "dog"), data.classes());
        assertFalse(data.isMultiLabel());
        // torchvision: sorted(os.walk(cat)) visits cat/ then cat/sub/, each folder's files sorted by name.
        String[] expected = {"cat/.hidden.jpg", "cat/a.jpg", "cat/b.PNG", "cat/sub/c.jpeg", "dog/x.png"};
        int[] levels = {30, 20, 10, 40, 50};
        int[] labels = {0, 0, 0, 0, 1};
        assertEquals(expected.length, data.size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(root.resolve(expected[i]), data.file(i));
            assertEquals(labels[i], data.label(i));
            Sample sample = data.get(i);
            assertEquals(labels[i], sample.label());
            assertEquals(levels[i], TinyImages.level(sample.image()));
        }
    }

    @Test
    void getFromManyThreadsAtOnceGivesEachExampleItsOwnImage() throws Exception {
        for (int i = 0; i < 24; i++) {
            TinyImages.write(root.resolve("c" + i % 3 + "/" + i + ".png"), 10 * i);
        }
        ImageFolder data = ImageFolder.load(root);
        var pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < data.size(); i++) {
                    int index = i;
                    results.add(pool.submit(() -> new int[] {index, TinyImages.level(data.get(index).image())}));
                }
            }
            for (var result : results) {
                int[] got = result.get();
                String name = data.file(got[0]).getFileName().toString();
                assertEquals(10 * Integer.parseInt(name.substring(0, name.length() - 4)), got[1]);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void hiddenFoldersAreClassesAndAnEmptyClassIsAnError() throws IOException {
        TinyImages.write(root.resolve("cat/a.jpg"), 20);
        TinyImages.write(root.resolve(".ipynb_checkpoints/a-checkpoint.png"), 20);
        assertEquals(List.of(".ipynb_checkpoints", "cat"), ImageFolder.load(root).classes());

        Files.createDirectories(root.resolve("empty"));
        Files.writeString(root.resolve("empty/notes.txt"), "no image");
        IOException e = assertThrows(IOException.class, () -> ImageFolder.load(root));
        assertEquals(root + ": found no valid file for the classes empty. Supported extensions are: "
                + ".jpg, .jpeg, .png, .ppm, .bmp, .pgm, .tif, .tiff, .webp", e.getMessage());

        Files.delete(root.resolve("empty/notes.txt"));
        Files.delete(root.resolve("empty"));
        Files.createDirectories(root.resolve(".cache"));
        IOException hidden = assertThrows(IOException.class, () -> ImageFolder.load(root));
        assertTrue(hidden.getMessage().contains("classes .cache."), hidden.getMessage());
        assertTrue(hidden.getMessage().contains("hidden folders count as classes"), hidden.getMessage());
    }

    @Test
    void aRootWithoutClassFoldersIsAnError() throws IOException {
        TinyImages.write(root.resolve("a.jpg"), 20);
        IOException flat = assertThrows(IOException.class, () -> ImageFolder.load(root));
        assertEquals(root + ": no class folder found: expected root/<class>/<image>, found 1 file and no folder",
                flat.getMessage());
        IOException missing = assertThrows(IOException.class, () -> ImageFolder.load(root.resolve("nope")));
        assertEquals(root.resolve("nope") + ": image folder not found", missing.getMessage());
        IOException file = assertThrows(IOException.class, () -> ImageFolder.load(root.resolve("a.jpg")));
        assertTrue(file.getMessage().contains("must be a directory"), file.getMessage());
    }

    @Test
    void aFileThatIsNotAnImageFailsWhenRead() throws IOException {
        Files.createDirectories(root.resolve("cat"));
        Files.writeString(root.resolve("cat/fake.jpg"), "<html>");
        ImageFolder data = ImageFolder.load(root);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> data.get(0));
        assertTrue(e.getMessage().startsWith(root.resolve("cat/fake.jpg") + ": not an image"), e.getMessage());
    }
}
