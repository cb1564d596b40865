package org.vaespark.jobs.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.vaespark.core.checkpoint.Checkpoint;
import org.vaespark.core.model.structure.ModelDescription;
import org.vaespark.jobs.train.TrainingRun;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.eval.ExampleEstimate;
import org.vaespark.core.eval.IwaeEstimator;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.testing.TestConfigs;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.core.train.TrainEngine;
import org.vaespark.jobs.train.RunDirectory;
import org.vaespark.jobs.train.Shards;
import org.vaespark.jobs.train.SparkTrainer;
import org.vaespark.prep.ImageSchema;
import org.vaespark.prep.testing.LogLines;
import org.vaespark.prep.testing.SparkTestSession;

/** train.engine = dl4j: the same graph as the SameDiff engine, trained by DL4J's Spark parameter averaging. */
class Dl4jEngineTest {
    private static final Shard TRAIN = MnistRows.binarized("train", 600, 0);
    private static final Shard TEST = MnistRows.binarized("test", 100, 0);
    /** A progress line of RoundLog over a span of rounds: first, last, total. */
    private static final Pattern SPAN = Pattern.compile(
            "^RunBook: rounds (\\d+)-(\\d+)/(\\d+)  epoch [0-9.]+  \\d+ examples/s  train ELBO -[0-9.]+ "
                    + "\\(mean of \\d+ rounds, [0-9.]+ ms each\\)  ETA ");

    @TempDir
    Path dir;

    @Test
    void dl4jLayerComputesTheSameLossAndGradientsAsTheSameDiffGraph() {
        Settings s = TestConfigs.small("train.samples=2");
        TrainConfig tc = TestConfigs.train(s);
        VaeConfig mc = TestConfigs.model(s, 784);
        NamedArrays params = ModelDescription.layout(mc).initialise(5);
        ComputationGraph net = Dl4jEngine.network(mc, tc, params, AdamState.zeros(params));
        int[] rows = new int[16];
        Arrays.setAll(rows, i -> 3 * i);
        DataSet batch = Dl4jBatches.batch(mc, tc, TRAIN, rows, 2, 0.7);
        net.setInputs(batch.getFeatures());
        net.setLabels(batch.getLabels());
        net.computeGradientAndScore();
        double dl4jLoss = net.score();
        Map<String, INDArray> dl4jGrads = net.gradient().gradientForVariable();

        // The SameDiff engine's graph, fed the noise that the label rows carry, reshaped here independently.
        int n = mc.noiseDim();
        float[] labels = batch.getLabels().dup('c').data().asFloat();
        float[] eps = new float[2 * rows.length * n];
        for (int b = 0; b < rows.length; b++) {
            for (int k = 0; k < 2; k++) {
                for (int j = 0; j < n; j++) {
                    eps[(k * rows.length + b) * n + j] = labels[b * (2 * n + 1) + k * n + j];
                }
            }
        }
        Vae vae = Vae.withParameters(mc, params);
        Vae.Feed feed = Vae.Feed.of(batch.getFeatures(), org.nd4j.linalg.factory.Nd4j.create(eps, new long[]{2, rows.length, n}, 'c'), 0.7);
        Vae.Step step = vae.step(feed, VaeNames.LOSS);
        double ours = step.outputs().get(VaeNames.LOSS).getDouble(0);
        assertTrue(Double.isFinite(ours) && ours > 100, "the loss of a fresh model on MNIST is a few hundred nats: " + ours);
        assertEquals(ours, dl4jLoss, 1e-5 * Math.abs(ours), "DL4J's score = our mean loss");
        for (String name : params.names()) {
            INDArray expected = step.gradients().get(name).castTo(DataType.DOUBLE);
            // DL4J's layer returns the minibatch sum; its updater divides by B later.
            INDArray actual = dl4jGrads.get(layerKey(name)).castTo(DataType.DOUBLE).div(rows.length).reshape(expected.shape());
            double scale = Math.max(1e-3, expected.norm2Number().doubleValue());
            assertEquals(0, actual.sub(expected).norm2Number().doubleValue(), 1e-4 * scale, "gradient of " + name);
        }
    }

