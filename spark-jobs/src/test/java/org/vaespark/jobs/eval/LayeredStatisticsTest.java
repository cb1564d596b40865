package org.vaespark.jobs.eval;

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
import org.vaespark.core.eval.posterior.SampledPosterior;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.structure.HierarchicalVae;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.testing.TestConfigs;
import org.vaespark.core.train.LocalTrainer;
import org.vaespark.core.train.Shard;
import org.vaespark.prep.ImageSchema;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * Posterior-collapse statistics of the HVAE's layers and of flow posteriors in {@code local[2]} on
 * real binarized MNIST rows: a briefly trained HVAE with one dimension of each layer forced to its
 * prior (those dimensions must have KL 0 and be inactive; the others are counted against a direct
 * computation), the per-layer KLs against the Monte-Carlo total, and the flows' Monte-Carlo KL
 * against a direct recomputation from the graph with the same noise.
 */
class LayeredStatisticsTest {
    private static final int N = 200;
    private static final int D1 = 4;
    private static final int D2 = 3;
    private static final int S = 16;
    private static final EvalConfig EVAL = new EvalConfig(20, 25, 4, 5, "test", null);
    private static final PosteriorConfig POSTERIOR = new PosteriorConfig(1000, 0.01, 3, 10, 50, 40, 7, S);
    private static final Shard TEST = MnistRows.binarized("test", N, 0);
    /** The z2 dimension and the z1 dimension forced to their priors. */
    private static final int DEAD_Z2 = 0;
    private static final int DEAD_Z1 = 1;

    private static VaeConfig hvae;
    private static NamedArrays hvaeParameters;
    private static Dataset<Row> split;

    @BeforeAll
    static void train() {
        Settings s = TestConfigs.small("model.kind=hvae", "model.latent-dim=" + D1, "model.hierarchy.top-latent-dim=" + D2,
                "model.hierarchy.hidden=[16]", "model.encoder.hidden=[32]", "model.decoder.hidden=[32]");
        hvae = TestConfigs.model(s, 784);
        Vae trained = new LocalTrainer(TestConfigs.train(s)).fit(hvae, MnistRows.binarized("train", 400, 0), 60).model();
        hvaeParameters = trained.parameters().map((name, v) -> {
            if (name.startsWith(VaeNames.ENC_MU) || name.startsWith(VaeNames.ENC_LOGVAR)) {
                return zeroColumn(v, D2, DEAD_Z2);
            }
            if (name.startsWith(HierarchicalVae.Q_Z1 + "_mu") || name.startsWith(HierarchicalVae.Q_Z1 + "_logvar")
                    || name.startsWith(HierarchicalVae.P_Z1 + "_mu") || name.startsWith(HierarchicalVae.P_Z1 + "_logvar")) {
                return zeroColumn(v, D1, DEAD_Z1);
            }
            return v;
        });
        split = frame(SparkTestSession.get(), TEST);
    }

    /** A dense layer's weight [in, out] or bias [out], row-major, with output column j set to 0. */
    private static float[] zeroColumn(float[] v, int out, int j) {
        float[] copy = v.clone();
        for (int i = j; i < copy.length; i += out) {
            copy[i] = 0;
        }
        return copy;
    }

    private static PosteriorReport run(VaeConfig c, NamedArrays p, Dataset<Row> rows, int partitions) {
        return PosteriorStatistics.compute(SparkTestSession.get(), rows,
                new PosteriorStatistics.Job(c, p, EVAL, Binarization.STATIC, 1, POSTERIOR), partitions,
                new ExampleProgress("the test split", rows.count(), 10));
    }

