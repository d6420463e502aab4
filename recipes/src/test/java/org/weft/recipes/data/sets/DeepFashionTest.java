package org.weft.recipes.data.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.recipes.data.Image;
import org.weft.recipes.data.Sample;
import org.weft.recipes.data.sets.DeepFashion.Split;
import org.weft.recipes.data.sets.DeepFashion.Task;

/** DeepFashion on a tiny copy of its folder: the same file names, count and header lines, and columns aligned with runs of spaces. */
class DeepFashionTest {

    @TempDir
    Path root;

    static final String[] IMAGES = {"img/Sheer_Pleated-Front_Blouse/img_00000001.jpg",
        "img/Sheer_Pleated-Front_Blouse/img_00000002.jpg", "img/Abstract_Chevron_Skirt/img_00000001.jpg",
        "img/Abstract_Chevron_Skirt/img_00000002.jpg"};
    static final String[] STATUS = {"train", "val", "train", "test"};
    static final int[] CATEGORY = {3, 1, 2, 3};
    /** 70 attributes, so that an image's bits span two 64-bit words; names have spaces as in the real list. */
    static final int ATTRIBUTES = 70;

    /** Attribute value (1, -1 or 0) of image i, attribute k. */
    static int attribute(int i, int k) {
        return (i + k) % 3 == 0 ? 1 : (i + k) % 3 == 1 ? -1 : 0;
    }

    private void write(String name, String... lines) throws IOException {
        Files.createDirectories(root.resolve(name).getParent());
        Files.writeString(root.resolve(name), String.join("\n", lines) + "\n");
    }

    private static String pad(String name) {
        return String.format("%-71s", name);
    }

    @BeforeEach
    void fixture() throws IOException {
        write("Anno/list_category_cloth.txt", "3", "category_name  category_type",
                "Anorak                       1", "Button-Down                  1", "Cutoffs                      2");
        List<String> attrCloth = new ArrayList<>(List.of(Integer.toString(ATTRIBUTES), "attribute_name  attribute_type"));
        for (int k = 0; k < ATTRIBUTES; k++) {
            attrCloth.add(String.format("%-29s%d", k == 1 ? "abstract chevron" : "attr " + k, k % 5 + 1));
        }
        write("Anno/list_attr_cloth.txt", attrCloth.toArray(String[]::new));
        List<String> categoryImg = new ArrayList<>(List.of("4", "image_name  category_label"));
        List<String> attrImg = new ArrayList<>(List.of("4", "image_name  attribute_labels"));
        List<String> partition = new ArrayList<>(List.of("4", "image_name  evaluation_status"));
        List<String> bbox = new ArrayList<>(List.of("4", "image_name  x_1  y_1  x_2  y_2"));
        for (int i = 0; i < IMAGES.length; i++) {
            categoryImg.add(pad(IMAGES[i]) + CATEGORY[i]);
            StringBuilder values = new StringBuilder(pad(IMAGES[i]));
            for (int k = 0; k < ATTRIBUTES; k++) {
                values.append(String.format("%2d ", attribute(i, k)));
            }
            attrImg.add(values.toString());
            partition.add(pad(IMAGES[i]) + STATUS[i]);
            bbox.add(pad(IMAGES[i]) + "002 001 006 008");
            pattern(root.resolve(IMAGES[i]), i);
        }
        write("Anno/list_category_img.txt", categoryImg.toArray(String[]::new));
        write("Anno/list_attr_img.txt", attrImg.toArray(String[]::new));
        write("Eval/list_eval_partition.txt", partition.toArray(String[]::new));
        write("Anno/list_bbox.txt", bbox.toArray(String[]::new));
    }

