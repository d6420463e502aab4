package org.weft.nn.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.weft.autograd.Tensor;
import org.weft.nn.Module;
import org.weft.nn.optim.LRScheduler;
import org.weft.nn.optim.Optimizer;
import org.weft.tensor.NDArray;
import org.weft.tensor.io.SafeTensors;
import org.weft.tensor.random.Generator;

/**
 * Everything needed to stop training and resume it exactly: the model's state dict, the
 * optimiser's state and hyper-parameters, the scheduler's state, the epoch and step, the
 * global random generator's state, and any metadata the caller adds.
 *
 * <p>It is one safetensors file: tensors named {@code model.<state dict key>} and
 * {@code optim.<param index>.<state name>}, and string metadata holding JSON for the rest.
 * {@link SafeTensors#write} writes a temporary file and renames it over the old one, so a
 * crash while saving leaves the previous checkpoint whole. Loading into the same kind of
 * objects, a training loop then takes the step it would have taken had it never stopped:
 * same parameters, same momentum, same learning rate, same dropout masks.
 *
 * <p>The random state saved is the global generator's ({@link Generator#global()}), which
 * dropout and initialisers use unless given another; a generator of the caller's own (a
 * data-loader shuffle) must be saved by the caller, for instance as its seed and offset in
 * {@code extra}.
 *
 * <pre>{@code
 * TrainingCheckpoint.save(path, model, optimizer, scheduler, epoch, step, Map.of("run", "baseline"));
 * ...
 * TrainingCheckpoint.Info resumed = TrainingCheckpoint.load(path, model, optimizer, scheduler);
 * }</pre>
 */
public final class TrainingCheckpoint {

    /** The value of the {@code format} metadata that marks a file as a training checkpoint. */
    public static final String FORMAT = "weft.training_checkpoint";
    /** Bumped when the layout changes; a loader refuses versions it does not know. */
    public static final int VERSION = 1;

