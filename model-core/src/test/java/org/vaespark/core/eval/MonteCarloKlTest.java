package org.vaespark.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.Activation;
import org.vaespark.core.model.Likelihood;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.ReferenceVae;

/**
 * The Monte-Carlo KL that every non-standard prior relies on (docs/math.md, Training objectives: mean over samples of
 * log q(z|x) - log p(z)) agrees with the closed-form KL(q(z|x) || N(0, I)) on the reference
 * model, within a few standard errors, and so does the ELBO computed from those outputs.
 */
class MonteCarloKlTest {

    @Test
    void monteCarloKlMatchesTheAnalyticKl() {
        int dim = 9, d = 4, batch = 3, samples = 20000;
        VaeConfig c = ReferenceVae.tiny(dim, d, Likelihood.BERNOULLI, Activation.TANH);
        // Shift the posterior away from N(0, I) so the KL is a few nats, not ~0.
        NamedArrays p = Vae.initialise(c, 9).parameters().map((name, v) -> {
            float[] out = v.clone();
            for (int j = 0; j < out.length; j++) {
                if (name.equals(VaeNames.ENC_MU_B)) {
                    out[j] = 0.8f * (j % 2 == 0 ? 1 : -1);
                } else if (name.equals(VaeNames.ENC_LOGVAR_B)) {
                    out[j] = -1.5f + 0.5f * j;
                }
            }
            return out;
        });
        Vae vae = Vae.withParameters(c, p);
        float[] x = new float[batch * dim];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i * 7 % 5) < 2 ? 1f : 0f;
        }
        float[] eps = new float[samples * batch * d];
        NoiseSource.fill(eps, 4, NoiseSource.EVAL_STREAM, new long[]{0, 1, 2}, 0, samples, d);
        Map<String, INDArray> out = vae.output(Vae.matrix(x, batch, dim), Nd4j.create(eps, new long[]{samples, batch, d}, 'c'),
                VaeNames.LOG_PX_Z, VaeNames.LOG_PZ, VaeNames.LOG_QZ_X, VaeNames.KL);
        double[] logQ = out.get(VaeNames.LOG_QZ_X).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] logP = out.get(VaeNames.LOG_PZ).castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] mcElbo = Vae.elbo(Map.of(VaeNames.LOG_PX_Z, out.get(VaeNames.LOG_PX_Z), VaeNames.LOG_PZ,
                out.get(VaeNames.LOG_PZ), VaeNames.LOG_QZ_X, out.get(VaeNames.LOG_QZ_X)));
        double[] exactElbo = Vae.elbo(out.get(VaeNames.LOG_PX_Z), out.get(VaeNames.KL));
        ReferenceVae ref = new ReferenceVae(c, p);
        for (int b = 0; b < batch; b++) {
            double sum = 0, sumSq = 0;
            for (int s = 0; s < samples; s++) {
                double r = logQ[s * batch + b] - logP[s * batch + b];
                sum += r;
                sumSq += r * r;
            }
            double mean = sum / samples;
            double se = Math.sqrt((sumSq / samples - mean * mean) / (samples - 1));
            double[][] enc = ref.encode(java.util.Arrays.copyOfRange(x, b * dim, (b + 1) * dim));
            double kl = ReferenceVae.analyticKl(enc[0], enc[1]);
            assertEquals(kl, out.get(VaeNames.KL).getDouble(b), 1e-4);
            assertTrue(kl > 1 && se < 0.02 * kl, "the test needs a sizeable KL and a small standard error: " + kl + ", " + se);
            assertEquals(kl, mean, 4 * se, "example " + b + ": Monte-Carlo KL " + mean + " +- " + se + " vs analytic " + kl);
            assertEquals(exactElbo[b], mcElbo[b], 4 * se, "example " + b + ": ELBO from the Monte-Carlo KL");
        }
    }
}
