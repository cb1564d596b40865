package org.vaespark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.blas.Blas;
import org.vaespark.core.config.Settings;
import org.vaespark.jobs.bench.FamilyReport;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * FamilyBenchmarkJob's speed part through {@code run(...)} on a tiny configuration (a 784-32-4
 * model, a few steps, k = 20): one variant on the executor {@code auto} picks, one forced onto the
 * graph; every figure the output promises is there and finite.
 */
class FamilyBenchmarkJobTest {
    private static final List<String> ROW_KEYS = List.of("experiment", "model", "dataset", "executor", "executor_reason", "threads", "layout",
            "batch_size", "samples", "load_average_at_start", "train_flops_per_example", "forward_flops_per_example_by_component",
            "parameters", "train_warmup_steps", "train_warmup_seconds", "train_memory_early", "train_steps_per_run",
            "train_examples_per_s", "train_examples_model_gflops", "train_examples_fraction_of_sgemm", "train_examples_runs_per_s",
            "train_examples_runs_fraction_of_sgemm", "train_examples_sgemm_gflops", "train_memory_late",
            "graph_train_examples_per_s", "graph_train_examples_model_gflops", "graph_train_examples_fraction_of_sgemm", "graph_run",
            "speedup_over_graph", "iwae_memory_small_k", "iwae_executor", "iwae_executor_reason", "iwae_k", "iwae_chunk",
            "iwae_images_per_run", "iwae_flops_per_sample", "iwae_images_per_s", "iwae_images_model_gflops",
            "iwae_images_fraction_of_sgemm", "iwae_images_runs_per_s", "iwae_images_sgemm_gflops", "iwae_memory_k", "load_average_at_end");
    private static final List<String> MEMORY_KEYS = List.of("heap_used_mb", "resident_mb", "vm_rss_mb", "vm_hwm_mb");

    @TempDir
    Path dir;

    @Test
    void tinySpeedRunHasEveryFigureFinite() throws Exception {
        SparkSession spark = SparkTestSession.get();
        String data = BenchData.binarizedMnist(spark, dir, 60);
        Path model = dir.resolve("tiny.conf");
        Files.writeString(model, "model.encoder.hidden = [32]\nmodel.decoder.hidden = [32]\nmodel.latent-dim = 4\ntrain.batch-size = 20\n"
                + "eval.chunk = 10\n");
        Path graph = dir.resolve("tiny-graph.conf");
        Files.writeString(graph, Files.readString(model) + "model.backend = graph\n");
        Path out = dir.resolve("family.json");
        Settings s = Settings.defaults("benchmark.family.experiments=[]",
                "benchmark.family.throughput=[\"" + model + "\", \"" + graph + "\"]",
                "benchmark.family.throughput-overrides=[\"data.path=" + data + "\"]",
                "benchmark.family.warmup-steps=3", "benchmark.family.throughput-steps=3", "benchmark.family.paired-runs=3",
                "benchmark.family.paired-warm-steps=1", "benchmark.family.graph-warmup-steps=1", "benchmark.family.graph-steps=2",
                "benchmark.family.iwae-k=20", "benchmark.family.iwae-memory-k=5", "benchmark.family.iwae-speed-images=4",
                "benchmark.family.output=" + out);
        long t0 = System.nanoTime();
        new FamilyBenchmarkJob().run(spark, s);
        double seconds = (System.nanoTime() - t0) / 1e9;

        JsonNode root = new ObjectMapper().readTree(out.toFile());
        for (String key : List.of("cores", "native_build_summary", "native_build", "speed_method", "speed_options", "throughput")) {
            assertTrue(root.has(key), "top-level key " + key);
        }
        for (String key : List.of("javacpp_platform", "platform_extension", "classifier", "loaded_build", "nd4j_native_jars", "blas_vendor", "build_info")) {
            assertTrue(root.get("native_build").has(key), "native_build." + key);
        }
        String loaded = root.get("native_build").get("loaded_build").asText();
        assertTrue(loaded.startsWith("linux-x86_64"), "the loaded build is named by its classifier: " + loaded);
        assertTrue(root.get("native_build_summary").asText().startsWith(loaded), root.get("native_build_summary").asText());
        JsonNode rows = root.get("throughput");
        assertEquals(2, rows.size());
        for (JsonNode row : rows) {
            for (String key : ROW_KEYS) {
                assertTrue(row.has(key), row.get("experiment") + ": key " + key);
            }
            for (String memory : List.of("train_memory_early", "train_memory_late", "iwae_memory_small_k", "iwae_memory_k")) {
                for (String key : MEMORY_KEYS) {
                    assertTrue(row.get(memory).has(key), row.get("experiment") + ": " + memory + "." + key);
                }
            }
            assertEquals(3, row.get("train_examples_runs_per_s").size(), "three paired training runs");
            assertEquals(4, row.get("train_examples_sgemm_gflops").size(), "an sgemm reading around every run");
            assertEquals(3, row.get("iwae_images_runs_per_s").size(), "three paired IWAE runs");
            assertTrue(row.get("train_examples_fraction_of_sgemm").asDouble() > 0);
            assertTrue(row.get("iwae_images_fraction_of_sgemm").asDouble() > 0);
        }
        assertEquals(Blas.available() ? "cpu" : "graph", rows.get(0).get("executor").asText(), "auto takes the CPU executor for an MLP");
        assertEquals("graph", rows.get(1).get("executor").asText());
        assertEquals(1.0, rows.get(1).get("speedup_over_graph").asDouble());
        List<String> bad = new ArrayList<>();
        finite(root, "", bad);
        assertTrue(bad.isEmpty(), "values that are not finite or are empty: " + bad);
        String md = Files.readString(FamilyReport.markdownFile(out));
        assertTrue(md.contains("| tiny |") && md.contains("| tiny-graph |"), md);
        assertFalse(md.contains("NaN"), md);
        assertTrue(seconds < 60, "the tiny run took " + seconds + " s");
    }

    /** Collects the paths of every null, non-finite number, "NaN"/"Infinity" string or empty string under {@code node}. */
    private static void finite(JsonNode node, String path, List<String> bad) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> finite(e.getValue(), path + "." + e.getKey(), bad));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                finite(node.get(i), path + "[" + i + "]", bad);
            }
        } else if (node.isNumber()) {
            if (!Double.isFinite(node.asDouble())) {
                bad.add(path + "=" + node);
            }
        } else if (node.isNull() || node.isTextual() && (node.asText().isBlank() || node.asText().matches("-?(NaN|Infinity)"))) {
            bad.add(path + "=" + node);
        }
    }
}