    private static final String MODEL = "model.";
    private static final String OPTIM = "optim.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingCheckpoint() {
    }

    /** Where training stood when the checkpoint was saved, and the caller's metadata. */
    public record Info(long epoch, long step, Map<String, String> extra) {
    }

    /** Writes tensors and metadata to a path; {@link SafeTensors#write} in production, a failing writer in tests. */
    @FunctionalInterface
    interface Writer {
        void write(Path path, Map<String, NDArray> tensors, Map<String, String> metadata) throws IOException;
    }

    /**
     * Saves a checkpoint to {@code path}, atomically replacing any file there.
     *
     * @param scheduler null when training uses none
     * @param extra string metadata of the caller's (a run name, the best metric so far); may be empty
     */
    public static void save(Path path, Module model, Optimizer optimizer, LRScheduler scheduler, long epoch, long step,
            Map<String, String> extra) throws IOException {
        save(path, model, optimizer, scheduler, epoch, step, extra, SafeTensors::write);
    }

    static void save(Path path, Module model, Optimizer optimizer, LRScheduler scheduler, long epoch, long step,
            Map<String, String> extra, Writer writer) throws IOException {
        Objects.requireNonNull(path, "TrainingCheckpoint.save: path");
        Objects.requireNonNull(model, "TrainingCheckpoint.save: model");
        Objects.requireNonNull(optimizer, "TrainingCheckpoint.save: optimizer");
        Objects.requireNonNull(extra, "TrainingCheckpoint.save: extra (pass Map.of())");
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        model.stateDict().forEach((key, t) -> tensors.put(MODEL + key, t.data()));
        Optimizer.StateDict optimState = optimizer.stateDict();
        optimState.tensors().forEach((key, a) -> tensors.put(OPTIM + key, a));

        Map<String, Object> optimMeta = new LinkedHashMap<>();
        optimMeta.put("type", optimizer.name());
        optimMeta.put("param_groups", optimState.paramGroups());
        Generator.State rng = Generator.global().getState();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.put("format_version", Integer.toString(VERSION));
        metadata.put("epoch", Long.toString(epoch));
        metadata.put("step", Long.toString(step));
        metadata.put("optimizer", JSON.writeValueAsString(optimMeta));
        if (scheduler != null) {
            metadata.put("scheduler", JSON.writeValueAsString(scheduler.stateDict()));
        }
        metadata.put("rng", JSON.writeValueAsString(Map.of("seed", rng.seed(), "offset", rng.offset())));
        metadata.put("extra", JSON.writeValueAsString(extra));
        writer.write(path, tensors, metadata);
    }

    /**
     * Loads a checkpoint into existing objects built as the saved ones were (same module
     * structure, same optimiser type and groups, same scheduler type and settings), and
     * restores the global random generator. Either everything is restored or, on an error,
     * nothing is changed.
     *
     * @param scheduler null exactly when the checkpoint was saved without one
     * @throws IOException if the file cannot be read, is not valid safetensors, or is not a
     *     training checkpoint; the message names the file
     * @throws IllegalArgumentException if the checkpoint does not fit these objects (other
     *     keys or shapes, another optimiser); the message names the file and the difference
     */
    public static Info load(Path path, Module model, Optimizer optimizer, LRScheduler scheduler) throws IOException {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        Map<String, String> metadata;
        try (SafeTensors.Reader reader = SafeTensors.open(path)) {
            metadata = reader.metadata();
            if (!FORMAT.equals(metadata.get("format"))) {
                throw new IOException(path + ": not a Weft training checkpoint (its metadata 'format' is "
                        + (metadata.containsKey("format") ? "'" + metadata.get("format") + "'" : "absent")
                        + ", expected '" + FORMAT + "'); a plain state dict loads with Module.loadStateDict");
            }
            if (!Integer.toString(VERSION).equals(metadata.get("format_version"))) {
                throw new IOException(path + ": training checkpoint format version " + metadata.get("format_version")
                        + " is not supported (this Weft reads version " + VERSION + ")");
            }
            for (String name : reader.names()) {
                tensors.put(name, reader.get(name));
            }
        }
        long epoch = longValue(path, metadata, "epoch");
        long step = longValue(path, metadata, "step");
        Map<String, Object> optimMeta = json(path, metadata, "optimizer");
        Map<String, Object> rng = json(path, metadata, "rng");
        Map<String, Object> schedMeta = metadata.containsKey("scheduler") ? json(path, metadata, "scheduler") : null;
        Map<String, String> extra = new LinkedHashMap<>();
        json(path, metadata, "extra").forEach((k, v) -> extra.put(k, String.valueOf(v)));

        Map<String, Tensor> modelState = new LinkedHashMap<>();
        Map<String, NDArray> optimTensors = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            if (e.getKey().startsWith(MODEL)) {
                modelState.put(e.getKey().substring(MODEL.length()), Tensor.of(e.getValue()));
            } else if (e.getKey().startsWith(OPTIM)) {
                optimTensors.put(e.getKey().substring(OPTIM.length()), e.getValue());
            } else {
                throw new IOException(path + ": tensor '" + e.getKey() + "' belongs to neither the model ('" + MODEL
                        + "...') nor the optimizer ('" + OPTIM + "...')");
            }
        }
        if (!optimizer.name().equals(optimMeta.get("type"))) {
            throw new IllegalArgumentException(path + ": the checkpoint holds the state of a " + optimMeta.get("type")
                    + " optimizer, not of the " + optimizer.name() + " given");
        }
        if ((schedMeta == null) != (scheduler == null)) {
            throw new IllegalArgumentException(path + ": the checkpoint was saved " + (schedMeta == null
                    ? "without a scheduler, but one was given" : "with a " + schedMeta.get("type")
                    + " scheduler, but none was given"));
        }
        Generator.State rngState = new Generator.State(number(path, rng, "seed"), number(path, rng, "offset"));
        Optimizer.StateDict optimState = new Optimizer.StateDict(optimTensors, groups(path, optimMeta));

        // Keep what the objects hold now, so that a checkpoint that fits only in part changes nothing.
        Map<String, Tensor> modelBefore = new LinkedHashMap<>();
        model.stateDict().forEach((k, t) -> modelBefore.put(k, Tensor.of(t.data().copy())));
        Optimizer.StateDict optimBefore = optimizer.stateDict();
        Map<String, Object> schedBefore = scheduler == null ? null : scheduler.stateDict();
        try {
            model.loadStateDict(modelState, true);
            optimizer.loadStateDict(optimState);
            if (scheduler != null) {
                scheduler.loadStateDict(schedMeta);
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            model.loadStateDict(modelBefore, true);
            optimizer.loadStateDict(optimBefore);
            if (scheduler != null) {
                scheduler.loadStateDict(schedBefore);
            }
            throw new IllegalArgumentException(path + ": the checkpoint does not fit the objects given: " + e.getMessage(),
                    e);
        }
        Generator.global().setState(rngState);
        return new Info(epoch, step, Map.copyOf(extra));
    }

    private static Map<String, Object> json(Path path, Map<String, String> metadata, String key) throws IOException {
        String text = metadata.get(key);
        if (text == null) {
            throw new IOException(path + ": training checkpoint metadata '" + key + "' is missing");
        }
        try {
            return JSON.readValue(text, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IOException(path + ": training checkpoint metadata '" + key + "' is not a JSON object: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static long longValue(Path path, Map<String, String> metadata, String key) throws IOException {
        try {
            return Long.parseLong(Objects.requireNonNull(metadata.get(key)));
        } catch (NumberFormatException | NullPointerException e) {
            throw new IOException(path + ": training checkpoint metadata '" + key + "' is not an integer: "
                    + metadata.get(key));
        }
    }

    private static long number(Path path, Map<String, Object> map, String key) throws IOException {
        if (map.get(key) instanceof Number n && (n instanceof Long || n instanceof Integer)) {
            return n.longValue();
        }
        throw new IOException(path + ": training checkpoint metadata 'rng' needs an integer '" + key + "', got "
                + map.get(key));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> groups(Path path, Map<String, Object> optimMeta) throws IOException {
        Object groups = optimMeta.get("param_groups");
        if (groups instanceof List<?> list && list.stream().allMatch(g -> g instanceof Map)) {
            return (List<Map<String, Object>>) groups;
        }
        throw new IOException(path + ": training checkpoint metadata 'optimizer' needs a list 'param_groups', got "
                + groups);
    }
}
