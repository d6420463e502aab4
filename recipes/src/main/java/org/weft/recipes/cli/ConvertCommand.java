package org.weft.recipes.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.weft.autograd.Tensor;
import org.weft.nn.io.KeyMapping;
import org.weft.nn.io.PthReader;
import org.weft.nn.io.StateDicts;
import org.weft.tensor.NDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft convert IN OUT}: a state dict from .pth (or safetensors) to safetensors. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Converts a state dict from a PyTorch .pth/.pt file (or safetensors) to safetensors,"
                + " replacing OUT atomically.")
final class ConvertCommand implements Callable<Integer> {

    private final KeyMappings mappings;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "a .pth/.pt file written by torch.save, or safetensors")
    private Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "the safetensors file to write")
    private Path out;

    @Option(names = "--from", paramLabel = "LIBRARY", defaultValue = "none",
            description = "rename keys from this library's names to Weft's (default: ${DEFAULT-VALUE})")
    private String from;

    @Option(names = "--key", paramLabel = "KEY",
            description = "read the state dict under this top-level key of a checkpoint (default: found)")
    private String key;

    @Option(names = "--f32", description = "widen F16 and BF16 tensors to F32")
    private boolean f32;

    ConvertCommand(KeyMappings mappings) {
        this.mappings = mappings;
    }

    @Override
    public Integer call() throws Exception {
        KeyMapping mapping = mappings.get(from);
        Map<String, NDArray> arrays;
        if (key == null) {
            arrays = StateDicts.loadArrays(in);
        } else if (StateDicts.detect(in) == StateDicts.Format.PTH) {
            arrays = PthReader.stateDict(in, key);
        } else {
            throw new IllegalArgumentException("--key picks an entry of a .pth checkpoint; " + in
                    + " is safetensors, which holds one state dict");
        }
        if (f32) {
            arrays = StateDicts.halfToF32(arrays);
        }
        Map<String, Tensor> state = mapping.apply(StateDicts.toTensors(arrays));
        StateDicts.save(out, state);
        long elements = 0;
        for (Tensor t : state.values()) {
            elements += t.numel();
        }
        spec.commandLine().getOut().println("wrote " + state.size() + " tensors (" + elements + " elements) to " + out);
        return 0;
    }
}
