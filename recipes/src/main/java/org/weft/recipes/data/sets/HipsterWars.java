package org.weft.recipes.data.sets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.weft.recipes.data.Image;

import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Array;
import us.hebi.matlab.mat.types.Char;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.MatlabType;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Struct;

/**
 * HipsterWars (Kiapour et al., ECCV 2014): 1,893 photos, each of one of five styles, read from
 * {@code hipsterwars_Jan_2014.mat} (MATLAB v5, read with the MAT File Library). Its variable {@code samples} is a
 * struct array with one element a photo; this loader uses the fields {@code id} (a number) and {@code style_name}
 * (one of {@link #STYLES}, which give the class order), and {@code image} when the images are taken from the file.
 *
 * <p>The file lists the photos grouped by style and, within a style, from most to least stylish (by the skill
 * the pairwise game gave them); the usual protocol keeps the top half of each style. {@code topFraction} keeps the
 * first {@code ceil(topFraction * n)} photos of a style that has {@code n}, in file order (1 keeps all, 0.5 the
 * usual protocol). No train/test split is published; splitting is the caller's.
 *
 * <p>Where the images are: {@code <dir>/images/<id>.jpg} by default (as exported with one file per id), or any folder
 * given to {@link #load(Path, Path, double)}; without such a folder, from each sample's {@code image} field when
 * the .mat file holds them (an {@code H x W x 3} or {@code H x W} uint8 array), which keeps the decompressed file in
 * memory; {@link #file} is then the .mat file for every example.
 */
public final class HipsterWars extends SingleLabelImages {

    /** The file name the dataset is published under. */
    public static final String MAT_FILE = "hipsterwars_Jan_2014.mat";

    /** The five styles, in the order the dataset's own code numbers them (1 to 5). */
    public static final List<String> STYLES = List.of("Hipster", "Goth", "Preppy", "Pinup", "Bohemian");

    /** The fraction of each style the usual protocol keeps. */
    public static final double TOP_HALF = 0.5;

    private final String[] ids;
    private final Matrix[] embedded;

    private HipsterWars(Path[] files, int[] labels, String[] ids, Matrix[] embedded) {
        super(files, labels, STYLES);
        this.ids = ids;
        this.embedded = embedded;
    }

    /**
     * Reads {@code <dir>/hipsterwars_Jan_2014.mat}, keeping {@code topFraction} of each style; images from
     * {@code <dir>/images/<id>.jpg} when that folder exists, else from the .mat file's {@code image} fields.
     */
    public static HipsterWars load(Path dir, double topFraction) throws IOException {
        Path images = dir.resolve("images");
        return read(dir.resolve(MAT_FILE), Files.isDirectory(images) ? images : null, topFraction);
    }

    /** Reads {@code <dir>/hipsterwars_Jan_2014.mat}, keeping {@code topFraction} of each style; images from {@code <imageDir>/<id>.jpg}. */
    public static HipsterWars load(Path dir, Path imageDir, double topFraction) throws IOException {
        if (imageDir == null) {
            throw new IllegalArgumentException("imageDir is null; use load(dir, topFraction) for the default");
        }
        return read(dir.resolve(MAT_FILE), imageDir, topFraction);
    }