    @Test
    void trainsOnMnistWithParameterAveragingAndWritesACheckpointOurEvaluatorReads() throws Exception {
        Settings s = TestConfigs.small("train.partitions=2", "train.epochs=2", "train.averaging-frequency=5",
                "train.engine=dl4j", "train.checkpoint-every-rounds=1000");
        TrainConfig tc = TestConfigs.train(s);
        assertEquals(TrainEngine.DL4J, tc.engine());
        VaeConfig mc = TestConfigs.model(s, 784);
        SparkSession spark = SparkTestSession.get();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Shard> shards = Shards.of(frame(spark, TRAIN), tc.partitions(), 784);
        RunDirectory run = new RunDirectory(dir.resolve("dl4j").toString());
        run.create(s.toJson());
        SparkTrainer.Start start = SparkTrainer.Start.fresh(mc, tc.seed());
        long total = tc.totalRounds(TRAIN.size());
        Path last;
        List<String> lines;
        try (LogLines log = new LogLines()) {
            last = new Dl4jEngine(new TrainingRun(mc, tc, s.toJson(), run, "test", "binarized-mnist")).train(sc, shards, start, total);
            lines = log.lines();
        }
        shards.unpersist();
        // the progress lines of the other engine: each epoch's span of averaging rounds, the first and the last always shown
        List<Matcher> progress = lines.stream().map(SPAN::matcher).filter(Matcher::find).toList();
        assertEquals(2, progress.size(), "two epochs, two lines (the first and the last):\n" + lines);
        assertEquals(1, Long.parseLong(progress.get(0).group(1)), lines.toString());
        assertEquals(Long.parseLong(progress.get(0).group(2)) + 1, Long.parseLong(progress.get(1).group(1)), lines.toString());
        assertEquals(total, Long.parseLong(progress.get(1).group(2)), lines.toString());
        assertTrue(progress.stream().allMatch(m -> Long.parseLong(m.group(3)) == total), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.contains("dl4j epoch")), "no line of its own: " + lines);

        List<String> metrics = Files.readAllLines(run.root().resolve("metrics.jsonl"));
        assertEquals(2, metrics.size(), "one metrics line per epoch");
        Checkpoint c = CheckpointIO.read(last);
        assertEquals(2L * TRAIN.size(), c.metadata().examplesSeen());
        assertTrue(c.adam().step() > 0);
        assertTrue(c.parameters().allFinite());

        double before = meanElbo(mc, start.parameters());
        double after = meanElbo(mc, c.parameters());
        assertTrue(after > before + 20, "2 epochs on 600 rows must lift the test ELBO by > 20 nats: " + before + " -> " + after);
        ExampleEstimate[] est = estimates(mc, c.parameters(), 64);
        for (ExampleEstimate e : est) {
            assertTrue(Double.isFinite(e.elbo()) && Double.isFinite(e.logLikelihood()));
        }
        double elbo = Arrays.stream(est).mapToDouble(ExampleEstimate::elbo).average().orElseThrow();
        double iwae = Arrays.stream(est).mapToDouble(ExampleEstimate::logLikelihood).average().orElseThrow();
        assertTrue(iwae >= elbo - 0.5, "IWAE-64 >= ELBO within Monte-Carlo error: " + iwae + " vs " + elbo);
    }

    @Test
    void refusesModelsItCannotFeedAndUnknownEngines() {
        Settings cvae = TestConfigs.small("model.kind=cvae", "train.engine=dl4j");
        VaeException e = assertThrows(VaeException.class, () -> Dl4jEngine.check(TestConfigs.model(cvae, 784)));
        assertTrue(e.getMessage().contains("train.engine"), e.getMessage());
        VaeException bad = assertThrows(VaeException.class, () -> TestConfigs.train(TestConfigs.small("train.engine=tensorflow")));
        assertTrue(bad.getMessage().contains("samediff") && bad.getMessage().contains("dl4j"), bad.getMessage());
    }

    private static String layerKey(String name) {
        return Dl4jEngine.LAYER + "_" + Dl4jVaeLayer.key(name);
    }

    private static double meanElbo(VaeConfig mc, NamedArrays params) {
        return Arrays.stream(estimates(mc, params, 1)).mapToDouble(ExampleEstimate::elbo).average().orElseThrow();
    }

    private static ExampleEstimate[] estimates(VaeConfig mc, NamedArrays params, int k) {
        float[] x = new float[TEST.size() * 784];
        for (int i = 0; i < TEST.size(); i++) {
            PixelEncoding.encode(TEST.pixels(), i, 784, TEST.ids()[i], Binarization.STATIC, 1, 0, x, i);
        }
        return new IwaeEstimator(Vae.withParameters(mc, params), k, 64, 11).estimate(TEST.ids(), x);
    }

    private static Dataset<Row> frame(SparkSession spark, Shard shard) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < shard.size(); i++) {
            byte[] px = Arrays.copyOfRange(shard.pixels(), i * 784, (i + 1) * 784);
            rows.add(RowFactory.create(shard.ids()[i], "train", null, 28, 28, 1, px));
        }
        return spark.createDataFrame(rows, ImageSchema.SCHEMA);
    }
}
