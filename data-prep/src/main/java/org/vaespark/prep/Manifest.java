package org.vaespark.prep;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.errors.Errors;
import org.vaespark.prep.source.SourceData;

/**
 * {@code _manifest.json} at the root of a prepared dataset: what the data are (source, image
 * shape, pixel encoding, counts per split) and where they came from (source files with size and
 * SHA-256, tool version, creation time). A dataset derived from another prepared one
 * ({@code prepare.source = transform}) keeps the source's name and records the transform applied
 * (e.g. {@code grey-crop-28x28-static-binarized-seed-0}); null for data as published. Training reads it to learn the input shape and whether
 * pixels are already binary. Readers reject format versions they do not know.
 *
 * <p>The leading underscore makes Spark, pyarrow, pandas and DuckDB skip the file when they list the
 * dataset's directory (as they skip {@code _SUCCESS}), so a plain {@code spark.read().parquet(dir)}
 * opens the splits. Datasets written before the rename carry {@link #LEGACY_FILE_NAME}; they still load,
 * with a warning that gives the one rename that migrates them.
 */
public record Manifest(
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("source") String source,
        @JsonProperty("height") int height,
        @JsonProperty("width") int width,
        @JsonProperty("channels") int channels,
        @JsonProperty("pixel_encoding") String pixelEncoding,
        @JsonProperty("binarized") boolean binarized,
        @JsonProperty("counts") Map<String, Long> counts,
        @JsonProperty("source_files") List<SourceFile> sourceFiles,
        @JsonProperty("tool_version") String toolVersion,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("dataset_version") String datasetVersion,
        @JsonProperty("content_sha256") String contentSha256,
        @JsonProperty("transform") String transform) {

    public static final int FORMAT_VERSION = 1;
    public static final String FILE_NAME = "_manifest.json";
    /** The manifest's name before {@link #FILE_NAME}; generic Parquet readers fail on a directory that holds it. */
    public static final String LEGACY_FILE_NAME = "manifest.json";
    private static final Logger LOG = LoggerFactory.getLogger(Manifest.class);
    /** Legacy manifests already warned about, so a job that reads one several times says so once. */
    private static final Set<Path> WARNED = ConcurrentHashMap.newKeySet();

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One raw input file exactly as given (compressed or not). */
    public record SourceFile(@JsonProperty("name") String name, @JsonProperty("bytes") long bytes,
                             @JsonProperty("sha256") String sha256) {
    }

    public Manifest {
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        sourceFiles = List.copyOf(sourceFiles);
    }

    /** The manifest of freshly read source data, stamped with this build's version and {@code createdAt}. */
    public static Manifest of(SourceData data, Instant createdAt) {
        return new Manifest(FORMAT_VERSION, data.kind().id(), data.height(), data.width(), data.channels(),
                data.kind().pixelEncoding(), data.kind().binarized(), data.counts(), data.files(),
                ToolVersion.get(), createdAt.toString(), null, null, null);
    }

    /**
     * A copy naming the published version of the dataset (ImageNet 64x64 exists as van den Oord et
     * al. 2016 PNGs and Chrabaszcz et al. 2017 pickles, which are not comparable); null when the
     * dataset has only one version.
     */
    public Manifest withDatasetVersion(String version) {
        return new Manifest(formatVersion, source, height, width, channels, pixelEncoding, binarized, counts, sourceFiles,
                toolVersion, createdAt, version, contentSha256, transform);
    }

    /** A copy carrying the {@link org.vaespark.prep.validate.ContentHash} of the rows written. */
    public Manifest withContentSha256(String hash) {
        return new Manifest(formatVersion, source, height, width, channels, pixelEncoding, binarized, counts, sourceFiles,
                toolVersion, createdAt, datasetVersion, hash, transform);
    }

    /**
     * The dataset as results should name it: the source, followed by the transform when the data
     * were derived from it, e.g. {@code cifar10+grey-crop-28x28-static-binarized-seed-0}.
     */
    public String name() {
        return transform == null ? source : source + "+" + transform;
    }

    /** Height, width and channels of every image. */
    public org.vaespark.core.model.ImageShape imageShape() {
        return new org.vaespark.core.model.ImageShape(height, width, channels);
    }

    /** Values per image, {@code height * width * channels}. */
    public int dimension() {
        return height * width * channels;
    }

    /** Number of images of {@code split}, 0 when the dataset has no such split. */
    public long count(String split) {
        return counts.getOrDefault(split, 0L);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw Errors.jobFailed("manifest", "cannot serialize the manifest (" + e.getMessage() + ")",
                    "report this as a bug", e);
        }
    }

    /** Parses {@code json}; {@code origin} names the file in error messages. */
    public static Manifest fromJson(String json, String origin) {
        try {
            JsonNode tree = JSON.readTree(json);
            JsonNode version = tree == null ? null : tree.get("format_version");
            if (version == null || !version.canConvertToInt()) {
                throw Errors.corruptFile(origin, "format_version", "not a dataset manifest: no integer format_version",
                        "re-run the prepare job to write the dataset again");
            }
            if (version.asInt() != FORMAT_VERSION) {
                throw Errors.corruptFile(origin, "format_version", "unsupported manifest format version: expected "
                        + FORMAT_VERSION + ", found " + version.asInt(),
                        "read it with the vae-spark version that wrote it, or re-run the prepare job");
            }
            Manifest m = JSON.treeToValue(tree, Manifest.class);
            if (m.height() <= 0 || m.width() <= 0 || m.channels() <= 0 || m.counts().isEmpty()) {
                throw Errors.corruptFile(origin, "shape", "the manifest has shape " + m.height() + "x" + m.width() + "x"
                        + m.channels() + " and splits " + m.counts().keySet(), "re-run the prepare job");
            }
            return m;
        } catch (JsonProcessingException e) {
            throw Errors.corruptFile(origin, null, "the manifest is not valid JSON of the expected form ("
                    + e.getOriginalMessage() + ")", "re-run the prepare job to write the dataset again", e);
        }
    }

    /** Writes {@code <dir>/_manifest.json}, failing if it exists. */
    public void write(FileSystem fs, Path dir) {
        Path file = new Path(dir, FILE_NAME);
        try (OutputStream out = fs.create(file, false)) {
            out.write(toJson().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw Errors.jobFailed(file.toString(), "cannot write the manifest (" + e + ")",
                    "check write permission and free space at the output path", e);
        }
    }

    /** Reads {@code <root>/_manifest.json} of a prepared dataset, or its legacy {@code manifest.json} with a warning. */
    public static Manifest read(FileSystem fs, Path root) {
        Path file = file(fs, root);
        try (InputStream in = fs.open(file)) {
            return fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw Errors.jobFailed(file.toString(), "cannot read the manifest (" + e + ")",
                    "check the path and the storage credentials", e);
        }
    }

    /**
     * The manifest file of the dataset directory {@code root}: {@code _manifest.json}, else a legacy
     * {@code manifest.json} (logging how to migrate it); fails when there is neither.
     */
    public static Path file(FileSystem fs, Path root) {
        Path file = new Path(root, FILE_NAME);
        Path legacy = new Path(root, LEGACY_FILE_NAME);
        try {
            if (fs.exists(file)) {
                return file;
            }
            if (fs.exists(legacy)) {
                if (WARNED.add(legacy)) {
                    LOG.warn("{} uses the legacy manifest name {}: it still loads, but plain Parquet readers (Spark, pyarrow, "
                            + "DuckDB) fail on this directory. Migrate it by renaming the file to {} (mv, hdfs dfs -mv "
                            + "or aws s3 mv {} {}); the content hash is unchanged", Errors.redact(root.toString()),
                            LEGACY_FILE_NAME, FILE_NAME, Errors.redact(legacy.toString()), Errors.redact(file.toString()));
                }
                return legacy;
            }
        } catch (IOException e) {
            throw Errors.jobFailed(file.toString(), "cannot look for the manifest (" + e + ")",
                    "check the path and the storage credentials", e);
        }
        throw Errors.missingInput(file.toString(), "a dataset written by the prepare job (" + FILE_NAME
                + " at its root); run the prepare job first or fix data.path");
    }

    /** Whether {@code dir} holds a manifest under its current or its legacy name. */
    public static boolean exists(FileSystem fs, Path dir) throws IOException {
        return fs.exists(new Path(dir, FILE_NAME)) || fs.exists(new Path(dir, LEGACY_FILE_NAME));
    }
}
