package org.vaespark.jobs.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.config.Settings;
import org.vaespark.jobs.EvaluateJob;
import org.vaespark.jobs.eval.PerExampleSchema;
import org.vaespark.jobs.eval.ResultsTable;
import org.vaespark.jobs.leaderboard.ResultRow;
import org.vaespark.jobs.leaderboard.ResultSchema;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * The executor is recorded (issue 17, item 3) on real Spark (local[2]): a checkpoint's metadata
 * names the executor that trained it, a checkpoint trained on one executor evaluates on the other
 * with the same per-example values, every summary and per-example row names the executor that
 * evaluated it, and checkpoints and results tables written before the field existed still read.
 */
class ExecutorRecordTest {
    private static final int EXAMPLES = 12;
    private static final List<String> MOG = List.of("model.prior.kind=mog", "model.prior.components=3");
    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path byGraph;
    static Path byCpu;

    @BeforeAll
    static void runs() {
        spark = SparkTestSession.get();
        String data = SmallRuns.dataset(spark, dir, 40);
        Path runs = dir.resolve("runs");
        byGraph = SmallRuns.train(spark, data, runs, "graph", 1, 1, with(MOG, "model.backend=graph"));
        byCpu = SmallRuns.train(spark, data, runs, "cpu", 1, 1, with(MOG, "model.backend=cpu"));
    }

    private static List<String> with(List<String> base, String more) {
        return Stream.concat(base.stream(), Stream.of(more)).toList();
    }

    private static Path evaluate(Path checkpoint, String backend, String name) {
        Path results = dir.resolve(name);
        EvaluateJob.evaluate(spark, Settings.defaults("evaluate.checkpoint=" + checkpoint, "results.dir=" + results,
                "eval.k=16", "eval.chunk=8", "eval.max-examples=" + EXAMPLES, "model.backend=" + backend));
        return results;
    }

    private static Path perExampleDir(Path results) throws Exception {
        try (Stream<Path> dirs = Files.walk(results)) {
            return dirs.filter(f -> f.getFileName().toString().equals(ResultsTable.PER_EXAMPLE)).findFirst().orElseThrow();
        }
    }

    private static Path summaryDir(Path results) throws Exception {
        try (Stream<Path> dirs = Files.walk(results.resolve("evaluations"))) {
            return dirs.filter(f -> f.getFileName().toString().equals(ResultsTable.SUMMARY)).findFirst().orElseThrow();
        }
    }

    /** id -> (log-likelihood, executor) of an evaluation's per-example table. */
    private static Map<Long, Row> perExample(Path results) throws Exception {
        Map<Long, Row> out = new HashMap<>();
        for (Row r : spark.read().parquet(perExampleDir(results).toString()).collectAsList()) {
            out.put(r.getLong(r.fieldIndex(PerExampleSchema.ID)), r);
        }
        return out;
    }

    private static void assertEvaluatedBy(String executor, Path results) throws Exception {
        List<ResultRow> rows = new ResultsTable(spark, results.toString()).readAll();
        assertEquals(2, rows.size(), "IWAE and ELBO rows");
        for (ResultRow r : rows) {
            assertEquals(executor, r.executor(), r.toString());
        }
        Map<Long, Row> examples = perExample(results);
        assertEquals(EXAMPLES, examples.size());
        for (Row r : examples.values()) {
            assertEquals(executor, r.getString(r.fieldIndex(PerExampleSchema.EXECUTOR)), r.toString());
        }
    }

    private static void assertSameValues(Path a, Path b) throws Exception {
        Map<Long, Row> x = perExample(a);
        Map<Long, Row> y = perExample(b);
        assertEquals(x.keySet(), y.keySet());
        for (long id : x.keySet()) {
            for (String column : List.of(PerExampleSchema.LOG_LIKELIHOOD, PerExampleSchema.ELBO)) {
                double u = x.get(id).getDouble(x.get(id).fieldIndex(column));
                double v = y.get(id).getDouble(y.get(id).fieldIndex(column));
                assertEquals(u, v, Math.max(1e-3, 1e-5 * Math.abs(u)), column + " of example " + id + " on the two executors");
            }
        }
    }

