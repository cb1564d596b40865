package org.vaespark.core.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.testing.TestConfigs;
import org.vaespark.core.train.LocalTrainer;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.Shard;
import org.vaespark.core.model.Binarization;

/** IWAE-k properties, analytic KL and log-mean-exp, on a briefly trained model and real MNIST rows. */
class EstimatorTest {
    private static final Shard TRAIN = MnistRows.binarized("train", 300, 0);
    private static final Shard TEST = MnistRows.binarized("test", 30, 0);
    private static final VaeConfig CONFIG = TestConfigs.model(TestConfigs.small(), 784);
    private static final Vae MODEL = new LocalTrainer(TestConfigs.train(TestConfigs.small())).fit(CONFIG, TRAIN, 40).model();

    @Test
    void iwaeIsAtLeastTheElboAndIncreasesWithKOnAverage() {
        float[] x = inputs(TEST);
        double previous = Double.NEGATIVE_INFINITY;
        double elbo = Double.NaN;
        for (int k : new int[]{1, 5, 50, 500}) {
            ExampleEstimate[] est = new IwaeEstimator(MODEL, k, 64, 5).estimate(TEST.ids(), x);
            double mean = 0;
            double meanElbo = 0;
            for (ExampleEstimate e : est) {
                mean += e.logLikelihood() / est.length;
                meanElbo += e.elbo() / est.length;
                assertTrue(e.logLikelihood() >= e.elbo() - 1e-9, "log-mean-exp below the mean for id " + e.id());
            }
            if (k == 1) {
                elbo = meanElbo;
                assertEquals(meanElbo, mean, 1e-9, "IWAE-1 is the ELBO on the same noise");
            }
            assertTrue(mean > previous, "IWAE-" + k + " = " + mean + " not above " + previous);
            previous = mean;
        }
        assertTrue(previous > elbo + 1.0, "IWAE-500 should beat the ELBO by more than a nat on an undertrained model");
    }

    @Test
    void estimatesDoNotDependOnChunkingOrBatching() {
        float[] x = inputs(TEST);
        ExampleEstimate[] whole = new IwaeEstimator(MODEL, 100, 100, 5).estimate(TEST.ids(), x);
        ExampleEstimate[] chunked = new IwaeEstimator(MODEL, 100, 7, 5).estimate(TEST.ids(), x);
        long[] oneId = {TEST.ids()[3]};
        float[] oneX = java.util.Arrays.copyOfRange(x, 3 * 784, 4 * 784);
        ExampleEstimate alone = new IwaeEstimator(MODEL, 100, 13, 5).estimate(oneId, oneX)[0];
        for (int i = 0; i < whole.length; i++) {
            assertEquals(whole[i].logLikelihood(), chunked[i].logLikelihood(), 1e-4 * Math.abs(whole[i].logLikelihood()));
        }
        assertEquals(whole[3].logLikelihood(), alone.logLikelihood(), 1e-4 * Math.abs(alone.logLikelihood()));
        ExampleEstimate[] otherSeed = new IwaeEstimator(MODEL, 100, 100, 6).estimate(TEST.ids(), x);
        assertTrue(otherSeed[0].logLikelihood() != whole[0].logLikelihood(), "the seed must change the noise");
    }

    @Test
    void analyticKlMatchesAMonteCarloEstimate() {
        int samples = 20000;
        float[] x = java.util.Arrays.copyOf(inputs(TEST), 784 * 2);
        long[] ids = {0, 1};
        float[] eps = new float[samples * 2 * CONFIG.latentDim()];
        NoiseSource.fill(eps, 11, 3, ids, 0, samples, CONFIG.latentDim());
        Map<String, INDArray> out = MODEL.output(Vae.matrix(x, 2, 784), Nd4j.create(eps, new long[]{samples, 2, CONFIG.latentDim()}, 'c'),
                VaeNames.LOG_PZ, VaeNames.LOG_QZ_X, VaeNames.KL);
        for (int b = 0; b < 2; b++) {
            double mc = 0;
            double sq = 0;
            for (int s = 0; s < samples; s++) {
                double diff = out.get(VaeNames.LOG_QZ_X).getDouble(s, b) - out.get(VaeNames.LOG_PZ).getDouble(s, b);
                mc += diff / samples;
                sq += diff * diff / samples;
            }
            double se = Math.sqrt((sq - mc * mc) / samples);
            assertEquals(out.get(VaeNames.KL).getDouble(b), mc, 4 * se + 1e-3, "example " + b);
        }
    }

    @Test
    void logMeanExpIsStableAndExact() {
        LogMeanExp l = new LogMeanExp();
        double[] a = {-1000.5, -1001.25, -999.0, -1003.0};
        double ref = 0;
        for (double v : a) {
            l.add(v);
            ref += Math.exp(v + 1000) / a.length;
        }
        assertEquals(Math.log(ref) - 1000, l.value(), 1e-12);
        assertEquals((-1000.5 - 1001.25 - 999.0 - 1003.0) / 4, l.mean(), 1e-12);
        LogMeanExp nan = new LogMeanExp();
        nan.add(1);
        nan.add(Double.NaN);
        assertTrue(Double.isNaN(nan.value()));
    }

    @Test
    void summaryMergesLikeOnePass() {
        Summary all = new Summary();
        Summary left = new Summary();
        Summary right = new Summary();
        double[] v = {1, 4, -2, 8, 3.5, 0};
        for (int i = 0; i < v.length; i++) {
            all.add(v[i]);
            (i < 2 ? left : right).add(v[i]);
        }
        Summary merged = left.merge(right);
        assertEquals(all.mean(), merged.mean(), 1e-12);
        assertEquals(all.standardError(), merged.standardError(), 1e-12);
        assertEquals(Math.sqrt(62.208333333333336 / 5 / 6), all.standardError(), 1e-9);
    }

    @Test
    void noiseIsStandardNormalAndAPureFunctionOfItsCounters() {
        int n = 200000;
        float[] e = new float[n];
        NoiseSource.fill(e, 1, 2, new long[]{5}, 0, n / 4, 4);
        double mean = 0;
        double sq = 0;
        for (float v : e) {
            mean += v / n;
            sq += (double) v * v / n;
        }
        assertEquals(0, mean, 0.01);
        assertEquals(1, sq - mean * mean, 0.01);
        float[] tail = new float[8];
        NoiseSource.fill(tail, 1, 2, new long[]{5}, 1000, 2, 4);
        assertArrayEquals(java.util.Arrays.copyOfRange(e, 4000, 4008), tail);
    }

    private static float[] inputs(Shard s) {
        float[] x = new float[s.size() * 784];
        for (int i = 0; i < s.size(); i++) {
            PixelEncoding.encode(s.pixels(), i, 784, s.ids()[i], Binarization.STATIC, 0, 0, x, i);
        }
        return x;
    }
}
