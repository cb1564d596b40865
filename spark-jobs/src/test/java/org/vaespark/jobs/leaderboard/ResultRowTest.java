package org.vaespark.jobs.leaderboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.vaespark.core.errors.VaeException;

class ResultRowTest {
    private final ResultRow full = TestRows.staticIwae("vamp", -85.123456789, "2024-05-01T10:15:30Z");
    private final ResultRow sparse = new ResultRow("cifar10", null, null, "conv", "s3a://bucket/runs/conv/ckpt-7", 7L,
            "test", "elbo", 1, -6500.5, Double.NaN, 1L, 3L, "convVAE", 10L, 0L, null, 2.0, "2024-05-01T12:00:00+02:00");

    @Test
    void schemaMatchesTheRecord() {
        assertEquals(ResultRow.class.getRecordComponents().length, ResultSchema.SCHEMA.size());
        assertEquals(List.of("dataset", "binarization", "dataset_version", "run", "checkpoint", "step", "split",
                "metric", "estimator_k", "mean", "stderr", "n", "seed", "model", "parameters", "examples_seen",
                "train_wall_seconds", "eval_wall_seconds", "evaluated_at", "bits_per_dim", "note", "executor", "selection"), ResultSchema.COLUMNS);
        List<String> nullable = new ArrayList<>();
        for (StructField f : ResultSchema.SCHEMA.fields()) {
            if (f.nullable()) {
                nullable.add(f.name());
            }
        }
        assertEquals(List.of("binarization", "dataset_version", "train_wall_seconds", "bits_per_dim", "note", "executor", "selection"), nullable);
    }

    @Test
    void roundTripsThroughAPositionalRow() {
        Row row = full.toRow();
        assertEquals(ResultSchema.SCHEMA.size(), row.length());
        assertEquals(full, ResultRow.fromRow(RowFactory.create(valuesOf(row))));
        Row sparseRow = sparse.toRow();
        assertTrue(sparseRow.isNullAt(ResultSchema.SCHEMA.fieldIndex(ResultSchema.BINARIZATION)));
        assertTrue(sparseRow.isNullAt(ResultSchema.SCHEMA.fieldIndex(ResultSchema.TRAIN_WALL_SECONDS)));
        ResultRow back = ResultRow.fromRow(sparseRow);
        assertEquals(sparse, back);
        assertNull(back.trainWallSeconds());
        assertTrue(Double.isNaN(back.stderr()));
    }

    @Test
    void recordsTheExecutorAndReadsRowsWrittenBeforeIt() {
        ResultRow cpu = withExecutor(full, "cpu");
        assertEquals("cpu", ResultRow.fromRow(RowFactory.create(valuesOf(cpu.toRow()))).executor());
        int oldWidth = ResultSchema.SCHEMA.fieldIndex(ResultSchema.EXECUTOR);
        Object[] old = Arrays.copyOf(valuesOf(cpu.toRow()), oldWidth);
        assertEquals(full, ResultRow.fromRow(RowFactory.create(old)), "a positional row of the old width reads with a null executor");
        StructType oldSchema = new StructType(Arrays.copyOf(ResultSchema.SCHEMA.fields(), oldWidth));
        ResultRow byName = ResultRow.fromRow(new GenericRowWithSchema(old, oldSchema));
        assertNull(byName.executor(), "a table without the column reads with a null executor");
        assertEquals(full, byName);
        assertInvalid("executor", () -> withExecutor(full, " "));
    }

    @Test
    void recordsHowTheExamplesWereChosenAndReadsRowsWrittenBeforeIt() {
        ResultRow subset = withSelection(full, "hash-subset n=1000 seed=21");
        ResultRow back = ResultRow.fromRow(RowFactory.create(valuesOf(subset.toRow())));
        assertEquals("hash-subset n=1000 seed=21", back.selection());
        assertTrue(back.partial());
        assertFalse(withSelection(full, "all").partial());
        assertFalse(full.partial(), "a row that predates the column is not known to be partial");
        Object[] old = Arrays.copyOf(valuesOf(subset.toRow()), ResultSchema.SCHEMA.size() - 1);
        assertNull(ResultRow.fromRow(RowFactory.create(old)).selection(), "a positional row without the column");
        assertInvalid("selection", () -> withSelection(full, ""));
    }