    @Test
    void hvaeLayersAreReportedAndAddUpToTheTotal() {
        PosteriorReport r = run(hvae, hvaeParameters, split.repartition(3), 3);
        for (MetricValue m : r.metrics()) {
            System.out.printf("%s = %s ± %s (n=%d) %s%n", m.metric(), m.mean(), m.stderr(), m.n(), m.present() ? "" : m.note());
        }
        for (String layer : List.of("z1", "z2")) {
            for (String name : List.of(PosteriorReport.AVG_KL, PosteriorReport.ACTIVE_UNITS, PosteriorReport.MUTUAL_INFORMATION)) {
                MetricValue m = r.metric(PosteriorReport.ofLayer(name, layer));
                assertTrue(m.present() && Double.isFinite(m.mean()), m.metric() + ": " + m.note());
                assertEquals(N, m.n());
            }
            double mi = r.metric(PosteriorReport.ofLayer(PosteriorReport.MUTUAL_INFORMATION, layer)).mean();
            assertTrue(mi > -0.05 && mi <= Math.log(N) + 0.05, layer + ": I(x; z) = " + mi + " outside [0, log M]");
        }
        assertFalse(r.metric(PosteriorReport.MUTUAL_INFORMATION).present());
        assertTrue(r.metric(PosteriorReport.MUTUAL_INFORMATION).note().contains("model.kind=hvae"));

        // The per-layer KLs (z1's partly in closed form) sum to the Monte-Carlo total within its error.
        double total = r.metric(PosteriorReport.AVG_KL).mean();
        double z1 = r.metric(PosteriorReport.ofLayer(PosteriorReport.AVG_KL, "z1")).mean();
        double z2 = r.metric(PosteriorReport.ofLayer(PosteriorReport.AVG_KL, "z2")).mean();
        MetricValue gap = r.metric(PosteriorReport.LAYER_KL_GAP);
        assertEquals(total - z1 - z2, gap.mean(), 1e-9, "the gap is the paired difference");
        assertTrue(gap.stderr() > 0 && Math.abs(gap.mean()) < 4 * gap.stderr(),
                "total " + total + " vs z1 + z2 = " + (z1 + z2) + ", s.e. " + gap.stderr());
        assertTrue(z1 > 0.1 && z2 > 0.1, "a trained model uses both layers: " + z1 + ", " + z2);

        // KL per dimension: the layer figures are their sums; the forced dimensions are exactly at their prior.
        assertEquals(D2 + D1, r.klPerDim().length);
        assertEquals("z2", r.dimLayers().get(0));
        assertEquals("z1", r.dimLayers().get(D2));
        assertEquals(z2, sum(r.klPerDim(), 0, D2), 1e-9);
        assertEquals(z1, sum(r.klPerDim(), D2, D2 + D1), 1e-9);
        assertEquals(0, r.klPerDim()[DEAD_Z2], 1e-6, "forced z2 dimension");
        assertEquals(0, r.klPerDim()[D2 + DEAD_Z1], 1e-6, "forced z1 dimension");
        assertEquals(0, r.meanVariance()[DEAD_Z2], 1e-12);
        assertEquals(0, r.meanVariance()[D2 + DEAD_Z1], 1e-12);

        // Active units of z2 against a direct computation of Var_x(mu2_j) from the graph.
        int direct = 0;
        double[][] mu = topMeans();
        for (int j = 0; j < D2; j++) {
            double m = 0;
            double v = 0;
            for (double[] row : mu) {
                m += row[j] / N;
            }
            for (double[] row : mu) {
                v += (row[j] - m) * (row[j] - m) / (N - 1);
            }
            assertEquals(v, r.meanVariance()[j], 1e-6 * Math.max(1, v), "Var_x(mu2_" + j + ")");
            direct += v > POSTERIOR.activeThreshold() ? 1 : 0;
        }
        double activeZ2 = r.metric(PosteriorReport.ofLayer(PosteriorReport.ACTIVE_UNITS, "z2")).mean();
        double activeZ1 = r.metric(PosteriorReport.ofLayer(PosteriorReport.ACTIVE_UNITS, "z1")).mean();
        assertEquals(direct, activeZ2);
        assertTrue(activeZ2 >= 1 && activeZ2 <= D2 - 1, "z2: " + activeZ2 + " active, one dimension forced dead");
        assertTrue(activeZ1 <= D1 - 1, "z1: " + activeZ1 + " active, one dimension forced dead");
        assertEquals(activeZ1 + activeZ2, r.metric(PosteriorReport.ACTIVE_UNITS).mean());

        PosteriorReport one = run(hvae, hvaeParameters, split.repartition(1), 1);
        for (String name : List.of(PosteriorReport.AVG_KL, "avg_kl_z1", "avg_kl_z2", "mutual_information_z1", "mutual_information_z2")) {
            assertEquals(r.metric(name).mean(), one.metric(name).mean(), 1e-9, name + ": 1 vs 3 partitions");
        }
    }

