package org.vaespark.core.checkpoint;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.model.structure.ModelDescription;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.optim.AdamState;

/**
 * Writes and reads checkpoints as directories a person can read:
 * <pre>
 * round-000050/
 *   metadata.json                 format version, resolved config, step, seed, versions
 *   params/&lt;name&gt;.npy            one float32 NumPy array per parameter
 *   optimizer/adam_m/&lt;name&gt;.npy   Adam first moments
 *   optimizer/adam_v/&lt;name&gt;.npy   Adam second moments
 *   model.safetensors             the parameters under PyTorch names and layouts ({@link SafetensorsExport}, docs/export.md)
 * </pre>
 * A checkpoint is written into a hidden temporary sibling and renamed into place, so a crash
 * never leaves a half-written checkpoint under a visible name. {@code metadata.json} is the commit
 * marker: it is written last, and a {@code round-*} directory without it is not a checkpoint (a
 * store without atomic directory rename could show one half-copied). Loading rebuilds the parameter
 * layout from the stored config and checks every array ("expected X, found Y"); a damaged file (a
 * truncated or garbled array, a bad marker) is one message naming it ({@link Errors#damagedCheckpoint}).
 * {@link #readLatest} passes over a newest directory that does not load to the one before.
 */
public final class CheckpointIO {
    public static final String METADATA = "metadata.json";
    public static final String SAFETENSORS = "model.safetensors";
    private static final String PARAMS = "params";
    private static final String ADAM_M = "optimizer/adam_m";
    private static final String ADAM_V = "optimizer/adam_v";
    private static final String PREFIX = "round-";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CheckpointIO() {
    }

    /** The directory name of the checkpoint after {@code round} rounds. */
    public static String name(long round) {
        return String.format("%s%06d", PREFIX, round);
    }

    /** Writes {@code checkpoint} as {@code parent/round-NNNNNN}, atomically; returns its path. */
    public static Path write(Path parent, Checkpoint checkpoint) {
        Path target = parent.resolve(name(checkpoint.metadata().round()));
        Path tmp = parent.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(parent);
            Files.createDirectories(tmp.resolve(PARAMS));
            Files.createDirectories(tmp.resolve(ADAM_M));
            Files.createDirectories(tmp.resolve(ADAM_V));
            writeArrays(tmp.resolve(PARAMS), checkpoint.parameters());
            writeArrays(tmp.resolve(ADAM_M), checkpoint.adam().m());
            writeArrays(tmp.resolve(ADAM_V), checkpoint.adam().v());
            SafetensorsExport.write(tmp.resolve(SAFETENSORS), checkpoint.modelConfig(), checkpoint.parameters());
            JSON.writeValue(tmp.resolve(METADATA).toFile(), checkpoint.metadata());
            // an existing checkpoint of the same round is moved aside, never deleted before the new one is in place
            Path old = Files.exists(target) ? parent.resolve("." + target.getFileName() + ".old-" + UUID.randomUUID()) : null;
            if (old != null) {
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            if (old != null) {
                deleteTree(old);
            }
            return target;
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw Errors.jobFailed(target.toString(), "cannot write checkpoint: " + e.getMessage(),
                    "check that the runs directory is writable and has free space", e);
        }
    }

    /** Reads a checkpoint directory and checks every array against the layout its config implies. */
    public static Checkpoint read(Path dir) {
        return read(dir, dir.toString());
    }

