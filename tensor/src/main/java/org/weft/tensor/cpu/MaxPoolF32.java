package org.weft.tensor.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.weft.tensor.NDArray;

/**
 * F32 max pooling over sliding windows (any kernel, stride, padding, dilation, ceil mode), a
 * vector of output columns at a time; {@link CpuPool2d#maxPool2dReference} is its definition.
 *
 * <p>Versions:
 * <ol start="0">
 * <li>{@link CpuPool2d#maxPool2dReference}: each plane widened into a double scratch plane,
 *     one window at a time, the taps clipped to the input.</li>
 * <li>The scalar F32 loop in {@link CpuPool2d#maxPool2d}: the same windows read in place.
 *     Each tap is a compare and a branch that activations make a coin toss, about 60 cycles
 *     per output of a 3x3 window.</li>
 * <li>This kernel: each plane is copied once into a scratch grid whose border is {@code -inf}
 *     (the padding, and whatever ceil mode's last windows hang over), so every window is a
 *     full set of taps at fixed offsets, and the grid's columns are split by phase: with
 *     column stride s, padded column q lies in phase {@code q % s} at position {@code q / s}.
 *     Then tap {@code (kh, kw)} of outputs {@code j .. j+L-1} is L consecutive floats of one
 *     phase, for any stride, and each tap is one load, a compare and two blends for L outputs.
 *     ResNet-50's 3x3 stride-2 pooling of {@code [8, 64, 112, 112]} went from about 90 to about
 *     20 ms on one thread (a busy machine: indicative).</li>
 * </ol>
 *
 * <p>It picks the reference's winner exactly: the running maximum starts at {@code -inf} and
 * the index at the window's first tap inside the input, the taps come in the same scan order,
 * and only a strictly greater value replaces the maximum, so ties go to the first maximum and
 * a {@code -inf} pad never wins. A plane that holds a NaN (which must win its window, the last
 * NaN in scan order) takes the scalar loop instead ({@link CpuPool2d#maxPoolPlane}): a vector
 * compare and blend per tap are what this JDK compiles to plain instructions, while combining
 * two masks showed up in profiles as slow Java fallback code. The index is carried in a float
 * vector beside the value (plane indices below 2^24 are exact in a float), so one mask
 * selects both.
 */
final class MaxPoolF32 {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Plane indices a float holds exactly. */
    private static final int EXACT_INDICES = 1 << 24;

    private MaxPoolF32() {
    }

    /** Whether {@link #forward} takes these windows: sliding ones over planes whose indices a float holds. */
    static boolean handles(int height, int width, Windows rows, Windows cols) {
        return rows.kernel > 0 && cols.kernel > 0 && (long) height * width < EXACT_INDICES;
    }

    /** {@link CpuPool2d#maxPool2d} for F32 {@code x} and windows that {@link #handles} takes; outputs contiguous. */
    static void forward(NDArray x, Windows rows, Windows cols, int grain, NDArray out, NDArray indices) {
        int channels = x.size(1);
        int height = x.size(2);
        int width = x.size(3);
        int outH = rows.start.length;
        int outW = cols.start.length;
        if (outH == 0 || outW == 0 || x.numel() == 0) {
            return;
        }
        int lanes = F.length();
        int blockW = (outW + lanes - 1) / lanes * lanes;
        int sw = cols.stride;
        int phaseW = blockW + (cols.kernel - 1) * cols.step / sw + 1;
        int gridRows = (outH - 1) * rows.stride + (rows.kernel - 1) * rows.step + 1;
        int phaseSize = gridRows * phaseW;
        // Where tap kw of output column 0 lies in the grid, and the input position each output column's taps start from.
        int[] tapAt = new int[cols.kernel];
        for (int kw = 0; kw < cols.kernel; kw++) {
            int q = kw * cols.step;
            tapAt[kw] = q % sw * phaseSize + q / sw;
        }
        float[] firstCol = new float[blockW];
        float[] col0 = new float[blockW];
        for (int j = 0; j < outW; j++) {
            firstCol[j] = cols.start[j];
            col0[j] = j * sw - cols.pad;
        }
        Nchw xs = Nchw.of(x);
        float[] in = ((CpuStorage) x.storage()).floats();
        float[] max = ((CpuStorage) out.storage()).floats();
        long[] idx = ((CpuStorage) indices.storage()).longs();
        int maxOffset = out.offset();
        int idxOffset = indices.offset();
        int outSize = outH * outW;
        CpuThreads.parallelFor(x.size(0) * channels, grain, (from, to) -> {
            // Every plane writes the same cells, so the -inf border is laid once per task.
            float[] grid = new float[sw * phaseSize];
            Arrays.fill(grid, Float.NEGATIVE_INFINITY);
            float[] rowMax = new float[blockW];
            float[] rowIdx = new float[blockW];
            for (int plane = from; plane < to; plane++) {
                int base = xs.plane(plane / channels, plane % channels);
                int o = plane * outSize;
                if (spread(in, base, xs.rowStride(), xs.colStride(), height, width, rows.pad, cols.pad, sw, gridRows,
                        phaseW, phaseSize, grid)) {
                    CpuPool2d.maxPoolPlane(in, base, xs.rowStride(), xs.colStride(), width, rows, cols, max,
                            maxOffset + o, idx, idxOffset + o);
                    continue;
                }
                for (int i = 0; i < outH; i++, o += outW) {
                    outputRow(grid, i, rows, cols, width, phaseW, tapAt, firstCol, col0, rowMax, rowIdx);
                    System.arraycopy(rowMax, 0, max, maxOffset + o, outW);
                    for (int j = 0; j < outW; j++) {
                        idx[idxOffset + o + j] = (long) rowIdx[j];
                    }
                }
            }
        });
    }

