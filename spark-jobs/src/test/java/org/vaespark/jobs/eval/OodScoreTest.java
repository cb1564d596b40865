package org.vaespark.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.testing.SharedData;
import org.vaespark.core.train.Shard;
import org.vaespark.jobs.TrainJob;
import org.vaespark.prep.DatasetWriter;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.Manifest;
import org.vaespark.prep.Prepare;
import org.vaespark.prep.source.SourceData;
import org.vaespark.prep.source.SourceKind;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * A small statically binarized MNIST model (Larochelle &amp; Murray 2011 rows) trained in local[2]
 * scores 100 MNIST test rows against 100 real CIFAR-10 test images (Krizhevsky 2009) made grey,
 * cropped to 28x28 and statically binarized by prepare.source=transform: the MLlib AUROC equals an
 * independent Mann-Whitney U / (n_in n_out) computed here, and MNIST-trained models find CIFAR unlikely.
 */
class OodScoreTest {
    private static final int RECORD = 3073;

    @TempDir
    Path dir;

    @Test
    void mnistModelSeparatesGreyBinarizedCifarAndMllibAurocIsMannWhitney() throws Exception {
        SparkSession spark = SparkTestSession.get();
        String mnist = dir.resolve("binarized-mnist").toString();
        writeMnist(spark, mnist, 2000, 100);
        String cifar = prepareCifar(spark, 100);
        String ood = dir.resolve("cifar10-grey-28-binarized").toString();
        Prepare.run(spark, Settings.defaults("prepare.source=transform", "prepare.input=" + cifar, "prepare.output=" + ood,
                "prepare.transform.grey=true", "prepare.transform.crop=[28, 28]", "prepare.transform.binarize=true"));

        Settings settings = Settings.load(List.of(SharedData.projectRoot().resolve("conf/experiments/mnist-static-mlp.conf").toString()),
                List.of("data.path=" + mnist, "run.dir=" + dir.resolve("run"), "model.encoder.hidden=[64]", "model.decoder.hidden=[64]",
                        "model.latent-dim=8", "train.epochs=6", "train.checkpoint-every-rounds=100", "eval.k=20", "eval.chunk=20",
                        "eval.max-examples=100", "ood.dataset=" + ood));
        TrainJob.train(spark, settings);
        OodScore.Result r = OodScore.score(spark, settings);

        List<Double> in = new ArrayList<>();
        List<Double> out = new ArrayList<>();
        for (Row row : r.scores().collectAsList()) {
            (row.getInt(2) == 1 ? out : in).add(row.getDouble(3));
            assertEquals(row.getInt(2) == 1 ? "cifar10+grey-crop-28x28-static-binarized-seed-0" : "binarized-mnist", row.getString(1));
        }
        assertEquals(100, in.size());
        assertEquals(100, out.size());
        double mannWhitney = mannWhitney(in, out);
        Map<String, MetricValue> m = new LinkedHashMap<>();
        r.metrics().forEach(v -> m.put(v.metric(), v));
        MetricValue auroc = m.get(OodScore.METRIC_AUROC);
        MetricValue scoreIn = m.get(OodScore.METRIC_SCORE_IN);
        MetricValue scoreOut = m.get(OodScore.METRIC_SCORE_OUT);
        System.out.printf("OOD: AUROC %.6f (Mann-Whitney %.6f), mean -log p(x) MNIST %.3f ± %.3f, grey binarized CIFAR %.3f ± %.3f nats (k=20)%n",
                auroc.mean(), mannWhitney, scoreIn.mean(), scoreIn.stderr(), scoreOut.mean(), scoreOut.stderr());
        assertEquals(mannWhitney, auroc.mean(), 1e-9, "MLlib areaUnderROC is the Mann-Whitney statistic");
        assertTrue(auroc.mean() > 0.9, "an MNIST model finds grey binarized CIFAR unlikely: AUROC " + auroc.mean());
        assertEquals(200, auroc.n());
        assertEquals(20, auroc.k());
        assertTrue(auroc.note().contains("binarized-mnist/test") && auroc.note().contains("cifar10+grey-crop-28x28"), auroc.note());
        assertEquals(in.stream().mapToDouble(Double::doubleValue).average().orElseThrow(), scoreIn.mean(), 1e-9);
        assertEquals(out.stream().mapToDouble(Double::doubleValue).average().orElseThrow(), scoreOut.mean(), 1e-9);
        assertEquals(100, scoreIn.n());
        assertTrue(scoreIn.mean() > 50 && scoreIn.mean() < 350, "plausible MNIST -log p(x): " + scoreIn.mean());

        // a ranking with overlap: odd-id against even-id MNIST rows, MLlib vs Mann-Whitney again
        List<Row> halves = new ArrayList<>();
        List<Double> odd = new ArrayList<>();
        List<Double> even = new ArrayList<>();
        for (Row row : r.scores().collectAsList()) {
            if (row.getInt(2) == 0) {
                int label = (int) (row.getLong(0) % 2);
                halves.add(row(row.getLong(0), label, row.getDouble(3)));
                (label == 1 ? odd : even).add(row.getDouble(3));
            }
        }
        double halvesAuroc = OodScore.auroc(spark.createDataFrame(halves, OodScore.SCHEMA));
        assertEquals(mannWhitney(even, odd), halvesAuroc, 1e-9);
        assertTrue(halvesAuroc > 0.2 && halvesAuroc < 0.8, "odd vs even MNIST ids are not separable: " + halvesAuroc);

        VaeException size = assertThrows(VaeException.class, () -> OodScore.score(spark, settings.with("ood.dataset=" + cifar)));
        assertTrue(size.getMessage().contains(mnist) && size.getMessage().contains(cifar) && size.getMessage().contains("3072"),
                size.getMessage());
        String grey = dir.resolve("cifar10-grey-28").toString();
        Prepare.run(spark, Settings.defaults("prepare.source=transform", "prepare.input=" + cifar, "prepare.output=" + grey,
                "prepare.transform.grey=true", "prepare.transform.crop=[28, 28]"));
        VaeException encoding = assertThrows(VaeException.class, () -> OodScore.score(spark, settings.with("ood.dataset=" + grey)));
        assertTrue(encoding.getMessage().contains(OodScore.DATASET) && encoding.getMessage().contains("0/1"), encoding.getMessage());
        VaeException missing = assertThrows(VaeException.class, () -> OodScore.Config.from(Settings.defaults().config()));
        assertTrue(missing.getMessage().contains(OodScore.DATASET), missing.getMessage());
    }

