package org.vaespark.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vaespark.core.config.Settings;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.structure.ModelDescription;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.testing.TestConfigs;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.train.PartitionTrainer;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.RoundResult;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;

/**
 * Pseudo-Gibbs imputation (Rezende et al. 2014) with a VAE fitted for a few seconds on binarized
 * MNIST: the bottom half of test digits is hidden; observed pixels stay untouched, errors are
 * computed over the hidden pixels only, and the model beats the observed-pixel-mean baseline.
 */
class ImputationTest {
    static final int TEST = 100;
    static Vae model;
    static long[] ids;
    static float[] x;

    @BeforeAll
    static void fit() {
        Settings s = TestConfigs.small("model.encoder.hidden=[64]", "model.decoder.hidden=[64]", "model.latent-dim=8",
                "train.batch-size=50", "train.learning-rate=0.003");
        TrainConfig tc = TrainConfig.from(s.config());
        Shard train = MnistRows.binarized("train", 2000, 0);
        VaeConfig mc = VaeConfig.from(s.config(), new ImageShape(28, 28, 1));
        model = Vae.initialise(mc, 1);
        NamedArrays p = model.parameters();
        RoundResult r = new PartitionTrainer(tc, train).run(model, p, AdamState.zeros(p), 250);
        model.setParameters(r.parameters());
        Shard test = MnistRows.binarized("test", TEST, 0);
        ids = test.ids();
        x = new float[TEST * 784];
        for (int i = 0; i < TEST; i++) {
            PixelEncoding.encode(test.pixels(), i, 784, ids[i], Binarization.STATIC, 1, 0, x, i);
        }
    }

    @Test
    void bottomHalfImputationBeatsTheObservedMeanAndKeepsObservedPixels() {
        ImputationConfig cfg = new ImputationConfig(ImputationMask.BOTTOM_HALF, 0.5, 10, 3);
        Imputation.Batch b = new Imputation(model, cfg, true).impute(ids, x, null);
        double mse = 0;
        double mseBase = 0;
        double err = 0;
        double errBase = 0;
        for (int n = 0; n < TEST; n++) {
            ImputationResult r = b.results()[n];
            assertEquals(14 * 28, r.masked(), "the bottom 14 rows are hidden");
            double se = 0;
            double seBase = 0;
            double mean = 0;
            for (int i = 0; i < 14 * 28; i++) {
                mean += x[n * 784 + i] / (14.0 * 28);
            }
            for (int i = 0; i < 784; i++) {
                int at = n * 784 + i;
                assertEquals(i >= 14 * 28, b.missing()[at]);
                if (i < 14 * 28) {
                    assertEquals(x[at], b.imputed()[at], "observed pixel " + i + " of example " + n + " changed");
                } else {
                    se += Math.pow(b.imputed()[at] - x[at], 2);
                    seBase += Math.pow(mean - x[at], 2);
                }
            }
            assertEquals(se, r.squaredError(), 1e-6);
            assertEquals(seBase, r.squaredErrorBaseline(), 1e-4);
            mse += r.mse() / TEST;
            mseBase += r.mseBaseline() / TEST;
            err += r.errorRate() / TEST;
            errBase += r.errorRateBaseline() / TEST;
        }
        System.out.printf("imputation bottom-half, %d test digits: mse %.4f (baseline %.4f), error rate %.4f (baseline %.4f)%n",
                TEST, mse, mseBase, err, errBase);
        assertTrue(mse < mseBase, "model " + mse + " vs baseline " + mseBase);
        assertTrue(err < errBase, "model " + err + " vs baseline " + errBase);
    }

    @Test
    void randomMasksHideTheConfiguredShareAndResultsDoNotDependOnBatching() {
        ImputationConfig cfg = new ImputationConfig(ImputationMask.RANDOM, 0.3, 3, 9);
        Imputation imputation = new Imputation(model, cfg, true);
        int n = 12;
        Imputation.Batch whole = imputation.impute(Arrays.copyOf(ids, n), Arrays.copyOf(x, n * 784), null);
        long hidden = 0;
        for (boolean m : whole.missing()) {
            hidden += m ? 1 : 0;
        }
        double share = hidden / (double) whole.missing().length;
        assertEquals(0.3, share, 4 * Math.sqrt(0.3 * 0.7 / whole.missing().length));
        for (int start = 0; start < n; start += 4) {
            Imputation.Batch part = imputation.impute(Arrays.copyOfRange(ids, start, start + 4),
                    Arrays.copyOfRange(x, start * 784, (start + 4) * 784), null);
            for (int i = 0; i < 4; i++) {
                ImputationResult a = whole.results()[start + i];
                ImputationResult c = part.results()[i];
                assertEquals(a.masked(), c.masked());
                assertEquals(a.squaredError(), c.squaredError(), 1e-3);
                assertEquals(a.squaredErrorBaseline(), c.squaredErrorBaseline(), 1e-9);
            }
        }
    }

    @Test
    void modelsWithoutADecoderMeanSayWhy() {
        VaeConfig pixelCnn = VaeConfig.from(Settings.defaults("model.pixelcnn.layers=1").config(), new ImageShape(28, 28, 1));
        assertNotNull(Imputation.unavailable(pixelCnn));
        assertTrue(Imputation.unavailable(pixelCnn).contains("PixelCNN"));
        VaeConfig m2 = VaeConfig.from(Settings.defaults("model.kind=m2").config(), new ImageShape(28, 28, 1));
        assertTrue(Imputation.unavailable(m2).contains("M2"));
        Vae vae = Vae.withParameters(pixelCnn, ModelDescription.layout(pixelCnn).initialise(1));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> new Imputation(vae, new ImputationConfig(ImputationMask.BOTTOM_HALF, 0.5, 1, 1), true));
        assertTrue(e.getMessage().contains("autoregressive"));
    }

    @Test
    void configKeysAreRead() {
        ImputationConfig c = ImputationConfig.from(Settings.defaults("eval.imputation.mask=random",
                "eval.imputation.fraction=0.25").config());
        assertEquals(ImputationMask.RANDOM, c.mask());
        assertEquals(0.25, c.fraction());
        assertEquals(ImputationMask.BOTTOM_HALF, ImputationConfig.from(Settings.defaults().config()).mask());
    }
}
