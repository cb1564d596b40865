package org.vaespark.jobs.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vaespark.core.errors.Errors;

/**
 * A training run's directory: {@code checkpoints/round-NNNNNN/}, {@code metrics.jsonl} (one
 * JSON object per round) and {@code settings.json} (the resolved configuration). Local paths
 * only for now; an hdfs:// or s3a:// run directory is refused with a clear message.
 */
public final class RunDirectory {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String METRICS = "metrics.jsonl";
    private final Path root;

    public RunDirectory(String dir) {
        this.root = local(dir);
    }

    /** A local path from a plain path or a file: URI; other schemes are refused. */
    public static Path local(String dir) {
        if (dir == null) {
            throw Errors.badConfigValue("run.dir", null, "a local directory for this run, e.g. run.dir=runs/mnist-ref");
        }
        if (dir.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            URI uri = URI.create(dir);
            if (!"file".equals(uri.getScheme())) {
                throw Errors.badConfigValue("run.dir", Errors.redact(dir), "a local directory (run directories on "
                        + uri.getScheme() + ":// are not supported yet; write locally and copy)");
            }
            return Paths.get(uri);
        }
        return Paths.get(dir).toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    /** The run's name on the leaderboard: its directory name. */
    public String name() {
        return root.getFileName().toString();
    }

    /** Creates the directory and records the settings. */
    public void create(String settingsJson) {
        try {
            Files.createDirectories(checkpoints());
            Files.writeString(root.resolve("settings.json"), settingsJson, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw Errors.jobFailed(root.toString(), "cannot create the run directory: " + e.getMessage(), "check permissions and free space", e);
        }
    }

    /**
     * Cuts metrics.jsonl back to the rounds up to {@code round} (a resumed run recomputes the later
     * ones; a line a killed driver left half-written is dropped too). The file is rewritten in a
     * temporary sibling and renamed over the old one, so a crash here leaves one or the other whole.
     */
    public void truncateMetrics(long round) {
        Path file = root.resolve(METRICS);
        if (!Files.exists(file)) {
            return;
        }
        try {
            StringBuilder kept = new StringBuilder();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                JsonNode node = parse(line);
                if (node != null && node.path("round").canConvertToLong() && node.get("round").asLong() <= round) {
                    kept.append(line).append('\n');
                }
            }
            Path tmp = root.resolve("." + METRICS + ".tmp-" + UUID.randomUUID());
            Files.writeString(tmp, kept, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw Errors.jobFailed(file.toString(), "cannot cut metrics.jsonl back to round " + round + ": " + e.getMessage(),
                    "check permissions and free space", e);
        }
    }

    private static JsonNode parse(String line) {
        try {
            return line.isBlank() ? null : JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }

    /** Appends rounds' metrics, one JSON line each, in one write. */
    public void appendMetrics(List<Map<String, Object>> lines) {
        StringBuilder text = new StringBuilder();
        try {
            for (Map<String, Object> metrics : lines) {
                text.append(JSON.writeValueAsString(metrics)).append('\n');
            }
            Files.writeString(root.resolve(METRICS), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw Errors.jobFailed(root.toString(), "cannot append to metrics.jsonl: " + e.getMessage(), "check free space", e);
        }
    }
}
