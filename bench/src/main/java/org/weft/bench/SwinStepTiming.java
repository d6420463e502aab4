package org.weft.bench;

import org.weft.autograd.Tensor;
import org.weft.nn.models.SwinTransformer;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.random.Generator;

/**
 * Times one Swin-T training step's forward and backward (no optimiser) on random 224-px
 * images, the end-to-end measure of the CPU kernels a vision transformer leans on.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar
 * org.weft.bench.SwinStepTiming [batch] [steps]} (defaults 2 and 5; the first step is a
 * warm-up and is reported apart). Prints each step's seconds and the median.
 */
public final class SwinStepTiming {

    private SwinStepTiming() {
    }

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        SwinTransformer model = SwinTransformer.swinT(1000);
        model.train();
        Tensor images = Tensor.of(NDArray.randn(DType.F32, new Generator(0), batch, 3, 224, 224));
        double[] seconds = new double[steps];
        for (int s = 0; s <= steps; s++) {
            model.zeroGrad();
            long start = System.nanoTime();
            model.call(images).sum().backward();
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (s == 0) {
                System.out.printf("warm-up step: %.3f s%n", elapsed);
            } else {
                seconds[s - 1] = elapsed;
                System.out.printf("step %d: %.3f s%n", s, elapsed);
            }
        }
        java.util.Arrays.sort(seconds);
        System.out.printf("Swin-T forward+backward, batch %d, 224 px: median %.3f s over %d steps%n",
                batch, seconds[steps / 2], steps);
    }
}
