package org.vaespark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vaespark.core.checkpoint.Checkpoint;
import org.vaespark.jobs.train.TrainingRun;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.config.Settings;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.eval.ExampleEstimate;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.testing.Variant;
import org.vaespark.core.testing.VariantData;
import org.vaespark.core.testing.Variants;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.jobs.eval.DistributedIwae;
import org.vaespark.jobs.train.RunDirectory;
import org.vaespark.jobs.train.Shards;
import org.vaespark.jobs.train.SparkTrainer;
import org.vaespark.prep.ImageSchema;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * Every model variant through the Spark trainer in {@code local[2]} (two partitions, parameter
 * averaging) and the distributed IWAE estimator: the run finishes with finite parameters, its
 * checkpoint rebuilds the same model, and every test example gets a finite IWAE-k estimate.
 */
class FamilySparkTest {
    @TempDir
    Path dir;

    static List<Variant> variants() {
        return Variants.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void trainsInLocal2AndEvaluates(Variant v) {
        Settings s = v.settings().with("train.partitions=2", "train.averaging-frequency=2");
        TrainConfig tc = TrainConfig.from(s.config());
        ImageShape shape = VariantData.shape(v);
        VaeConfig mc = VaeConfig.from(s.config(), shape);
        Shard rows = VariantData.train(v, 80);
        SparkSession spark = SparkTestSession.get();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Dataset<Row> frame = frame(spark, rows, shape);
        JavaRDD<Shard> shards = Shards.of(frame, tc.partitions(), shape.dimension(), tc.labelledPerClass());
        RunDirectory run = new RunDirectory(dir.resolve(v.name()).toString());
        run.create(s.toJson());
        Path last = new SparkTrainer(new TrainingRun(mc, tc, s.toJson(), run, "test", "variant"))
                .train(sc, shards, SparkTrainer.Start.initial(mc, tc, rows), 2);
        shards.unpersist();
        Checkpoint c = CheckpointIO.read(last);
        assertEquals(mc, c.modelConfig(), v + ": the checkpoint rebuilds the model");
        assertTrue(c.parameters().allFinite(), v + ": parameters are finite after two averaging rounds");

        DistributedIwae.Job job = new DistributedIwae.Job(mc, c.parameters(), new EvalConfig(20, 10, 2, 5, "train", null),
                tc.binarization(), 1);
        List<ExampleEstimate> estimates = DistributedIwae.estimate(sc, frame.limit(6), job, 2).collect();
        assertEquals(6, estimates.size());
        for (ExampleEstimate e : estimates) {
            assertTrue(Double.isFinite(e.logLikelihood()) && e.logLikelihood() < 0 || mc.likelihood().name().equals("GAUSSIAN"),
                    v + ": IWAE estimate " + e.logLikelihood());
            assertTrue(e.logLikelihood() >= e.elbo() - 1e-3, v + ": IWAE-k >= ELBO on the same samples");
        }
    }

    private static Dataset<Row> frame(SparkSession spark, Shard shard, ImageShape shape) {
        int dim = shape.dimension();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < shard.size(); i++) {
            byte[] px = java.util.Arrays.copyOfRange(shard.pixels(), i * dim, (i + 1) * dim);
            Integer label = shard.labels()[i] == Shard.NO_LABEL ? null : shard.labels()[i];
            rows.add(RowFactory.create(shard.ids()[i], "train", label, shape.height(), shape.width(), shape.channels(), px));
        }
        return spark.createDataFrame(rows, ImageSchema.SCHEMA);
    }
}
