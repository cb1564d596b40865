package org.vaespark.jobs.dl4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.jobs.train.TrainingRun;
import org.vaespark.core.config.Settings;
import org.vaespark.core.eval.ExampleEstimate;
import org.vaespark.core.eval.IwaeEstimator;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.jobs.train.RunDirectory;
import org.vaespark.jobs.train.Shards;
import org.vaespark.jobs.train.SparkTrainer;
import org.vaespark.prep.ImageSchema;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * train.engine = samediff vs dl4j in local[2] on real MNIST rows: examples/s, the test ELBO after
 * the same examples, and the cost of one parameter average, measured as the extra wall time of
 * averaging every 5 minibatches over averaging once per epoch, per extra average. Not part of the
 * suite (no *Test name); run with
 * {@code mvn -o -q -pl common,model-core,data-prep,spark-jobs verify -Dtest=EngineBenchmark -Dsurefire.failIfNoSpecifiedTests=false};
 * writes spark-jobs/target/engine-benchmark.json.
 */
class EngineBenchmark {
    private static final int ROWS = Integer.getInteger("bench.rows", 2000);
    private static final int EPOCHS = Integer.getInteger("bench.epochs", 2);
    private static final int BATCH = 50;
    private static final int PARTITIONS = 2;

    @Test
    void compareEngines() throws Exception {
        Shard train = MnistRows.binarized("train", ROWS, 0);
        Shard test = MnistRows.binarized("test", 500, 0);
        SparkSession spark = SparkTestSession.get();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Shard> shards = Shards.of(frame(spark, train), PARTITIONS, 784).cache();
        shards.count();
        Path out = Path.of("target", "engine-benchmark");
        int once = ROWS / (BATCH * PARTITIONS);
        List<Map<String, Object>> runs = new ArrayList<>();
        run(sc, shards, test, "samediff", 5, out.resolve("warmup-samediff"));
        run(sc, shards, test, "dl4j", 5, out.resolve("warmup-dl4j"));
        for (String engine : List.of("samediff", "dl4j")) {
            for (int freq : new int[]{5, once}) {
                runs.add(run(sc, shards, test, engine, freq, out.resolve(engine + "-" + freq + "-" + System.nanoTime())));
            }
        }
        Map<String, Object> overhead = new LinkedHashMap<>();
        for (int e = 0; e < 2; e++) {
            Map<String, Object> often = runs.get(2 * e);
            Map<String, Object> rarely = runs.get(2 * e + 1);
            double extra = (double) often.get("wall_seconds") - (double) rarely.get("wall_seconds");
            long averages = (long) often.get("averages") - (long) rarely.get("averages");
            overhead.put((String) often.get("engine"), extra / averages);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("setup", Map.of("rows", ROWS, "epochs", EPOCHS, "batch_size", BATCH, "partitions", PARTITIONS,
                "model", "mlp 784-300-300-40 (reference.conf defaults), bernoulli", "spark", "local[2]",
                "elbo", "mean test ELBO of 500 MNIST test rows, one fixed noise draw"));
        report.put("runs", runs);
        report.put("seconds_per_average", overhead);
        String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report);
        Files.writeString(Path.of("target", "engine-benchmark.json"), json);
        System.out.println(json);
        shards.unpersist();
        for (Map<String, Object> r : runs) {
            assertTrue(Double.isFinite((double) r.get("final_test_elbo")));
        }
    }

    private static Map<String, Object> run(JavaSparkContext sc, JavaRDD<Shard> shards, Shard test, String engine, int freq, Path dir) {
        Settings s = Settings.defaults("train.partitions=" + PARTITIONS, "train.batch-size=" + BATCH, "train.epochs=" + EPOCHS,
                "train.averaging-frequency=" + freq, "train.engine=" + engine, "train.checkpoint-every-rounds=100000");
        TrainConfig tc = TrainConfig.from(s.config());
        VaeConfig mc = VaeConfig.from(s.config(), 784);
        RunDirectory run = new RunDirectory(dir.toString());
        run.create(s.toJson());
        SparkTrainer.Start start = SparkTrainer.Start.fresh(mc, tc.seed());
        long rounds = tc.totalRounds(ROWS);
        long t0 = System.nanoTime();
        Path last = engine.equals("dl4j")
                ? new Dl4jEngine(new TrainingRun(mc, tc, s.toJson(), run, "bench", "binarized-mnist")).train(sc, shards, start, rounds)
                : new SparkTrainer(new TrainingRun(mc, tc, s.toJson(), run, "bench", "binarized-mnist")).train(sc, shards, start, rounds);
        double wall = (System.nanoTime() - t0) / 1e9;
        NamedArrays params = CheckpointIO.read(last).parameters();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("engine", engine);
        r.put("averaging_frequency", freq);
        r.put("averages", rounds);
        r.put("examples", (long) EPOCHS * ROWS);
        r.put("wall_seconds", wall);
        r.put("examples_per_second", EPOCHS * ROWS / wall);
        r.put("final_test_elbo", testElbo(mc, params, test));
        return r;
    }

    private static double testElbo(VaeConfig mc, NamedArrays params, Shard test) {
        float[] x = new float[test.size() * 784];
        for (int i = 0; i < test.size(); i++) {
            PixelEncoding.encode(test.pixels(), i, 784, test.ids()[i], Binarization.STATIC, 1, 0, x, i);
        }
        ExampleEstimate[] est = new IwaeEstimator(Vae.withParameters(mc, params), 1, 1, 11).estimate(test.ids(), x);
        return Arrays.stream(est).mapToDouble(ExampleEstimate::elbo).average().orElseThrow();
    }

    private static Dataset<Row> frame(SparkSession spark, Shard shard) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < shard.size(); i++) {
            rows.add(RowFactory.create(shard.ids()[i], "train", null, 28, 28, 1, Arrays.copyOfRange(shard.pixels(), i * 784, (i + 1) * 784)));
        }
        return spark.createDataFrame(rows, ImageSchema.SCHEMA);
    }
}
