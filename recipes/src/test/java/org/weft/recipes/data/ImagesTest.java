package org.weft.recipes.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding PNG and JPEG files whose pixel values the test wrote itself. */
class ImagesTest {

    @TempDir
    Path dir;

    /** Red, green, blue of pixel (x, y) in the test pattern: distinct in every channel and position. */
    private static int[] rgbAt(int x, int y) {
        return new int[] {(x * 32 + y) & 0xff, (255 - y * 29) & 0xff, (x * 7 + y * 13) & 0xff};
    }

    private Path write(BufferedImage image, String format, String name) throws IOException {
        Path file = dir.resolve(name);
        assertTrue(ImageIO.write(image, format, file.toFile()), "no " + format + " writer");
        return file;
    }

    private static BufferedImage rgbPattern(int type) {
        BufferedImage image = new BufferedImage(8, 6, type);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 8; x++) {
                int[] c = rgbAt(x, y);
                image.setRGB(x, y, 0x80000000 | c[0] << 16 | c[1] << 8 | c[2]);
            }
        }
        return image;
    }

    private static void assertRgbPattern(Image image, double tolerance) {
        assertEquals(3, image.channels());
        assertEquals(6, image.height());
        assertEquals(8, image.width());
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 8; x++) {
                int[] c = rgbAt(x, y);
                for (int ch = 0; ch < 3; ch++) {
                    assertEquals(c[ch] / 255.0, image.get(ch, y, x), tolerance, "channel " + ch + " at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void rgbPngGivesItsValuesOver255InChwOrder() throws IOException {
        assertRgbPattern(Images.read(write(rgbPattern(BufferedImage.TYPE_3BYTE_BGR), "png", "rgb.png")), 1e-7);
        assertRgbPattern(Images.read(write(rgbPattern(BufferedImage.TYPE_INT_RGB), "png", "int.png")), 1e-7);
    }

    @Test
    void alphaIsDropped() throws IOException {
        // Every pixel is half transparent; the colour values come back unchanged, not blended with a background.
        assertRgbPattern(Images.read(write(rgbPattern(BufferedImage.TYPE_INT_ARGB), "png", "rgba.png")), 1e-7);
    }

    @Test
    void jpegMatchesWithinItsLossiness() throws IOException {
        BufferedImage flat = new BufferedImage(8, 8, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                flat.setRGB(x, y, 200 << 16 | 100 << 8 | 50);
            }
        }
        Image image = Images.read(write(flat, "jpg", "flat.JPG"));
        assertEquals(3, image.channels());
        // A flat block survives JPEG up to chroma quantisation: a few levels out of 255.
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                assertEquals(200 / 255.0, image.get(0, y, x), 6 / 255.0);
                assertEquals(100 / 255.0, image.get(1, y, x), 6 / 255.0);
                assertEquals(50 / 255.0, image.get(2, y, x), 6 / 255.0);
            }
        }
    }

    @Test
    void greyBecomesThreeEqualChannelsWithoutAGammaCurve() throws IOException {
        BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = grey.getRaster();
        for (int p = 0; p < 64; p++) {
            raster.setSample(p % 8, p / 8, 0, p * 4);
        }
        Path file = write(grey, "png", "grey.png");
        Image rgb = Images.read(file);
        Image one = Images.readGrey(file);
        assertEquals(1, one.channels());
        for (int p = 0; p < 64; p++) {
            for (int c = 0; c < 3; c++) {
                // 8-bit grey through getRGB would give e.g. 13/255 for 4/255; the raster value is what PIL reads.
                assertEquals(p * 4 / 255f, rgb.get(c, p / 8, p % 8), 1e-7);
            }
            assertEquals(p * 4 / 255f, one.get(0, p / 8, p % 8), 1e-7);
        }
    }

    @Test
    void sixteenBitGreyIsScaledByItsOwnMaximum() throws IOException {
        BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster raster = grey.getRaster();
        for (int p = 0; p < 64; p++) {
            raster.setSample(p % 8, p / 8, 0, p * 1000 + 7);
        }
        Image image = Images.read(write(grey, "png", "grey16.png"));
        for (int p = 0; p < 64; p++) {
            for (int c = 0; c < 3; c++) {
                assertEquals((p * 1000 + 7) / 65535.0, image.get(c, p / 8, p % 8), 1e-7);
            }
        }
    }

    @Test
    void paletteEntriesAreLookedUp() throws IOException {
        byte[] r = {(byte) 255, 0, 10};
        byte[] g = {0, (byte) 128, 20};
        byte[] b = {0, 0, 30};
        IndexColorModel palette = new IndexColorModel(2, 3, r, g, b);
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_BINARY, palette);
        WritableRaster raster = image.getRaster();
        for (int p = 0; p < 64; p++) {
            raster.setSample(p % 8, p / 8, 0, p % 3);
        }
        Image decoded = Images.read(write(image, "png", "palette.png"));
        for (int p = 0; p < 64; p++) {
            int i = p % 3;
            assertEquals((r[i] & 0xff) / 255f, decoded.get(0, p / 8, p % 8), 1e-7);
            assertEquals((g[i] & 0xff) / 255f, decoded.get(1, p / 8, p % 8), 1e-7);
            assertEquals((b[i] & 0xff) / 255f, decoded.get(2, p / 8, p % 8), 1e-7);
        }
        Image grey = Images.readGrey(dir.resolve("palette.png"));
        assertEquals(0.299 * 10 / 255 + 0.587 * 20 / 255 + 0.114 * 30 / 255, grey.get(0, 0, 2), 1e-6);
    }

    @Test
    void cmykJpegIsConvertedAsPilConvertsIt() throws IOException {
        // javax.imageio writes a 4-band raster as an inverted CMYK JPEG without an Adobe marker; for the ink
        // values (C, M, Y, K) = (200, 50, 0, 128) written here PIL 9.4's convert("RGB") gives (100, 25, 0),
        // which is 255 - ink combined with 255 - black: round(c * k / 255) of the written values.
        WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 8, 8, 4, null);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                cmyk.setPixel(x, y, new int[] {200, 50, 0, 128});
            }
        }
        Path file = dir.resolve("cmyk.jpg");
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(cmyk, null, null), null);
        } finally {
            writer.dispose();
        }
        Image image = Images.read(file);
        assertEquals(3, image.channels());
        assertEquals(100 / 255.0, image.get(0, 4, 4), 1.01 / 255);
        assertEquals(25 / 255.0, image.get(1, 4, 4), 1.01 / 255);
        assertEquals(0, image.get(2, 4, 4), 1.01 / 255);
    }

    @Test
    void nonImagesAndMissingFilesAreNamed() throws IOException {
        Path html = dir.resolve("page.jpg");
        Files.writeString(html, "<html>not found</html>", StandardCharsets.US_ASCII);
        UncheckedIOException notImage = assertThrows(UncheckedIOException.class, () -> Images.read(html));
        assertTrue(notImage.getMessage().contains(html + ": not an image javax.imageio can decode"), notImage.getMessage());
        assertTrue(notImage.getMessage().contains("3c 68 74 6d 6c"), notImage.getMessage());

        Path empty = Files.createFile(dir.resolve("empty.png"));
        UncheckedIOException none = assertThrows(UncheckedIOException.class, () -> Images.read(empty));
        assertTrue(none.getMessage().contains("the file is empty"), none.getMessage());

        Path missing = dir.resolve("missing.png");
        UncheckedIOException absent = assertThrows(UncheckedIOException.class, () -> Images.read(missing));
        assertEquals(missing + ": image file not found", absent.getMessage());

        Path truncated = dir.resolve("truncated.png");
        byte[] whole = Files.readAllBytes(write(rgbPattern(BufferedImage.TYPE_3BYTE_BGR), "png", "whole.png"));
        Files.write(truncated, Arrays.copyOf(whole, 60));
        UncheckedIOException cut = assertThrows(UncheckedIOException.class, () -> Images.read(truncated));
        assertTrue(cut.getMessage().startsWith(truncated + ": cannot decode this PNG image"), cut.getMessage());
    }
}