    @Test
    void readsByNameWhenTheRowHasASchema() {
        List<StructField> fields = new ArrayList<>(List.of(ResultSchema.SCHEMA.fields()));
        Object[] values = valuesOf(full.toRow());
        List<Object> vals = new ArrayList<>(Arrays.asList(values));
        Collections.reverse(fields);
        Collections.reverse(vals);
        Row reordered = new GenericRowWithSchema(vals.toArray(), new StructType(fields.toArray(new StructField[0])));
        assertEquals(full, ResultRow.fromRow(reordered));
    }

    @Test
    void isSerializable() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(full);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(full, in.readObject());
        }
    }

    @Test
    void derivedValues() {
        assertEquals(85.123456789, full.nll());
        assertEquals("IWAE-5000", full.estimatorLabel());
        assertEquals("ELBO", sparse.estimatorLabel());
        assertEquals(new ResultRow.Key("vamp", "runs/vamp/ckpt-1000", "test", "iwae", 5000, null), full.key());
        assertEquals(java.time.Instant.parse("2024-05-01T10:00:00Z"), sparse.evaluatedInstant());
    }

    @Test
    void rejectsImpossibleValues() {
        assertInvalid("metric", () -> new ResultRow("binarized-mnist", "static", null, "r", "c", 1L, "test", "nll", 5000,
                -85.0, 0.2, 10L, 1L, "m", 10L, 0L, null, 1.0, "2024-05-01T10:15:30Z"));
        assertInvalid("estimator_k", () -> new ResultRow("binarized-mnist", "static", null, "r", "c", 1L, "test", "iwae",
                0, -85.0, 0.2, 10L, 1L, "m", 10L, 0L, null, 1.0, "2024-05-01T10:15:30Z"));
        assertInvalid("binarization", () -> new ResultRow("mnist", null, null, "r", "c", 1L, "test", "iwae", 5000,
                -85.0, 0.2, 10L, 1L, "m", 10L, 0L, null, 1.0, "2024-05-01T10:15:30Z"));
        assertInvalid("dataset version", () -> new ResultRow("imagenet64", null, null, "r", "c", 1L, "test", "elbo", 1,
                -85.0, 0.2, 10L, 1L, "m", 10L, 0L, null, 1.0, "2024-05-01T10:15:30Z"));
        assertInvalid("mean", () -> new ResultRow("binarized-mnist", "static", null, "r", "c", 1L, "test", "iwae", 5000,
                Double.NaN, 0.2, 10L, 1L, "m", 10L, 0L, null, 1.0, "2024-05-01T10:15:30Z"));
        assertInvalid("evaluated_at", () -> new ResultRow("binarized-mnist", "static", null, "r", "c", 1L, "test", "iwae",
                5000, -85.0, 0.2, 10L, 1L, "m", 10L, 0L, null, 1.0, "yesterday"));
    }

    @Test
    void aBadStoredRowIsAUserFacingError() {
        Object[] values = valuesOf(full.toRow());
        values[ResultSchema.SCHEMA.fieldIndex(ResultSchema.STEP)] = null;
        VaeException e = assertThrows(VaeException.class, () -> ResultRow.fromRow(RowFactory.create(values)));
        assertTrue(e.getMessage().contains("missing value for step"), e.getMessage());
        assertTrue(e.where().contains("run 'vamp'"), e.where());
        VaeException shortRow = assertThrows(VaeException.class, () -> ResultRow.fromRow(RowFactory.create("x", "y")));
        assertTrue(shortRow.getMessage().contains("expected 23"), shortRow.getMessage());
    }

    private static ResultRow withExecutor(ResultRow r, String executor) {
        return new ResultRow(r.dataset(), r.binarization(), r.datasetVersion(), r.run(), r.checkpoint(), r.step(), r.split(),
                r.metric(), r.estimatorK(), r.mean(), r.stderr(), r.n(), r.seed(), r.model(), r.parameters(), r.examplesSeen(),
                r.trainWallSeconds(), r.evalWallSeconds(), r.evaluatedAt(), r.bitsPerDim(), r.note(), executor);
    }

    private static ResultRow withSelection(ResultRow r, String selection) {
        return new ResultRow(r.dataset(), r.binarization(), r.datasetVersion(), r.run(), r.checkpoint(), r.step(), r.split(),
                r.metric(), r.estimatorK(), r.mean(), r.stderr(), r.n(), r.seed(), r.model(), r.parameters(), r.examplesSeen(),
                r.trainWallSeconds(), r.evalWallSeconds(), r.evaluatedAt(), r.bitsPerDim(), r.note(), r.executor(), selection);
    }

    private static void assertInvalid(String detail, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(detail), e.getMessage());
    }

    private static Object[] valuesOf(Row row) {
        Object[] v = new Object[row.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = row.get(i);
        }
        return v;
    }
}