    /**
     * Reads a checkpoint directory; errors name its files under {@code shownAs} (e.g. the remote
     * directory a local copy came from). A damaged file (a truncated or garbled array, a
     * {@code metadata.json} that is not JSON or lacks a field) is one message that names it.
     */
    public static Checkpoint read(Path dir, String shownAs) {
        Path meta = dir.resolve(METADATA);
        if (!Files.isRegularFile(meta)) {
            throw Errors.missingInput(shownAs, "a checkpoint directory containing " + METADATA);
        }
        CheckpointMetadata metadata = readMetadata(meta, shownAs + "/" + METADATA);
        if (metadata.formatVersion() != CheckpointMetadata.FORMAT_VERSION) {
            throw Errors.incompatibleCheckpoint(shownAs, "unknown checkpoint format version",
                    CheckpointMetadata.FORMAT_VERSION, metadata.formatVersion());
        }
        Checkpoint partial = new Checkpoint(metadata, null, null);
        try {
            partial.settings();
        } catch (VaeException e) {
            throw Errors.damagedCheckpoint(shownAs + "/" + METADATA, "its \"settings\" field is not a readable configuration ("
                    + e.getMessage() + ")", e);
        }
        Map<String, long[]> layout = ModelDescription.layout(partial.modelConfig()).shapes();
        NamedArrays params = readArrays(dir, shownAs, PARAMS, layout);
        AdamState adam = new AdamState(readArrays(dir, shownAs, ADAM_M, layout), readArrays(dir, shownAs, ADAM_V, layout),
                metadata.adamStep());
        return new Checkpoint(metadata, params, adam);
    }

    /** The {@code metadata.json} of the checkpoint directory {@code dir}, without its arrays. */
    public static CheckpointMetadata readMetadata(Path dir) {
        return readMetadata(dir.resolve(METADATA), dir.resolve(METADATA).toString());
    }

    /** Fields every metadata.json has; without one the file was cut short or edited. */
    private static final List<String> REQUIRED = List.of("formatVersion", "settings", "inputDim", "round", "adamStep");

    /** Parses {@code metadata.json}: invalid JSON or a missing field is a damaged checkpoint naming the file. */
    private static CheckpointMetadata readMetadata(Path meta, String shownAs) {
        JsonNode tree;
        try (InputStream in = Files.newInputStream(meta)) {
            tree = metadataTree(in, shownAs);
        } catch (IOException e) {
            throw Errors.jobFailed(shownAs, "cannot read checkpoint metadata: " + e.getMessage(), "check the file's permissions", e);
        }
        try {
            return JSON.treeToValue(tree, CheckpointMetadata.class);
        } catch (JsonProcessingException e) {
            throw Errors.damagedCheckpoint(shownAs, "a field has the wrong type (" + reason(e) + ")", e);
        }
    }

    /**
     * The JSON tree of a {@code metadata.json} read from {@code in} (any file system); {@code shownAs}
     * names the file in errors. Invalid JSON, or a missing {@code formatVersion}, {@code settings},
     * {@code inputDim}, {@code round} or {@code adamStep}, is a {@link Errors#damagedCheckpoint}.
     */
    public static JsonNode metadataTree(InputStream in, String shownAs) throws IOException {
        JsonNode tree;
        try {
            tree = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw Errors.damagedCheckpoint(shownAs, "it is not valid JSON (" + (at == null ? "" : "line " + at.getLineNr()
                    + ", column " + at.getColumnNr() + ": ") + reason(e) + ")", e);
        }
        if (tree == null || !tree.isObject()) {
            throw Errors.damagedCheckpoint(shownAs, "it is empty or not a JSON object", null);
        }
        for (String field : REQUIRED) {
            if (tree.get(field) == null || tree.get(field).isNull()) {
                throw Errors.damagedCheckpoint(shownAs, "it has no \"" + field + "\" field", null);
            }
        }
        return tree;
    }

    /** Jackson's reason without its source excerpt and location (the message names the file already). */
    private static String reason(JsonProcessingException e) {
        String first = e.getOriginalMessage().lines().findFirst().orElse("").trim();
        int source = first.indexOf(" (start marker at [Source");
        return source > 0 ? first.substring(0, source) : first;
    }