    /** An 8x8 image whose red is 20 x + image, green 20 y, blue 0. */
    private static void pattern(Path file, int image) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage pixels = new BufferedImage(8, 8, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                pixels.setRGB(x, y, (20 * x + image) << 16 | (20 * y) << 8);
            }
        }
        assertTrue(ImageIO.write(pixels, "png", file.toFile()));
    }

    @Test
    void categoryTaskCountsFromZeroAndKeepsTheSplitInFileOrder() throws IOException {
        DeepFashion train = DeepFashion.load(root, Task.CATEGORY, Split.TRAIN, false);
        assertFalse(train.isMultiLabel());
        assertEquals(List.of("Anorak", "Button-Down", "Cutoffs"), train.classes());
        assertEquals(List.of(1, 1, 2), train.classTypes());
        assertEquals(2, train.size());
        assertEquals(root.resolve(IMAGES[0]), train.file(0));
        assertEquals(root.resolve(IMAGES[2]), train.file(1));
        assertEquals(2, train.get(0).label());
        assertEquals(1, train.get(1).label());
        assertEquals(8, train.get(1).image().width());
        assertEquals(2 / 255f, train.get(1).image().get(0, 0, 0), 1e-7);

        DeepFashion test = DeepFashion.load(root, Task.CATEGORY, Split.TEST, false);
        assertEquals(1, test.size());
        assertEquals(2, test.get(0).label());
        assertEquals(1, DeepFashion.load(root, Task.CATEGORY, Split.VAL, false).size());
    }

    @Test
    void attributeTaskMapsPresentToOneAndAbsentAndUnknownToZero() throws IOException {
        DeepFashion train = DeepFashion.load(root, Task.ATTRIBUTES, Split.TRAIN, false);
        assertTrue(train.isMultiLabel());
        assertEquals(ATTRIBUTES, train.classes().size());
        assertEquals("abstract chevron", train.classes().get(1));
        assertEquals("attr 69", train.classes().get(69));
        assertEquals(5, train.classTypes().get(69));
        int[] images = {0, 2};
        for (int index = 0; index < 2; index++) {
            Sample sample = train.get(index);
            assertEquals(-1, sample.label());
            for (int k = 0; k < ATTRIBUTES; k++) {
                int value = attribute(images[index], k);
                assertEquals(value == 1 ? 1f : 0f, sample.labels()[k], "image " + images[index] + " attribute " + k);
                assertEquals(value != 0, train.isKnown(index, k), "image " + images[index] + " attribute " + k);
            }
        }
        IllegalStateException wrongTask = assertThrows(IllegalStateException.class,
                () -> DeepFashion.load(root, Task.CATEGORY, Split.TRAIN, false).isKnown(0, 0));
        assertTrue(wrongTask.getMessage().contains("category task"));
    }

    @Test
    void boxesCropTheImageWithoutTheirRightAndBottomEdges() throws IOException {
        DeepFashion train = DeepFashion.load(root, Task.CATEGORY, Split.TRAIN, true);
        Image crop = train.get(1).image();
        // box 2 1 6 8: columns 2..5, rows 1..7 of image 2
        assertEquals(4, crop.width());
        assertEquals(7, crop.height());
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals((20 * (x + 2) + 2) / 255f, crop.get(0, y, x), 1e-7);
                assertEquals(20 * (y + 1) / 255f, crop.get(1, y, x), 1e-7);
            }
        }
    }

    @Test
    void aBoxOutsideItsImageIsReportedWhenRead() throws IOException {
        write("Anno/list_bbox.txt", "4", "image_name  x_1  y_1  x_2  y_2", pad(IMAGES[0]) + "010 001 012 008",
                pad(IMAGES[1]) + "0 0 8 8", pad(IMAGES[2]) + "0 0 8 8", pad(IMAGES[3]) + "0 0 8 8");
        DeepFashion train = DeepFashion.load(root, Task.CATEGORY, Split.TRAIN, true);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> train.get(0));
        assertEquals(root.resolve(IMAGES[0]) + ": its box (10, 1, 12, 8) in Anno/list_bbox.txt lies outside the 8x8 image",
                e.getMessage());
    }

    private void assertFails(Task task, String file, String expected) {
        IOException e = assertThrows(IOException.class, () -> DeepFashion.load(root, task, Split.TRAIN, true));
        assertEquals(root.resolve(file) + ":" + expected, e.getMessage());
    }

    @Test
    void aCountLineThatDisagreesWithTheRowsIsAnError() throws IOException {
        write("Anno/list_category_img.txt", "5", "image_name  category_label", pad(IMAGES[0]) + "3", pad(IMAGES[1]) + "1",
                pad(IMAGES[2]) + "2", pad(IMAGES[3]) + "3", "");
        assertFails(Task.CATEGORY, "Anno/list_category_img.txt", "8: the file ends after 4 entries but line 1 announces 5");
        write("Anno/list_category_cloth.txt", "2", "category_name  category_type", "Anorak    1", "Button-Down    1",
                "Cutoffs    2");
        assertFails(Task.CATEGORY, "Anno/list_category_cloth.txt", "5: entry 3 but line 1 announces 2 entries");
        write("Anno/list_attr_cloth.txt", "many", "attribute_name  attribute_type");
        assertFails(Task.ATTRIBUTES, "Anno/list_attr_cloth.txt", "1: expected the number of entries, got 'many'");
    }

    @Test
    void malformedLinesNameFileLineAndWhatWasExpected() throws IOException {
        write("Anno/list_attr_img.txt", "1", "image_name  attribute_labels", pad(IMAGES[0]) + " 1 -1 2");
        assertFails(Task.ATTRIBUTES, "Anno/list_attr_img.txt",
                "3: value 3 (attribute 'attr 2') should be 1, -1 or 0, got '2'");
        write("Anno/list_attr_img.txt", "1", "image_name  attribute_labels", pad(IMAGES[0]) + " 1 -1 0");
        assertFails(Task.ATTRIBUTES, "Anno/list_attr_img.txt", "3: expected an image name and 70 values, got 3 values");
        write("Anno/list_attr_img.txt", "1", "image_name  attribute_labels", pad(IMAGES[1]) + " 1".repeat(70));
        assertFails(Task.ATTRIBUTES, "Eval/list_eval_partition.txt", "3: " + IMAGES[0]
                + " has no entry in " + root.resolve("Anno/list_attr_img.txt"));

        write("Anno/list_attr_cloth.txt", "1", "attribute_name  attribute_type", "abstract chevron");
        assertFails(Task.ATTRIBUTES, "Anno/list_attr_cloth.txt",
                "3: expected a name and a type 1..5 as its last column, got 'abstract chevron'");

        write("Anno/list_category_img.txt", "1", "image_name  category_label", pad(IMAGES[0]) + "4");
        assertFails(Task.CATEGORY, "Anno/list_category_img.txt", "3: expected an image name and a category 1..3, got '"
                + pad(IMAGES[0]) + "4'");
        write("Anno/list_category_img.txt", "1", "image_name  category_name", pad(IMAGES[0]) + "1");
        assertFails(Task.CATEGORY, "Anno/list_category_img.txt",
                "2: expected the column names 'image_name category_label', got 'image_name  category_name'");

        write("Eval/list_eval_partition.txt", "1", "image_name  evaluation_status", pad(IMAGES[0]) + "training");
        assertFails(Task.CATEGORY, "Eval/list_eval_partition.txt", "3: expected train, val or test, got 'training'");

        write("Eval/list_eval_partition.txt", "1", "image_name  evaluation_status", pad(IMAGES[0]) + "train");
        write("Anno/list_category_img.txt", "1", "image_name  category_label", pad(IMAGES[0]) + "1");
        write("Anno/list_bbox.txt", "1", "image_name  x_1  y_1  x_2  y_2", pad(IMAGES[0]) + "5 1 5 8");
        assertFails(Task.CATEGORY, "Anno/list_bbox.txt", "3: expected an image name and pixel coordinates x_1 y_1 x_2 y_2"
                + " with x_1 < x_2 and y_1 < y_2, got '" + pad(IMAGES[0]) + "5 1 5 8'");
    }

    @Test
    void aMissingListFileIsNamed() throws IOException {
        Files.delete(root.resolve("Anno/list_bbox.txt"));
        IOException e = assertThrows(IOException.class, () -> DeepFashion.load(root, Task.CATEGORY, Split.TRAIN, true));
        assertEquals(root.resolve("Anno/list_bbox.txt") + ": list file not found", e.getMessage());
    }
}