    /** U / (n_in n_out): the fraction of (positive, negative) pairs ranked right, ties counting half. */
    private static double mannWhitney(List<Double> negatives, List<Double> positives) {
        double u = 0;
        for (double p : positives) {
            for (double n : negatives) {
                u += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }
        return u / (negatives.size() * (double) positives.size());
    }

    @Test
    void exampleConfigurationDerivesTheGreyBinarizedCifarAndScoresIt() {
        Settings s = Settings.load(List.of(SharedData.projectRoot().resolve("conf/datasets/cifar10-grey-28-binarized.conf").toString()),
                List.of());
        org.vaespark.prep.PrepareConfig prepare = org.vaespark.prep.PrepareConfig.from(s.config());
        assertEquals(SourceKind.TRANSFORM, prepare.source());
        assertEquals("grey-crop-28x28-static-binarized-seed-0", prepare.transform().name());
        OodScore.Config ood = OodScore.Config.from(s.config());
        assertEquals(prepare.output(), ood.dataset());
        assertEquals("test", ood.split());
        VaeException bad = assertThrows(VaeException.class, () -> OodScore.Config.from(s.with("ood.max-examples=0").config()));
        assertTrue(bad.getMessage().contains(OodScore.MAX_EXAMPLES), bad.getMessage());
    }

    @Test
    void aurocCountsTiesAsHalf() {
        SparkSession spark = SparkTestSession.get();
        List<Row> rows = List.of(row(0, 0, 1.0), row(1, 0, 2.0), row(2, 0, 3.0), row(0, 1, 2.0), row(1, 1, 3.0), row(2, 1, 0.5));
        // pairs (out, in): 2>1, 2=2, 2<3; 3>1, 3>2, 3=3; 0.5<all -> (1 + .5 + 1 + 1 + .5) / 9
        assertEquals(4.0 / 9, OodScore.auroc(spark.createDataFrame(rows, OodScore.SCHEMA)), 1e-12);
    }

    private static Row row(long id, int ood, double score) {
        return org.apache.spark.sql.RowFactory.create(id, ood == 1 ? "out" : "in", ood, score);
    }

    /** The first rows of the real binarized MNIST train and test splits as a prepared dataset. */
    private static void writeMnist(SparkSession spark, String root, int train, int test) {
        Map<String, List<ImageRecord>> splits = new LinkedHashMap<>();
        splits.put("train", records(MnistRows.binarized("train", train, 0), "train"));
        splits.put("test", records(MnistRows.binarized("test", test, 0), "test"));
        SourceData data = new SourceData(SourceKind.BINARIZED_MNIST, 28, 28, 1, splits, List.of());
        DatasetWriter.write(spark, root, splits, Manifest.of(data, Instant.now()), false);
    }

    private static List<ImageRecord> records(Shard s, String split) {
        List<ImageRecord> out = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            out.add(new ImageRecord(s.ids()[i], split, null, 28, 28, 1,
                    java.util.Arrays.copyOfRange(s.pixels(), i * 784, (i + 1) * 784)));
        }
        return out;
    }

    /** Every 100th real CIFAR-10 test record (ten of each class), prepared as a CIFAR-10 test split. */
    private String prepareCifar(SparkSession spark, int n) throws Exception {
        byte[] all = Files.readAllBytes(SharedData.file("cifar10/test_class_sorted.bin"));
        byte[] picked = new byte[n * RECORD];
        for (int i = 0; i < n; i++) {
            System.arraycopy(all, i * 100 * RECORD, picked, i * RECORD, RECORD);
        }
        Path raw = dir.resolve("raw");
        Files.createDirectories(raw);
        Files.write(raw.resolve("test_batch.bin"), picked);
        String out = dir.resolve("cifar10").toString();
        Prepare.run(spark, Settings.defaults("prepare.source=cifar10-binary", "prepare.input=" + raw, "prepare.output=" + out,
                "prepare.cifar10.train-files=[]", "prepare.cifar10.test-files=[test_batch]"));
        return out;
    }
}
