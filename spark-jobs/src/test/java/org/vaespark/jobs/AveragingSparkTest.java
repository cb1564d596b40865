package org.vaespark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.jobs.train.TrainingRun;
import org.vaespark.core.config.Settings;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.eval.ExampleEstimate;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.testing.TestConfigs;
import org.vaespark.core.train.LocalTrainer;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.jobs.eval.DistributedIwae;
import org.vaespark.jobs.train.RunDirectory;
import org.vaespark.jobs.train.Shards;
import org.vaespark.jobs.train.SparkTrainer;
import org.vaespark.prep.ImageSchema;
import org.vaespark.prep.testing.SparkTestSession;

/** The Spark averaging loop against local training, determinism, and partition-independent evaluation. */
class AveragingSparkTest {
    private static final Shard DATA = MnistRows.binarized("train", 600, 0);

    @TempDir
    Path dir;

    @Test
    void onePartitionAveragingEqualsLocalTrainingExactly() {
        Settings s = TestConfigs.small("train.partitions=1");
        TrainConfig tc = TestConfigs.train(s);
        VaeConfig mc = TestConfigs.model(s, 784);
        int rounds = 5;
        NamedArrays local = new LocalTrainer(tc).fit(mc, DATA, rounds * tc.averagingFrequency()).state().parameters();
        NamedArrays spark = train(s, mc, tc, rounds, "one");
        assertTrue(local.identicalTo(spark), "Spark with one partition must reproduce local training bit for bit");
    }

    @Test
    void twoPartitionsAreDeterministicAndDifferFromOne() {
        Settings s = TestConfigs.small("train.partitions=2");
        TrainConfig tc = TestConfigs.train(s);
        VaeConfig mc = TestConfigs.model(s, 784);
        NamedArrays a = train(s, mc, tc, 4, "a");
        NamedArrays b = train(s, mc, tc, 4, "b");
        assertTrue(a.identicalTo(b), "same seed, same partitions: same parameters");
        NamedArrays one = train(TestConfigs.small("train.partitions=1"), mc, TestConfigs.train(TestConfigs.small("train.partitions=1")), 4, "c");
        assertFalse(a.identicalTo(one));
    }

    @Test
    void perExampleIwaeDoesNotDependOnPartitioning() {
        Settings s = TestConfigs.small();
        VaeConfig mc = TestConfigs.model(s, 784);
        NamedArrays params = new LocalTrainer(TestConfigs.train(s)).fit(mc, DATA, 20).state().parameters();
        DistributedIwae.Job job = new DistributedIwae.Job(mc, params, new EvalConfig(40, 16, 7, 3, "test", null), Binarization.STATIC, 1);
        SparkSession spark = SparkTestSession.get();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Dataset<Row> rows = frame(spark, MnistRows.binarized("test", 50, 0));
        List<ExampleEstimate> one = sorted(DistributedIwae.estimate(sc, rows, job, 1).collect());
        List<ExampleEstimate> three = sorted(DistributedIwae.estimate(sc, rows.repartition(2), job, 3).collect());
        assertEquals(50, one.size());
        for (int i = 0; i < one.size(); i++) {
            assertEquals(one.get(i), three.get(i));
        }
    }

    private NamedArrays train(Settings s, VaeConfig mc, TrainConfig tc, int rounds, String name) {
        SparkSession spark = SparkTestSession.get();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Shard> shards = Shards.of(frame(spark, DATA), tc.partitions(), 784);
        RunDirectory run = new RunDirectory(dir.resolve(name).toString());
        run.create(s.toJson());
        Path last = new SparkTrainer(new TrainingRun(mc, tc, s.toJson(), run, "test", "binarized-mnist"))
                .train(sc, shards, SparkTrainer.Start.fresh(mc, tc.seed()), rounds);
        shards.unpersist();
        return CheckpointIO.read(last).parameters();
    }

    static Dataset<Row> frame(SparkSession spark, Shard shard) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < shard.size(); i++) {
            byte[] px = java.util.Arrays.copyOfRange(shard.pixels(), i * 784, (i + 1) * 784);
            rows.add(RowFactory.create(shard.ids()[i], "train", null, 28, 28, 1, px));
        }
        return spark.createDataFrame(rows, ImageSchema.SCHEMA);
    }

    private static List<ExampleEstimate> sorted(List<ExampleEstimate> l) {
        return l.stream().sorted(Comparator.comparingLong(ExampleEstimate::id)).toList();
    }
}
