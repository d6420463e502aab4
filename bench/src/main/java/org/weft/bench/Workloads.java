package org.weft.bench;

import java.util.List;
import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;
import org.weft.nn.Module;
import org.weft.nn.losses.Losses;
import org.weft.nn.models.GoogLeNet;
import org.weft.nn.models.ResNet;
import org.weft.nn.models.SwinTransformer;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.random.Generator;

/**
 * The workloads the side-by-side runner times, each built here for Weft exactly as
 * {@code bench/torch_side.py} builds it for PyTorch (same names, shapes and modes).
 *
 * <ul>
 *   <li>{@code gemm/N}: {@code C = A B} of F32 N x N matrices, a new C each call ({@code torch.mm}).
 *   <li>{@code MODEL/forward}: {@code eval()} mode, no graph recorded ({@code torch.no_grad()}),
 *       logits of a batch of {@link #BATCH} random images of {@link #IMAGE_SIZE} px.
 *   <li>{@code MODEL/train}: one training step without the optimiser: {@code train()} mode,
 *       gradients cleared (set to none), forward, mean cross-entropy against fixed labels,
 *       backward into every parameter. Dropout and stochastic depth act as in training.
 * </ul>
 *
 * The models are torchvision's with 1000 classes and their own random initialisation:
 * ResNet-50; GoogLeNet without auxiliary heads and without input transform
 * ({@code aux_logits=False, transform_input=False}); Swin-T (window 7, stochastic depth 0.2).
 */
final class Workloads {

    static final int BATCH = 8;
    static final int IMAGE_SIZE = 224;
    static final int CLASSES = 1000;

    static final List<String> NAMES = List.of(
            "gemm/512", "gemm/1024", "gemm/2048",
            "resnet50/forward", "resnet50/train",
            "googlenet/forward", "googlenet/train",
            "swin_t/forward", "swin_t/train");

    private Workloads() {
    }

    /** The step to time for workload {@code name}, with its model and data already built. */
    static Runnable prepare(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown workload '" + name + "', expected one of " + NAMES);
        }
        String[] parts = name.split("/", 2);
        Generator generator = new Generator(0);
        if (parts[0].equals("gemm")) {
            int n = Integer.parseInt(parts[1]);
            NDArray a = NDArray.randn(DType.F32, generator, n, n);
            NDArray b = NDArray.randn(DType.F32, generator, n, n);
            return () -> a.mm(b);
        }
        Module model = model(parts[0]);
        Tensor images = Tensor.randn(DType.F32, generator, BATCH, 3, IMAGE_SIZE, IMAGE_SIZE);
        if (parts[1].equals("forward")) {
            model.eval();
            return () -> {
                try (var noGrad = Grad.disabled()) {
                    model.call(images);
                }
            };
        }
        model.train();
        Tensor labels = Tensor.randint(0, CLASSES, generator, BATCH);
        return () -> {
            model.zeroGrad();
            Losses.crossEntropy(model.call(images), labels).backward();
        };
    }

    private static Module model(String name) {
        return switch (name) {
            case "resnet50" -> ResNet.resnet50(CLASSES);
            case "googlenet" -> GoogLeNet.googlenet(CLASSES, false, false);
            case "swin_t" -> SwinTransformer.swinT(CLASSES);
            default -> throw new IllegalArgumentException("unknown model " + name);
        };
    }
}
