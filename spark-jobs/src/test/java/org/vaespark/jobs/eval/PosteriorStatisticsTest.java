package org.vaespark.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.config.Settings;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.eval.posterior.PosteriorConfig;
import org.vaespark.core.eval.posterior.PosteriorEncoder;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.testing.TestConfigs;
import org.vaespark.core.train.LocalTrainer;
import org.vaespark.core.train.Shard;
import org.vaespark.prep.ImageSchema;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * ELBO surgery in {@code local[2]} on real binarized MNIST rows with a briefly trained model,
 * checked against a plain double-precision computation of every figure over the same encoder
 * outputs, against the known bounds, and across partitionings.
 */
class PosteriorStatisticsTest {
    private static final int N = 200;
    private static final int D = 8;
    private static final EvalConfig EVAL = new EvalConfig(20, 25, 4, 5, "test", null);
    private static final PosteriorConfig POSTERIOR = new PosteriorConfig(1000, 0.01, 3, 10, 50, 40, 7, 16);
    private static final Shard TEST = MnistRows.binarized("test", N, 0);

    private static Settings settings;
    private static VaeConfig config;
    private static Vae model;
    private static Dataset<Row> split;

    @BeforeAll
    static void train() {
        settings = TestConfigs.small("model.latent-dim=" + D, "model.encoder.hidden=[32]", "model.decoder.hidden=[32]");
        config = TestConfigs.model(settings, 784);
        long start = System.nanoTime();
        model = new LocalTrainer(TestConfigs.train(settings)).fit(config, MnistRows.binarized("train", 400, 0), 60).model();
        long trained = System.nanoTime();
        split = frame(SparkTestSession.get(), TEST);
        System.out.printf("trained in %.1f s, Spark session in %.1f s%n", (trained - start) / 1e9, (System.nanoTime() - trained) / 1e9);
    }

    private static PosteriorReport run(Dataset<Row> rows, int partitions) {
        long start = System.nanoTime();
        PosteriorReport r = PosteriorStatistics.compute(SparkTestSession.get(), rows,
                new PosteriorStatistics.Job(config, model.parameters(), EVAL, Binarization.STATIC, 1, POSTERIOR), partitions,
                new ExampleProgress("the test split", rows.count(), 10));
        System.out.printf("statistics over %d partitions in %.1f s%n", partitions, (System.nanoTime() - start) / 1e9);
        return r;
    }

    @Test
    void decompositionMatchesADirectComputationAndItsBounds() {
        PosteriorReport r = run(split.repartition(3), 3);
        for (MetricValue m : r.metrics()) {
            System.out.printf("%s = %s ± %s (n=%d, k=%s)%n", m.metric(), m.mean(), m.stderr(), m.n(), m.k());
            assertTrue(m.present(), m.metric() + ": " + m.note());
        }
        System.out.println("Var_x E[z|x] per dim = " + java.util.Arrays.toString(r.meanVariance()));
        System.out.println("KL per dim = " + java.util.Arrays.toString(r.klPerDim()));

        // Independent computation: encoder moments from the graph, noise from NoiseSource, every density by a plain loop.
        float[] x = new float[N * 784];
        for (int i = 0; i < N * 784; i++) {
            x[i] = TEST.pixels()[i];
        }
        float[] eps = new float[2 * N * D];
        NoiseSource.fill(eps, EVAL.seed(), PosteriorEncoder.SURGERY_STREAM, TEST.ids(), 0, 2, D);
        Map<String, INDArray> out = model.output(Vae.matrix(x, N, 784), Nd4j.create(eps, new long[]{2, N, D}, 'c'),
                VaeNames.Z_MEAN, VaeNames.Z_LOGVAR);
        double[] mu = out.get(VaeNames.Z_MEAN).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] lv = out.get(VaeNames.Z_LOGVAR).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[][] z = new double[N][D];
        double[] logQzx = new double[N];
        double kl = 0;
        double[] klDim = new double[D];
        for (int n = 0; n < N; n++) {
            for (int j = 0; j < D; j++) {
                double m = mu[n * D + j];
                double v = Math.exp(lv[n * D + j]);
                z[n][j] = m + Math.sqrt(v) * eps[n * D + j];
                logQzx[n] += -0.5 * Math.log(2 * Math.PI * v) - (z[n][j] - m) * (z[n][j] - m) / (2 * v);
                double k = 0.5 * (v + m * m - 1 - Math.log(v));
                kl += k / N;
                klDim[j] += k / N;
            }
        }
        double mi = 0;
        double marginal = 0;
        for (int n = 0; n < N; n++) {
            double max = Double.NEGATIVE_INFINITY;
            double[] t = new double[N];
            for (int m = 0; m < N; m++) {
                for (int j = 0; j < D; j++) {
                    double v = Math.exp(lv[m * D + j]);
                    double diff = z[n][j] - mu[m * D + j];
                    t[m] += -0.5 * Math.log(2 * Math.PI * v) - diff * diff / (2 * v);
                }
                max = Math.max(max, t[m]);
            }
            double s = 0;
            for (double v : t) {
                s += Math.exp(v - max);
            }
            double logQz = max + Math.log(s / N);
            double logPz = 0;
            for (int j = 0; j < D; j++) {
                logPz += -0.5 * (Math.log(2 * Math.PI) + z[n][j] * z[n][j]);
            }
            assertTrue(logQzx[n] - logQz <= Math.log(N) + 1e-9, "per-example MI bound, id " + n);
            mi += (logQzx[n] - logQz) / N;
            marginal += (logQz - logPz) / N;
        }
        double tolerance = 1e-3;
        assertEquals(mi, mean(r, PosteriorReport.MUTUAL_INFORMATION), tolerance, "MI against a direct double loop");
        assertEquals(marginal, mean(r, PosteriorReport.MARGINAL_KL), tolerance, "marginal KL against a direct double loop");
        assertEquals(kl, mean(r, PosteriorReport.AVG_KL), tolerance, "average closed-form KL");
        assertArrayEquals(klDim, r.klPerDim(), tolerance);

