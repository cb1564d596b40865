package org.vaespark.core.model.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.config.Settings;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.testing.TestConfigs;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.samediff.Labels;
import org.vaespark.core.train.PartitionTrainer;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.RoundResult;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;

/** The CVAE (Sohn et al. 2015) uses its label: p(x|z, c) depends on c, and trained, the true label fits best. */
class ConditionalVaeTest {
    private final Settings settings = TestConfigs.small("model.kind=cvae", "data.binarization=dynamic");
    private final VaeConfig config = VaeConfig.from(settings.config(), new ImageShape(28, 28, 1));
    private final TrainConfig train = TrainConfig.from(settings.config());

    private Map<String, INDArray> outputs(Vae model, Shard data, int[] labels) {
        int n = data.size();
        float[] x = new float[n * 784];
        for (int i = 0; i < n; i++) {
            PixelEncoding.encode(data.pixels(), i, 784, data.ids()[i], train.binarization(), 3, 0, x, i);
        }
        float[] eps = new float[2 * n * config.noiseDim()];
        NoiseSource.fill(eps, 3, 4, data.ids(), 0, 2, config.noiseDim());
        Vae.Feed feed = Labels.feed(config, Vae.matrix(x, n, 784), Nd4j.create(eps, new long[]{2, n, config.noiseDim()}, 'c'),
                1.0, data.ids(), labels);
        return model.output(feed, VaeNames.LOG_PX_Z, VaeNames.LOG_QZ_X, VaeNames.KL);
    }

    private static int[] shifted(int[] labels) {
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = (labels[i] + 3) % 10;
        }
        return out;
    }

    @Test
    void theDecoderDependsOnTheLabelForTheSameLatent() {
        Vae model = Vae.initialise(config, 4);
        // Cut the label out of the encoder (rows D .. D + 9 of its first weight): z is then the same for every label.
        String w = VaeNames.encoderWeight(0);
        model.setParameters(model.parameters().map((name, a) -> {
            if (!name.equals(w)) {
                return a;
            }
            float[] v = a.clone();
            java.util.Arrays.fill(v, 784 * 32, v.length, 0f);
            return v;
        }));
        Shard data = MnistRows.raw("t10k", 20, 0);
        Map<String, INDArray> a = outputs(model, data, data.labels());
        Map<String, INDArray> b = outputs(model, data, shifted(data.labels()));
        assertEquals(a.get(VaeNames.LOG_QZ_X), b.get(VaeNames.LOG_QZ_X), "same z for both labels");
        double diff = a.get(VaeNames.LOG_PX_Z).sub(b.get(VaeNames.LOG_PX_Z)).norm1Number().doubleValue();
        assertTrue(diff > 1e-2, "log p(x|z, c) does not change with c: " + diff);
    }

    @Test
    void trainedTheTrueLabelGivesAHigherElboThanAWrongOne() {
        Shard data = MnistRows.raw("train", 600, 0);
        Vae model = Vae.initialise(config, train.seed());
        var p = model.parameters();
        RoundResult r = new PartitionTrainer(train, data).run(model, p, AdamState.zeros(p), 150);
        assertTrue(r.parameters().allFinite());
        model.setParameters(r.parameters());   // the CPU executor leaves the graph's parameters as they were
        Shard test = MnistRows.raw("t10k", 200, 0);
        double right = mean(Vae.elbo(outputs(model, test, test.labels())));
        double wrong = mean(Vae.elbo(outputs(model, test, shifted(test.labels()))));
        assertTrue(right > wrong + 1, "ELBO with true labels " + right + " vs wrong labels " + wrong);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
