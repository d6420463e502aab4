package org.weft.recipes.data.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.weft.recipes.data.Image;

/** Small images for the loaders' fixtures: 8x8 (or given size) PNGs of one grey level, so a sample tells which file it came from. */
final class TinyImages {

    private TinyImages() {
    }

    /** Writes an 8x8 PNG whose every pixel is the grey level {@code level} (0..255), creating parent folders. */
    static Path write(Path file, int level) throws IOException {
        return write(file, level, 8, 8);
    }

    static Path write(Path file, int level, int width, int height) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, level << 16 | level << 8 | level);
            }
        }
        // The PNG writer picks the format by name; ".jpg" files get PNG content too, which the decoder sniffs.
        assertTrue(ImageIO.write(image, "png", file.toFile()));
        return file;
    }

    /** The grey level an image written by {@link #write} was written with. */
    static int level(Image image) {
        int level = Math.round(image.get(0, 0, 0) * 255);
        assertEquals(level / 255f, image.get(2, image.height() - 1, image.width() - 1), 1e-7);
        return level;
    }
}