        double miValue = mean(r, PosteriorReport.MUTUAL_INFORMATION);
        assertTrue(miValue >= 0 && miValue <= Math.log(N), "0 <= MI <= log M, MI = " + miValue);
        MetricValue marginalKl = r.metric(PosteriorReport.MARGINAL_KL);
        assertTrue(marginalKl.mean() >= -Math.max(0.05, 3 * marginalKl.stderr()), "marginal KL >= 0 up to MC error: " + marginalKl.mean());
        MetricValue gap = r.metric(PosteriorReport.SURGERY_GAP);
        double avgKl = mean(r, PosteriorReport.AVG_KL);
        assertTrue(Math.abs(gap.mean()) <= 4 * gap.stderr(), "surgery gap " + gap.mean() + " ± " + gap.stderr());
        assertTrue(Math.abs(gap.mean()) < 0.1 * avgKl, "surgery gap " + gap.mean() + " against avg KL " + avgKl);
        assertEquals(avgKl, miValue + marginalKl.mean() + gap.mean(), 1e-9);

        // Active units: a Java count over the unbiased variances of the collected means.
        int active = 0;
        for (int j = 0; j < D; j++) {
            double sum = 0;
            for (int n = 0; n < N; n++) {
                sum += mu[n * D + j];
            }
            double mean = sum / N;
            double ss = 0;
            for (int n = 0; n < N; n++) {
                ss += (mu[n * D + j] - mean) * (mu[n * D + j] - mean);
            }
            double variance = ss / (N - 1);
            assertEquals(variance, r.meanVariance()[j], 1e-6 * Math.max(1, variance), "Var_x E[z_" + j + "|x]");
            active += variance > POSTERIOR.activeThreshold() ? 1 : 0;
        }
        assertEquals(active, mean(r, PosteriorReport.ACTIVE_UNITS));

        assertEquals(mean(r, PosteriorReport.POSTHOC_GMM_IWAE) - mean(r, PosteriorReport.MODEL_PRIOR_IWAE),
                mean(r, PosteriorReport.POSTHOC_GMM_GAIN), 1e-9, "the gain is the paired difference");
        assertTrue(mean(r, PosteriorReport.MODEL_PRIOR_IWAE) < 0);
        assertEquals(POSTERIOR.gmmExamples(), r.metric(PosteriorReport.POSTHOC_GMM_GAIN).n());

        PosteriorReport one = run(split.repartition(1), 1);
        for (String name : PosteriorReport.NAMES) {
            double delta = name.startsWith("posthoc") || name.startsWith("model_prior") ? 1e-6 : 1e-12;
            assertEquals(r.metric(name).mean(), one.metric(name).mean(), delta, name + ": 1 vs 3 partitions");
        }
        assertArrayEquals(r.meanVariance(), one.meanVariance(), 1e-12);
    }

    @Test
    void modelsOutsideEveryEstimatorReportAbsentFiguresWithTheReason() {
        VaeConfig c = TestConfigs.model(TestConfigs.small("model.kind=m2"), 784);
        PosteriorReport r = PosteriorStatistics.compute(SparkTestSession.get(), split,
                new PosteriorStatistics.Job(c, Vae.initialise(c, 1).parameters(), EVAL, Binarization.STATIC, 1, POSTERIOR), 2,
                new ExampleProgress("the test split", split.count(), 10));
        assertEquals(PosteriorReport.NAMES.size(), r.metrics().size());
        for (MetricValue m : r.metrics()) {
            assertFalse(m.present(), m.metric());
            assertTrue(m.note().contains("model.kind=m2"), m.note());
        }
        assertNull(r.klPerDim());
        assertNull(r.meanVariance());
    }

    private static double mean(PosteriorReport r, String name) {
        return r.metric(name).mean();
    }

    private static Dataset<Row> frame(SparkSession spark, Shard shard) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < shard.size(); i++) {
            byte[] px = java.util.Arrays.copyOfRange(shard.pixels(), i * 784, (i + 1) * 784);
            rows.add(RowFactory.create(shard.ids()[i], "test", null, 28, 28, 1, px));
        }
        return spark.createDataFrame(rows, ImageSchema.SCHEMA);
    }
}
