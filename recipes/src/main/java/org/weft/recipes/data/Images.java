package org.weft.recipes.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decoder of image files (JPEG and PNG, and whatever else javax.imageio reads: BMP, GIF, TIFF) into
 * {@link Image}s with values in [0, 1], as torchvision's {@code ToTensor(Image.open(f).convert("RGB"))} gives them.
 *
 * <p>{@link #read} always gives 3 channels: a grey image (8- or 16-bit) repeats its one channel, a palette
 * image is looked up, an alpha channel is dropped (not composited over a background, as PIL's
 * {@code convert("RGB")} drops it too), and a CMYK JPEG (which this JDK's reader decodes to its raw CMYK values)
 * is converted as PIL converts it, {@code R = round((255 - C)(255 - K) / 255)} and likewise for G with M and B
 * with Y, with no colour profile. Grey and RGB samples are taken from the raster and divided by their
 * maximum ({@code 2^bits - 1}), never through {@link BufferedImage#getRGB}, which would pass 8-bit grey through a
 * linear-to-sRGB curve and shift every value. One deliberate difference from PIL: a 16-bit grey PNG is scaled by
 * 65535, where PIL 9's {@code convert("RGB")} clips every value above 255 to white. Decoding is safe from several
 * threads: each call makes its own reader.
 */
public final class Images {

    private Images() {
    }

    /** Reads {@code file} as a 3-channel RGB image; an unreadable file is reported with its name and kind. */
    public static Image read(Path file) {
        return decode(file, false);
    }

    /**
     * Reads {@code file} as a 1-channel grey image: a grey file keeps its values; a colour file becomes
     * {@code L = 0.299 R + 0.587 G + 0.114 B} (ITU-R 601-2 luma, PIL's {@code convert("L")} up to its rounding to bytes).
     */
    public static Image readGrey(Path file) {
        return decode(file, true);
    }

    private static Image decode(Path file, boolean grey) {
        BufferedImage image;
        try {
            image = decodeFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        return grey ? toGrey(image) : toRgb(image);
    }

    private static BufferedImage decodeFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    Files.exists(file) ? "not a regular file" : "image file not found");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException(file + ": not an image javax.imageio can decode (JPEG, PNG, BMP, GIF, TIFF); "
                        + "it starts with the bytes " + leadingBytes(file));
            }
            ImageReader reader = readers.next();
            String format = reader.getFormatName().toUpperCase(Locale.ROOT);
            try {
                reader.setInput(in, true, true);
                return reader.read(0);
            } catch (IOException | RuntimeException e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                throw new IOException(file + ": cannot decode this " + format + " image: " + why, e);
            } finally {
                reader.dispose();
            }
        }
    }

    /** The first bytes of a file in hex, so that an error shows what the file is (HTML, a text file, nothing). */
    private static String leadingBytes(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(8);
        }
        if (head.length == 0) {
            return "(none: the file is empty)";
        }
        StringBuilder hex = new StringBuilder();
        for (byte b : head) {
            hex.append(hex.length() == 0 ? "" : " ").append(String.format("%02x", b & 0xff));
        }
        return hex.toString();
    }

    /**
     * Whether the raster holds the colour channels directly (grey or RGB components, 8 or 16 bits). An RGB image
     * with an embedded colour profile is read from its raster too: PIL ignores the profile, and so does this.
     */
    private static boolean componentsInRaster(ColorModel model, int colourSpace) {
        return model instanceof ComponentColorModel && model.getColorSpace().getType() == colourSpace;
    }

    private static Image toRgb(BufferedImage image) {
        int height = image.getHeight();
        int width = image.getWidth();
        int plane = height * width;
        float[] pixels = new float[3 * plane];
        ColorModel model = image.getColorModel();
        Raster raster = image.getRaster();
        if (componentsInRaster(model, ColorSpace.TYPE_GRAY)) {
            float[] grey = band(raster, 0, model.getComponentSize(0));
            for (int c = 0; c < 3; c++) {
                System.arraycopy(grey, 0, pixels, c * plane, plane);
            }
        } else if (componentsInRaster(model, ColorSpace.TYPE_RGB)) {
            for (int c = 0; c < 3; c++) {
                System.arraycopy(band(raster, c, model.getComponentSize(c)), 0, pixels, c * plane, plane);
            }
        } else if (model instanceof ComponentColorModel && model.getColorSpace().getType() == ColorSpace.TYPE_CMYK
                && model.getNumComponents() == 4) {
            cmykToRgb(raster, pixels, plane);
        } else {
            // Palette, packed-int and other colour spaces: javax.imageio converts them to 8-bit sRGB.
            int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
            for (int p = 0; p < plane; p++) {
                pixels[p] = ((argb[p] >> 16) & 0xff) / 255f;
                pixels[plane + p] = ((argb[p] >> 8) & 0xff) / 255f;
                pixels[2 * plane + p] = (argb[p] & 0xff) / 255f;
            }
        }
        return new Image(3, height, width, pixels);
    }

    private static void cmykToRgb(Raster raster, float[] pixels, int plane) {
        int[] k = raster.getSamples(0, 0, raster.getWidth(), raster.getHeight(), 3, (int[]) null);
        for (int c = 0; c < 3; c++) {
            int[] ink = raster.getSamples(0, 0, raster.getWidth(), raster.getHeight(), c, (int[]) null);
            for (int p = 0; p < plane; p++) {
                pixels[c * plane + p] = Math.round((255 - ink[p]) * (255 - k[p]) / 255.0) / 255f;
            }
        }
    }

    private static Image toGrey(BufferedImage image) {
        ColorModel model = image.getColorModel();
        if (componentsInRaster(model, ColorSpace.TYPE_GRAY)) {
            float[] grey = band(image.getRaster(), 0, model.getComponentSize(0));
            return new Image(1, image.getHeight(), image.getWidth(), grey);
        }
        Image rgb = toRgb(image);
        int plane = rgb.height() * rgb.width();
        float[] in = rgb.pixels();
        float[] grey = new float[plane];
        for (int p = 0; p < plane; p++) {
            grey[p] = 0.299f * in[p] + 0.587f * in[plane + p] + 0.114f * in[2 * plane + p];
        }
        return new Image(1, rgb.height(), rgb.width(), grey);
    }

    /** Band {@code b} of the raster divided by the largest value a {@code bits}-bit sample holds. */
    private static float[] band(Raster raster, int b, int bits) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int[] samples = raster.getSamples(0, 0, width, height, b, (int[]) null);
        float max = (float) ((1L << bits) - 1);
        float[] out = new float[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = samples[i] / max;
        }
        return out;
    }
}