    /** The committed checkpoints under {@code parent}, oldest first (hidden temporary directories are ignored). */
    public static List<Path> list(Path parent) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path p : ds) {
                if (Files.isRegularFile(p.resolve(METADATA))) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw Errors.jobFailed(parent.toString(), "cannot list checkpoints: " + e.getMessage(), "check the runs directory", e);
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }

    /** A checkpoint that loaded, and its directory. */
    public record Committed(Path dir, Checkpoint checkpoint) {
    }

    /**
     * The newest checkpoint under {@code parent} that loads completely, newest first: a directory
     * whose marker or arrays are unreadable, truncated or missing was never committed whole and is
     * passed over (reported to {@code skipped}), so a resumed run continues from the previous one.
     * Empty when there is no checkpoint; an error when there are some and none loads.
     */
    public static Optional<Committed> readLatest(Path parent, BiConsumer<Path, String> skipped) {
        List<Path> all = list(parent);
        List<String> failures = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                return Optional.of(new Committed(all.get(i), read(all.get(i))));
            } catch (RuntimeException e) {
                skipped.accept(all.get(i), e.getMessage());
                failures.add(all.get(i).getFileName() + ": " + e.getMessage());
            }
        }
        if (!all.isEmpty()) {
            throw Errors.jobFailed(parent.toString(), "none of the " + all.size() + " checkpoints loads: " + failures,
                    "restore a checkpoint from a copy, or start a new run directory", null);
        }
        return Optional.empty();
    }

    /**
     * Tidies what a writer that died left under {@code parent}: hidden temporary directories are
     * deleted, and a checkpoint moved aside for a rewrite of the same round whose replacement never
     * arrived is moved back. Call it only while no writer is running (a resuming driver, before training).
     * Returns what was done, one line each.
     */
    public static List<String> cleanUp(Path parent) {
        List<String> done = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return done;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, "." + PREFIX + "*")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                int old = n.indexOf(".old-");
                Path target = old > 0 ? parent.resolve(n.substring(1, old)) : null;
                if (target != null && !Files.exists(target) && Files.isRegularFile(p.resolve(METADATA))) {
                    Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
                    done.add("restored " + target.getFileName() + " from " + n);
                } else if (n.contains(".tmp-") || old > 0) {
                    deleteTree(p);
                    done.add("deleted " + n);
                }
            }
        } catch (IOException e) {
            throw Errors.jobFailed(parent.toString(), "cannot clean up temporary checkpoint directories: " + e.getMessage(),
                    "check permissions of the runs directory", e);
        }
        return done;
    }

    /** The newest committed checkpoint under {@code parent}, if any. */
    public static Optional<Path> latest(Path parent) {
        List<Path> all = list(parent);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    private static void writeArrays(Path dir, NamedArrays arrays) throws IOException {
        for (String name : arrays.names()) {
            Npy.write(dir.resolve(name + ".npy"), arrays.shape(name), arrays.values(name));
        }
    }

    private static NamedArrays readArrays(Path dir, String shownAs, String sub, Map<String, long[]> layout) {
        NamedArrays.Builder b = NamedArrays.builder();
        for (Map.Entry<String, long[]> e : layout.entrySet()) {
            String name = sub + "/" + e.getKey() + ".npy";
            Path f = dir.resolve(name);
            if (!Files.isRegularFile(f)) {
                throw Errors.incompatibleCheckpoint(shownAs, "missing array " + name,
                        "the arrays of the stored model config", "no such file");
            }
            Npy.Array a;
            try {
                a = Npy.read(f, shownAs + "/" + name);
            } catch (IOException ex) {
                throw Errors.jobFailed(shownAs + "/" + name, "cannot read array: " + ex.getMessage(), "check the file's permissions", ex);
            }
            if (!Arrays.equals(a.shape(), e.getValue())) {
                throw Errors.incompatibleCheckpoint(shownAs + "/" + name, "array " + e.getKey() + " has the wrong shape",
                        Arrays.toString(e.getValue()), Arrays.toString(a.shape()));
            }
            b.put(e.getKey(), a.shape(), a.values());
        }
        return b.build();
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void deleteQuietly(Path root) {
        try {
            deleteTree(root);
        } catch (IOException ignored) {
            // best effort: the directory is hidden and never read
        }
    }
}
