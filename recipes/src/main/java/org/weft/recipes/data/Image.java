package org.weft.recipes.data;

/**
 * One decoded image as the data pipeline passes it between transforms: {@code channels × height × width}
 * floats, row-major (CHW), with values in [0, 1] until a normalising transform rescales them.
 * Transforms return new images rather than writing into their input, so a dataset may cache decoded images.
 */
public record Image(int channels, int height, int width, float[] pixels) {

    public Image {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("an image needs at least one channel, row and column, got "
                    + channels + "x" + height + "x" + width);
        }
        if (pixels.length != channels * height * width) {
            throw new IllegalArgumentException("an image of " + channels + "x" + height + "x" + width + " needs "
                    + channels * height * width + " values, got " + pixels.length);
        }
    }

    /** A black image of the given size. */
    public static Image zeros(int channels, int height, int width) {
        return new Image(channels, height, width, new float[channels * height * width]);
    }

    /** The value at channel {@code c}, row {@code y}, column {@code x}. */
    public float get(int c, int y, int x) {
        return pixels[(c * height + y) * width + x];
    }
}