    private static HipsterWars read(Path matFile, Path imageDir, double topFraction) throws IOException {
        if (!(topFraction > 0 && topFraction <= 1)) {
            throw new IllegalArgumentException("topFraction must be in (0, 1], got " + topFraction);
        }
        if (!Files.isRegularFile(matFile)) {
            throw new NoSuchFileException(matFile.toString(), null, "HipsterWars .mat file not found");
        }
        Mat5File mat;
        try {
            mat = Mat5.readFromFile(matFile.toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException(matFile + ": not a MATLAB v5 .mat file the MAT File Library can read: " + e.getMessage(), e);
        }
        Struct samples = samples(mat, matFile);
        boolean fromMat = imageDir == null;
        if (fromMat && !samples.getFieldNames().contains("image")) {
            throw new NoSuchFileException(matFile.getParent().resolve("images").toString(), null,
                    "no image folder, and the samples in " + matFile.getFileName() + " have no image field: give the folder"
                    + " holding <id>.jpg");
        }
        int n = samples.getNumElements();
        String[] ids = new String[n];
        int[] styles = new int[n];
        int[] perStyle = new int[STYLES.size()];
        for (int i = 0; i < n; i++) {
            ids[i] = id(samples.get("id", i), matFile, i);
            Array name = samples.get("style_name", i);
            String style = name instanceof Char c ? c.getString().strip() : null;
            styles[i] = style == null ? -1 : STYLES.indexOf(style);
            if (styles[i] < 0) {
                throw new IOException(matFile + ": samples(" + (i + 1) + ").style_name is "
                        + (style == null ? "a " + name.getType() + " array" : "'" + style + "'") + ", expected one of "
                        + String.join(", ", STYLES));
            }
            perStyle[styles[i]]++;
        }
        int[] keep = new int[STYLES.size()];
        for (int s = 0; s < keep.length; s++) {
            keep[s] = (int) Math.ceil(topFraction * perStyle[s]);
        }
        List<Integer> chosen = new ArrayList<>();
        int[] taken = new int[STYLES.size()];
        for (int i = 0; i < n; i++) {
            if (taken[styles[i]]++ < keep[styles[i]]) {
                chosen.add(i);
            }
        }
        Path[] files = new Path[chosen.size()];
        int[] labels = new int[chosen.size()];
        String[] keptIds = new String[chosen.size()];
        Matrix[] embedded = fromMat ? new Matrix[chosen.size()] : null;
        for (int j = 0; j < files.length; j++) {
            int i = chosen.get(j);
            keptIds[j] = ids[i];
            labels[j] = styles[i];
            files[j] = fromMat ? matFile : imageDir.resolve(ids[i] + ".jpg");
            if (fromMat) {
                embedded[j] = pixels(samples.get("image", i), matFile, i);
            }
        }
        if (!fromMat) {
            mat.close();
        }
        return new HipsterWars(files, labels, keptIds, embedded);
    }

    private static Struct samples(MatFile mat, Path matFile) throws IOException {
        Map<String, Array> variables = new LinkedHashMap<>();
        for (MatFile.Entry entry : mat.getEntries()) {
            variables.put(entry.getName(), entry.getValue());
        }
        Array samples = variables.get("samples");
        if (!(samples instanceof Struct struct)) {
            throw new IOException(matFile + ": expected a struct array named samples, "
                    + (samples == null ? "found the variables " + variables.keySet() : "got a " + samples.getType() + " array"));
        }
        for (String field : List.of("id", "style_name")) {
            if (!struct.getFieldNames().contains(field)) {
                throw new IOException(matFile + ": samples has no field " + field + " (its fields: "
                        + String.join(", ", struct.getFieldNames()) + ")");
            }
        }
        return struct;
    }

    /** The id as the image files are named: a whole number without decimals, or the text of a char id. */
    private static String id(Array id, Path matFile, int i) throws IOException {
        if (id instanceof Char c) {
            return c.getString().strip();
        }
        if (id instanceof Matrix m && m.getNumElements() == 1 && !m.isComplex()) {
            double value = m.getDouble(0);
            if (value == Math.rint(value) && Math.abs(value) < 1e15) {
                return Long.toString((long) value);
            }
        }
        throw new IOException(matFile + ": samples(" + (i + 1) + ").id should be a whole number or text, got a "
                + id.getType() + " array of size " + Arrays.toString(id.getDimensions()));
    }

    private static Matrix pixels(Array image, Path matFile, int i) throws IOException {
        int[] dims = image.getDimensions();
        boolean shaped = dims.length == 2 || dims.length == 3 && (dims[2] == 3 || dims[2] == 1);
        if (!(image instanceof Matrix m) || image.getType() != MatlabType.UInt8 || !shaped || dims[0] == 0 || dims[1] == 0) {
            throw new IOException(matFile + ": samples(" + (i + 1) + ").image should be an H x W x 3 or H x W uint8 array,"
                    + " got a " + image.getType() + " array of size " + Arrays.toString(dims));
        }
        return m;
    }

    /** The id of example {@code index}, as in the .mat file. */
    public String id(int index) {
        return ids[Objects.checkIndex(index, ids.length)];
    }

    @Override
    Image decode(int index) {
        if (embedded == null) {
            return super.decode(index);
        }
        // MATLAB stores H x W x C column-major: element (y, x, c) is at y + H * (x + W * c).
        Matrix m = embedded[index];
        int[] dims = m.getDimensions();
        int height = dims[0];
        int width = dims[1];
        int channels = dims.length == 3 ? dims[2] : 1;
        int plane = height * width;
        float[] pixels = new float[3 * plane];
        try {
            for (int c = 0; c < 3; c++) {
                int source = channels == 1 ? 0 : c;
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        pixels[c * plane + y * width + x] = (m.getByte(y + height * (x + width * source)) & 0xff) / 255f;
                    }
                }
            }
        } catch (RuntimeException e) {
            String message = file(index) + ": cannot read the image of sample id " + ids[index] + ": " + e.getMessage();
            throw new UncheckedIOException(message, new IOException(message, e));
        }
        return new Image(3, height, width, pixels);
    }
}