    @Test
    void theCheckpointRecordsTheExecutorThatTrainedIt() throws Exception {
        assertEquals("graph", CheckpointIO.read(byGraph).metadata().executor());
        assertEquals("cpu", CheckpointIO.read(byCpu).metadata().executor());
        String json = Files.readString(byGraph.resolve(CheckpointIO.METADATA));
        assertTrue(json.contains("\"executor\" : \"graph\""), "readable in metadata.json: " + json);
    }

    @Test
    void aGraphCheckpointEvaluatesOnTheCpuExecutorAndTheReverse() throws Exception {
        Path graphOnCpu = evaluate(byGraph, "cpu", "graph-on-cpu");
        Path graphOnGraph = evaluate(byGraph, "graph", "graph-on-graph");
        assertEvaluatedBy("cpu", graphOnCpu);
        assertEvaluatedBy("graph", graphOnGraph);
        assertSameValues(graphOnGraph, graphOnCpu);

        Path cpuOnGraph = evaluate(byCpu, "graph", "cpu-on-graph");
        Path cpuOnAuto = evaluate(byCpu, "auto", "cpu-on-auto");
        assertEvaluatedBy("graph", cpuOnGraph);
        assertEvaluatedBy("cpu", cpuOnAuto);
        assertSameValues(cpuOnGraph, cpuOnAuto);
    }

    @Test
    void aCheckpointWrittenBeforeTheFieldStillLoadsAndEvaluates() throws Exception {
        Path old = dir.resolve("runs/old/checkpoints").resolve(byCpu.getFileName());
        FileUtils.copyDirectory(byCpu.toFile(), old.toFile());
        ObjectMapper json = new ObjectMapper();
        ObjectNode meta = (ObjectNode) json.readTree(old.resolve(CheckpointIO.METADATA).toFile());
        assertTrue(meta.has("executor"));
        meta.remove("executor");
        json.writeValue(old.resolve(CheckpointIO.METADATA).toFile(), meta);

        assertNull(CheckpointIO.read(old).metadata().executor());
        assertEvaluatedBy("graph", evaluate(old, "graph", "old-checkpoint"));
    }

    @Test
    void aResultsTableWrittenBeforeTheColumnStillReads() throws Exception {
        Path results = evaluate(byGraph, "cpu", "old-table");
        ResultsTable table = new ResultsTable(spark, results.toString());
        List<ResultRow> now = table.readAll();
        Path summary = summaryDir(results);
        StructType oldSchema = new StructType(Arrays.copyOf(ResultSchema.SCHEMA.fields(), ResultSchema.SCHEMA.fieldIndex(ResultSchema.EXECUTOR)));
        List<Row> oldRows = now.stream().map(r -> {
            Row full = r.toRow();
            Object[] v = new Object[oldSchema.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = full.get(i);
            }
            return RowFactory.create(v);
        }).toList();
        FileUtils.deleteDirectory(summary.toFile());
        spark.createDataFrame(oldRows, oldSchema).coalesce(1).write().parquet(summary.toString());
        assertEquals(List.of(oldSchema.fieldNames()), List.of(spark.read().parquet(summary.toString()).columns()),
                "the rewritten table has no executor column");

        List<ResultRow> read = table.readAll();
        assertEquals(now.size(), read.size());
        for (ResultRow r : read) {
            assertNull(r.executor(), r.toString());
            assertNull(r.selection(), r.toString());
            ResultRow before = now.stream().filter(n -> n.metric().equals(r.metric())).findFirst().orElseThrow();
            assertEquals("cpu", before.executor());
            assertEquals("hash-subset n=" + EXAMPLES + " seed=21", before.selection(), "a partial evaluation says which subset");
            assertEquals(before.mean(), r.mean(), 0.0);
        }
    }
}
