package org.vaespark.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.config.Settings;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.tensor.NamedArrays;

/**
 * The safetensors export of a convolutional Bernoulli VAE, read back and run by {@link TorchReference}
 * (PyTorch's layouts and NCHW layers, plain Java), gives the model's own log p(x|z) for the same x and
 * noise. Three channels, so the channels-last / channels-first reorderings are all exercised.
 */
class SafetensorsTorchTest {
    private static final int H = 8;
    private static final int W = 8;
    private static final int C = 3;
    private static final int D_Z = 5;

    @TempDir
    Path dir;

    @Test
    void plainJavaReaderRecomputesLogPxzOfAConvModel() throws IOException {
        VaeConfig c = VaeConfig.from(Settings.defaults("model.architecture=conv", "model.conv.channels=[4, 6]", "model.conv.dense=12",
                "model.latent-dim=" + D_Z, "model.activation=relu", "model.likelihood=bernoulli").config(), new ImageShape(H, W, C));
        SplittableRandom rng = new SplittableRandom(11);
        // Non-zero biases and weights larger than the initial ones, so every bias and kernel entry moves log p(x|z).
        NamedArrays params = Vae.initialise(c, 3).parameters().map((n, v) -> {
            float[] p = v.clone();
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) (2 * p[i] + 0.2 * (rng.nextDouble() - 0.5));
            }
            return p;
        });
        Vae vae = Vae.withParameters(c, params);
        Path file = dir.resolve("model.safetensors");
        SafetensorsExport.write(file, c, params);

        int batch = 4;
        int samples = 2;
        float[] x = new float[batch * H * W * C];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble() < 0.3 ? 1f : 0f;
        }
        float[] eps = new float[samples * batch * D_Z];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = (float) (rng.nextGaussian());
        }
        Map<String, INDArray> out = vae.output(Nd4j.create(x, new long[]{batch, H * W * C}, 'c'),
                Nd4j.create(eps, new long[]{samples, batch, D_Z}, 'c'), VaeNames.LOG_PX_Z);
        float[] model = out.get(VaeNames.LOG_PX_Z).castTo(DataType.FLOAT).ravel().toFloatVector();

        TorchReference torch = new TorchReference(file, H, W, C, 4, 6);
        double spread = 0;
        for (int s = 0; s < samples; s++) {
            for (int b = 0; b < batch; b++) {
                float[] row = java.util.Arrays.copyOfRange(x, b * H * W * C, (b + 1) * H * W * C);
                float[] e = java.util.Arrays.copyOfRange(eps, (s * batch + b) * D_Z, (s * batch + b + 1) * D_Z);
                double expected = model[s * batch + b];
                double actual = torch.logPxz(row, e);
                assertEquals(expected, actual, 1e-4 * Math.abs(expected) + 1e-3, "sample " + s + ", example " + b);
                spread = Math.max(spread, Math.abs(expected - model[0]));
            }
        }
        assertTrue(spread > 1, "the examples differ, so a wrong layout could not match them all: spread " + spread);
    }
}