    /**
     * The maxima and indices of output row {@code i}, for a whole number of vectors of columns
     * (those past the last output are computed and ignored). The taps are the outer loop and
     * the running maxima live in {@code rowMax} and {@code rowIdx} between taps: a vector
     * carried around a loop is allocated on every trip by this JDK's compiler, one kept in a
     * small array is two cached loads and stores.
     */
    private static void outputRow(float[] grid, int i, Windows rows, Windows cols, int width, int phaseW, int[] tapAt,
                                  float[] firstCol, float[] col0, float[] rowMax, float[] rowIdx) {
        int lanes = F.length();
        int top = i * rows.stride * phaseW;
        int inputRow = i * rows.stride - rows.pad;
        float firstRow = (float) rows.start[i] * width;
        Arrays.fill(rowMax, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < rowIdx.length; j += lanes) {
            FloatVector.fromArray(F, firstCol, j).add(firstRow).intoArray(rowIdx, j);
        }
        for (int kh = 0; kh < rows.kernel; kh++) {
            int r = top + kh * rows.step * phaseW;
            int rowAt = (inputRow + kh * rows.step) * width;
            for (int kw = 0; kw < cols.kernel; kw++) {
                tap(grid, r + tapAt[kw], rowAt + kw * cols.step, col0, rowMax, rowIdx);
            }
        }
    }

    /**
     * One tap of every window of a row: the tap values start at {@code grid[at]}, their plane
     * indices are {@code col0 + shift}; a value replaces the running maximum if it is greater
     * (the plane holds no NaN).
     */
    private static void tap(float[] grid, int at, int shift, float[] col0, float[] rowMax, float[] rowIdx) {
        for (int j = 0; j < rowMax.length; j += F.length()) {
            FloatVector v = FloatVector.fromArray(F, grid, at + j);
            FloatVector m = FloatVector.fromArray(F, rowMax, j);
            VectorMask<Float> take = v.compare(VectorOperators.GT, m);
            m.blend(v, take).intoArray(rowMax, j);
            FloatVector best = FloatVector.fromArray(F, rowIdx, j);
            best.blend(FloatVector.fromArray(F, col0, j).add(shift), take).intoArray(rowIdx, j);
        }
    }

    /**
     * Copies the plane at {@code base} into the grid, shifted by the padding and split by
     * column phase; rows and columns no window reaches are left out. Returns whether it copied
     * a NaN, noticed on the way so the plane is read once.
     */
    private static boolean spread(float[] in, int base, int rs, int cs, int height, int width, int padH, int padW,
                                  int sw, int gridRows, int phaseW, int phaseSize, float[] grid) {
        int rowsIn = Math.min(height, gridRows - padH);
        int colsIn = Math.min(width, phaseW * sw - padW);
        boolean nan = false;
        for (int h = 0; h < rowsIn; h++) {
            int src = base + h * rs;
            int row = (h + padH) * phaseW;
            // Phase by phase: input columns w, w + sw, ... land side by side in one phase.
            for (int phase = 0; phase < sw; phase++) {
                int w = Math.floorMod(phase - padW, sw);
                int dst = phase * phaseSize + row + (w + padW) / sw;
                for (; w < colsIn; w += sw, dst++) {
                    float v = in[src + w * cs];
                    grid[dst] = v;
                    nan |= v != v;
                }
            }
        }
        return nan;
    }
}
