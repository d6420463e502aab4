package org.weft.recipes.data.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weft.recipes.data.Image;

import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.MatlabType;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Struct;

/** HipsterWars on a tiny hipsterwars_Jan_2014.mat written with the MAT File Library in the published structure. */
class HipsterWarsTest {

    @TempDir
    Path dir;

    /** Photos in file order: grouped by style, most stylish first. */
    static final int[] IDS = {11, 12, 13, 21, 22, 31, 41, 42, 51};
    static final String[] STYLES = {"Hipster", "Hipster", "Hipster", "Goth", "Goth", "Preppy", "Pinup", "Pinup", "Bohemian"};

    /** Value of the embedded image of photo i at row y, column x, channel c. */
    static int pixel(int i, int y, int x, int c) {
        return (i * 20 + y * 7 + x * 3 + c * 50) & 0xff;
    }

    private void writeMat(boolean withImages, String... styles) throws IOException {
        Struct samples = Mat5.newStruct(styles.length, 1);
        for (int i = 0; i < styles.length; i++) {
            samples.set("id", i, Mat5.newScalar(IDS[i]));
            samples.set("style_name", i, Mat5.newString(styles[i]));
            if (withImages) {
                // 5 x 4 x 3 uint8 (the last photo grey, 5 x 4) in MATLAB's column-major order
                int channels = i == styles.length - 1 ? 1 : 3;
                Matrix image = Mat5.newMatrix(channels == 3 ? new int[] {5, 4, 3} : new int[] {5, 4}, MatlabType.UInt8);
                for (int c = 0; c < channels; c++) {
                    for (int x = 0; x < 4; x++) {
                        for (int y = 0; y < 5; y++) {
                            image.setByte(y + 5 * (x + 4 * c), (byte) pixel(i, y, x, c));
                        }
                    }
                }
                samples.set("image", i, image);
            }
        }
        MatFile mat = Mat5.newMatFile().addArray("samples", samples);
        Mat5.writeToFile(mat, dir.resolve(HipsterWars.MAT_FILE).toFile());
    }

    @Test
    void theTopHalfOfEachStyleKeepsTheFirstCeilHalfInFileOrder() throws IOException {
        writeMat(false, STYLES);
        for (int id : IDS) {
            TinyImages.write(dir.resolve("images/" + id + ".jpg"), id);
        }
        HipsterWars top = HipsterWars.load(dir, HipsterWars.TOP_HALF);
        assertEquals(HipsterWars.STYLES, top.classes());
        // Hipster keeps ceil(3/2) = 2, Goth 1 of 2, Preppy 1 of 1, Pinup 1 of 2, Bohemian 1 of 1.
        String[] ids = {"11", "12", "21", "31", "41", "51"};
        int[] labels = {0, 0, 1, 2, 3, 4};
        assertEquals(ids.length, top.size());
        for (int j = 0; j < ids.length; j++) {
            assertEquals(ids[j], top.id(j));
            assertEquals(labels[j], top.label(j));
            assertEquals(dir.resolve("images/" + ids[j] + ".jpg"), top.file(j));
            assertEquals(Integer.parseInt(ids[j]), TinyImages.level(top.get(j).image()));
        }
        assertEquals(9, HipsterWars.load(dir, 1.0).size());

        Path elsewhere = dir.resolve("photos");
        TinyImages.write(elsewhere.resolve("12.jpg"), 99);
        HipsterWars moved = HipsterWars.load(dir, elsewhere, HipsterWars.TOP_HALF);
        assertEquals(99, TinyImages.level(moved.get(1).image()));
    }

    @Test
    void withoutAnImageFolderTheEmbeddedImagesAreRead() throws IOException {
        writeMat(true, STYLES);
        HipsterWars all = HipsterWars.load(dir, 1.0);
        assertEquals(9, all.size());
        for (int i : new int[] {0, 4, 8}) {
            Image image = all.get(i).image();
            assertEquals(3, image.channels());
            assertEquals(5, image.height());
            assertEquals(4, image.width());
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 5; y++) {
                    for (int x = 0; x < 4; x++) {
                        // the grey last photo repeats its one channel
                        int expected = pixel(i, y, x, i == 8 ? 0 : c);
                        assertEquals(expected / 255f, image.get(c, y, x), 1e-7, "photo " + i + " at " + c + "," + y + "," + x);
                    }
                }
            }
        }
        assertEquals(4, all.get(8).label());
    }

    @Test
    void malformedFilesAreReportedWithWhatWasExpected() throws IOException {
        writeMat(false, "Hipster", "Emo");
        Path mat = dir.resolve(HipsterWars.MAT_FILE);
        IOException style = assertThrows(IOException.class, () -> HipsterWars.load(dir, dir, 0.5));
        assertEquals(mat + ": samples(2).style_name is 'Emo', expected one of Hipster, Goth, Preppy, Pinup, Bohemian",
                style.getMessage());

        IOException noImages = assertThrows(IOException.class, () -> HipsterWars.load(dir, 0.5));
        assertTrue(noImages.getMessage().startsWith(dir.resolve("images") + ": no image folder, and the samples in "
                + HipsterWars.MAT_FILE + " have no image field"), noImages.getMessage());

        Mat5.writeToFile(Mat5.newMatFile().addArray("photos", Mat5.newScalar(1)), mat.toFile());
        IOException variable = assertThrows(IOException.class, () -> HipsterWars.load(dir, dir, 0.5));
        assertEquals(mat + ": expected a struct array named samples, found the variables [photos]", variable.getMessage());

        Struct noStyle = Mat5.newStruct(1, 1).set("id", 0, Mat5.newScalar(1));
        Mat5.writeToFile(Mat5.newMatFile().addArray("samples", noStyle), mat.toFile());
        IOException field = assertThrows(IOException.class, () -> HipsterWars.load(dir, dir, 0.5));
        assertEquals(mat + ": samples has no field style_name (its fields: id)", field.getMessage());

        Files.writeString(mat, "not a mat file");
        IOException garbage = assertThrows(IOException.class, () -> HipsterWars.load(dir, dir, 0.5));
        assertTrue(garbage.getMessage().startsWith(mat + ": not a MATLAB v5 .mat file"), garbage.getMessage());

        assertThrows(IllegalArgumentException.class, () -> HipsterWars.load(dir, dir, 0));
    }
}