    @Test
    void flowKlIsTheMonteCarloMeanOfLogQMinusLogP() {
        for (String[] overrides : List.of(new String[]{"model.posterior.kind=planar", "model.posterior.length=2"},
                new String[]{"model.posterior.kind=iaf", "model.posterior.length=2", "model.posterior.iaf.hidden=[16]",
                        "model.posterior.iaf.context=8"})) {
            VaeConfig c = TestConfigs.model(TestConfigs.small(overrides), 784);
            Vae model = Vae.initialise(c, 3);
            PosteriorReport r = run(c, model.parameters(), split, 2);
            MetricValue kl = r.metric(PosteriorReport.AVG_KL);
            assertTrue(kl.present(), kl.note());
            assertEquals(directFlowKl(model), kl.mean(), 1e-4 * Math.max(1, Math.abs(kl.mean())), overrides[0]);
            assertEquals(kl.mean(), r.metric("avg_kl_z").mean(), 1e-9, "one layer: the layer is the total");
            assertTrue(r.metric(PosteriorReport.ofLayer(PosteriorReport.ACTIVE_UNITS, "z")).present());
            MetricValue mi = r.metric(PosteriorReport.ofLayer(PosteriorReport.MUTUAL_INFORMATION, "z"));
            assertFalse(mi.present());
            assertTrue(mi.note().contains("flow"), mi.note());
            for (double k : r.klPerDim()) {
                assertTrue(Double.isNaN(k), "a flow has no KL per dimension");
            }
            assertTrue(r.klPerDimNote().contains("not factorised"), r.klPerDimNote());
            assertNull(r.dimLayers());
        }
    }

    @Test
    void modelsOutsideBothEstimatorsSayWhy() {
        VaeConfig hv = TestConfigs.model(TestConfigs.small("model.kind=hvae", "model.hierarchy.top-latent-dim=3",
                "model.hierarchy.hidden=[16]"), 784);
        assertNull(SampledPosterior.unsupported(hv));
        VaeConfig plain = TestConfigs.model(TestConfigs.small(), 784);
        assertTrue(SampledPosterior.unsupported(plain).contains("model.kind=vae"));
    }

    /** (1/S) sum_s log q(z_s|x) - log p(z_s) averaged over the split, from the graph fed the same noise. */
    private static double directFlowKl(Vae model) {
        VaeConfig c = model.config();
        int w = c.noiseDim();
        float[] eps = new float[S * N * w];
        NoiseSource.fill(eps, EVAL.seed(), SampledPosterior.STREAM, TEST.ids(), 0, S, w);
        Map<String, INDArray> out = model.output(Vae.matrix(pixels(), N, 784), Nd4j.create(eps, new long[]{S, N, w}, 'c'),
                VaeNames.LOG_QZ_X, VaeNames.LOG_PZ);
        double[] q = out.get(VaeNames.LOG_QZ_X).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] p = out.get(VaeNames.LOG_PZ).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double kl = 0;
        for (int i = 0; i < q.length; i++) {
            kl += (q[i] - p[i]) / q.length;
        }
        return kl;
    }

    private static double[][] topMeans() {
        Vae model = Vae.withParameters(hvae, hvaeParameters);
        int w = hvae.noiseDim();
        Map<String, INDArray> out = model.output(Vae.matrix(pixels(), N, 784), Nd4j.create(new float[N * w], new long[]{1, N, w}, 'c'),
                VaeNames.Z_MEAN);
        double[] mu = out.get(VaeNames.Z_MEAN).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[][] rows = new double[N][D2];
        for (int n = 0; n < N; n++) {
            System.arraycopy(mu, n * D2, rows[n], 0, D2);
        }
        return rows;
    }

    private static float[] pixels() {
        float[] x = new float[N * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = TEST.pixels()[i];
        }
        return x;
    }

    private static double sum(double[] a, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += a[i];
        }
        return s;
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
