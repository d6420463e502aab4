package org.weft.recipes.cli;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.weft.autograd.Grad;
import org.weft.autograd.Tensor;
import org.weft.nn.Module;
import org.weft.nn.io.StateDicts;
import org.weft.recipes.cli.InferenceModel.Mode;
import org.weft.tensor.DType;
import org.weft.tensor.NDArray;
import org.weft.tensor.io.SafeTensors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weft infer}: one forward pass of a model zoo network on a batch from a file, and
 * optionally its backward pass, written to a file so that PyTorch can check every number.
 *
 * <p>With {@code --backward} the gradients are those of Σ(output · grad_output) over the
 * outputs, the upstream gradients coming from the input file. Dropout and stochastic depth
 * are off in both modes, so train mode differs from eval only in batch statistics (and
 * GoogLeNet's auxiliary heads) and the result is deterministic.
 */
@Command(name = "infer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs a model on the batch in --input and writes its outputs to --output.",
            "Input holds 'input' (N, 3, H, W) and, with --backward, 'grad_<output>' for each output.",
            "Output holds the outputs ('logits', and 'aux1', 'aux2' for GoogLeNet in train mode); with --backward"
                    + " 'grad_input' and 'grad.<parameter>' for every parameter; in train mode the updated"
                    + " running statistics as 'buffer.<name>'."})
final class InferCommand implements Callable<Integer> {

    private final ModelRegistry models;

    @Spec
    private CommandSpec spec;

    @Option(names = "--arch", required = true, paramLabel = "ARCH", description = "the architecture; a wrong name lists the known ones")
    private String arch;

    @Option(names = "--num-classes", required = true, paramLabel = "N", description = "classifier outputs")
    private int numClasses;

    @Option(names = "--weights", required = true, paramLabel = "W",
            description = "the state dict (.safetensors or .pth)")
    private Path weights;

    @Option(names = "--input", required = true, paramLabel = "X", description = "safetensors with 'input'")
    private Path input;

    @Option(names = "--output", required = true, paramLabel = "Y", description = "safetensors to write")
    private Path output;

    @Option(names = "--mode", defaultValue = "eval", paramLabel = "eval|train",
            description = "eval (running statistics) or train (batch statistics); default ${DEFAULT-VALUE}")
    private String mode;

    @Option(names = "--backward", description = "also write the gradients")
    private boolean backward;

    InferCommand(ModelRegistry models) {
        this.models = models;
    }

    @Override
    public Integer call() throws Exception {
        Mode m = Mode.parse(mode);
        requireFile(weights, "--weights");
        requireFile(input, "--input");
        InferenceModel model = models.create(arch, numClasses);
        Module module = model.module();
        module.loadStateDict(StateDicts.load(weights), true);
        module.train(m == Mode.TRAIN);
        model.disableStochasticLayers();

        Map<String, NDArray> batch = SafeTensors.read(input);
        NDArray x = batch.get("input");
        if (x == null) {
            throw new IllegalArgumentException(input + ": no tensor 'input'; the file holds " + batch.keySet());
        }
        if (x.dim() != 4 || x.size(1) != 3 || !x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(input + ": 'input' must be a floating-point batch (N, 3, H, W), got "
                    + x.dtype() + " " + x.shape());
        }
        Tensor in = Tensor.of(x.to(DType.F32));
        if (backward) {
            in.requiresGrad_(true);
        }

        Map<String, Tensor> outputs;
        try (var grad = Grad.set(backward)) {
            outputs = model.forward(in, m);
        }
        checkKeys(batch, outputs.keySet());

        Map<String, NDArray> result = new LinkedHashMap<>();
        outputs.forEach((name, t) -> result.put(name, t.data()));
        if (backward) {
            backward(batch, outputs, in, module, result);
        }
        if (m == Mode.TRAIN) {
            Set<String> parameters = module.namedParameters().keySet();
            module.stateDict().forEach((name, t) -> {
                if (!parameters.contains(name)) {
                    result.put("buffer." + name, t.data());
                }
            });
        }
        SafeTensors.write(output, result);
        spec.commandLine().getOut().println("wrote " + String.join(", ", summary(result)) + " to " + output);
        return 0;
    }

    /** Backpropagates Σ(output · grad_output) and collects the input's and every parameter's gradient. */
    private void backward(Map<String, NDArray> batch, Map<String, Tensor> outputs, Tensor in, Module module,
                          Map<String, NDArray> result) {
        Tensor total = null;
        for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
            NDArray g = batch.get("grad_" + e.getKey());
            if (!g.shape().equals(e.getValue().shape())) {
                throw new IllegalArgumentException(input + ": 'grad_" + e.getKey() + "' has shape " + g.shape()
                        + " but output '" + e.getKey() + "' has shape " + e.getValue().shape());
            }
            Tensor term = e.getValue().mul(Tensor.of(g.to(DType.F32))).sum();
            total = total == null ? term : total.add(term);
        }
        total.backward();
        result.put("grad_input", in.grad().data());
        module.namedParameters().forEach((name, p) -> {
            // A parameter the outputs do not depend on (an auxiliary head in eval mode) has gradient zero.
            result.put("grad." + name, p.grad() == null ? p.data().zerosLike() : p.grad().data());
        });
    }

    /** The input file must hold 'input', and with --backward one 'grad_<output>' per output, nothing else. */
    private void checkKeys(Map<String, NDArray> batch, Set<String> outputNames) {
        Set<String> expected = new TreeSet<>();
        expected.add("input");
        if (backward) {
            for (String o : outputNames) {
                expected.add("grad_" + o);
            }
        }
        List<String> missing = new ArrayList<>();
        for (String k : expected) {
            if (!batch.containsKey(k)) {
                missing.add(k);
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String k : batch.keySet()) {
            if (!expected.contains(k)) {
                unexpected.add(k);
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException(input + ": expected tensors " + expected + " (" + arch + " in "
                    + mode + " mode" + (backward ? " with --backward" : "") + " outputs " + outputNames + ")"
                    + (missing.isEmpty() ? "" : "; missing " + missing)
                    + (unexpected.isEmpty() ? "" : "; unexpected " + unexpected));
        }
    }

    private static void requireFile(Path path, String option) throws NoSuchFileException {
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, option);
        }
    }

    private static List<String> summary(Map<String, NDArray> result) {
        List<String> out = new ArrayList<>();
        int grads = 0;
        int buffers = 0;
        for (Map.Entry<String, NDArray> e : result.entrySet()) {
            if (e.getKey().startsWith("grad.")) {
                grads++;
            } else if (e.getKey().startsWith("buffer.")) {
                buffers++;
            } else {
                out.add(e.getKey() + " " + Arrays.toString(e.getValue().dims()));
            }
        }
        if (grads > 0) {
            out.add(grads + " parameter gradients");
        }
        if (buffers > 0) {
            out.add(buffers + " buffers");
        }
        return out;
    }
}
