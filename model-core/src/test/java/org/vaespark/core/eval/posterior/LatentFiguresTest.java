package org.vaespark.core.eval.posterior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.testing.TestConfigs;
import org.vaespark.core.train.Shard;

/**
 * The checkpoint latent figures on real binarized MNIST rows: dimensions forced to the prior have
 * KL 0 and are not active, the others are made active and counted; the Monte-Carlo correction of
 * the active-unit variance; the keys of each model kind.
 */
class LatentFiguresTest {
    private static final int N = 60;
    private static final int D = 6;
    private static final Set<Integer> DEAD = Set.of(1, 4);
    private static final Shard ROWS = MnistRows.binarized("test", N, 0);

    private static float[] inputs() {
        float[] x = new float[N * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = ROWS.pixels()[i];
        }
        return x;
    }

    @Test
    void forcedDimensionsHaveNoKlAndAreNotActive() {
        VaeConfig c = TestConfigs.model(TestConfigs.small("model.latent-dim=" + D, "model.encoder.hidden=[32]"), 784);
        // dead dimensions: q(z_j|x) = N(0, 1) = p(z_j); live ones: the mean head scaled up so that Var_x(mu_j) is far above 0.01
        Vae model = Vae.withParameters(c, Vae.initialise(c, 5).parameters().map((name, v) -> {
            if (!name.startsWith(VaeNames.ENC_MU) && !name.startsWith(VaeNames.ENC_LOGVAR)) {
                return v;
            }
            float[] out = v.clone();
            for (int i = 0; i < out.length; i++) {
                out[i] = DEAD.contains(i % D) ? 0 : name.equals(VaeNames.weight(VaeNames.ENC_MU)) ? 20 * out[i] : out[i];
            }
            return out;
        }));
        Map<String, Object> m = LatentFigures.measure(model, 3, ROWS.ids(), inputs(), null, 0.01, 4);
        double[] kl = (double[]) m.get("latent_kl_per_dim");
        assertEquals(D, kl.length);
        double[] mu = model.output(Vae.matrix(inputs(), N, 784), Nd4j.zeros(DataType.FLOAT, 1, N, D), VaeNames.Z_MEAN)
                .get(VaeNames.Z_MEAN).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int direct = 0;
        for (int j = 0; j < D; j++) {
            double mean = 0;
            double var = 0;
            for (int n = 0; n < N; n++) {
                mean += mu[n * D + j] / N;
            }
            for (int n = 0; n < N; n++) {
                var += (mu[n * D + j] - mean) * (mu[n * D + j] - mean) / (N - 1);
            }
            direct += var > 0.01 ? 1 : 0;
            if (DEAD.contains(j)) {
                assertEquals(0, kl[j], 1e-7, "dimension " + j + " is at its prior");
                assertEquals(0, var, 1e-12);
            } else {
                assertTrue(kl[j] > 0.01 && var > 0.01, "dimension " + j + " is used: KL " + kl[j] + ", Var " + var);
            }
        }
        assertEquals(D - DEAD.size(), direct);
        assertEquals(D - DEAD.size(), m.get("active_units"));
        assertEquals(N, m.get("latent_examples"));
    }

    @Test
    void monteCarloNoiseInTheMeansDoesNotMakeAUnitActive() {
        Random r = new Random(1);
        int n = 2000;
        double[][] means = new double[n][2];
        double[][] mc = new double[n][2];
        for (int i = 0; i < n; i++) {
            means[i][0] = Math.sqrt(0.05) * r.nextGaussian();          // pure estimation noise of variance 0.05
            means[i][1] = Math.sqrt(0.05) * r.nextGaussian() + 0.5 * r.nextGaussian();  // plus a real spread of 0.25
            mc[i][0] = 0.05;
            mc[i][1] = 0.05;
        }
        assertEquals(1, LatentFigures.activeUnits(means, mc, 0.01));
        assertEquals(2, LatentFigures.activeUnits(means, new double[n][2], 0.01), "without the correction the noise counts");
    }

    @Test
    void eachKindGetsItsKeys() {
        float[] x = inputs();
        VaeConfig iaf = TestConfigs.model(TestConfigs.small("model.posterior.kind=iaf", "model.posterior.length=2",
                "model.posterior.iaf.hidden=[16]", "model.posterior.iaf.context=8"), 784);
        Map<String, Object> flow = LatentFigures.measure(Vae.initialise(iaf, 1), 3, ROWS.ids(), x, null, 0.01, 4);
        assertNotNull(flow.get("active_units"));
        assertFalse(flow.containsKey("latent_kl_per_dim"), "a flow has no KL per dimension: left out, not a number");
        VaeConfig vamp = TestConfigs.model(TestConfigs.small("model.prior.kind=vamp", "model.prior.components=3"), 784);
        Map<String, Object> v = LatentFigures.measure(Vae.initialise(vamp, 1), 3, ROWS.ids(), x, null, 0.01, 4);
        assertNotNull(v.get("active_units"));
        assertFalse(v.containsKey("latent_kl_per_dim"), "the VampPrior is not factorised");
        VaeConfig m2 = TestConfigs.model(TestConfigs.small("model.kind=m2"), 784);
        assertTrue(LatentFigures.measure(Vae.initialise(m2, 1), 3, ROWS.ids(), x, null, 0.01, 4).isEmpty());
    }
}
