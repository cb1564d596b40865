package org.vaespark.core.model.objective;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.samediff.ModelGraph;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.testing.TestConfigs;
import org.vaespark.core.train.Shard;

/**
 * A small model of the test configuration (784-32-4) built in DOUBLE, fed real binarized MNIST
 * rows and fixed noise, with its outputs read back as plain Java arrays for reference computations.
 */
final class ObjectiveFixture {
    final VaeConfig config;
    final NamedArrays params;
    final SameDiff sd;
    final int batch;
    final int samples;
    final double[] x;
    final double[] eps;

    /** Parameters from seed 11, so two fixtures with the same layout share them. */
    ObjectiveFixture(int batch, int samples, String... overrides) {
        this.config = TestConfigs.model(TestConfigs.small(overrides), 784);
        this.params = Vae.initialise(config, 11).parameters();
        this.sd = ModelGraph.build(config, params, DataType.DOUBLE);
        this.batch = batch;
        this.samples = samples;
        Shard rows = MnistRows.binarized("train", batch, 0);
        this.x = new double[batch * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = rows.pixels()[i];
        }
        int n = config.noiseDim();
        float[] noise = new float[samples * batch * n];
        NoiseSource.fill(noise, 5, 17, rows.ids(), 0, samples, n);
        this.eps = new double[noise.length];
        for (int i = 0; i < noise.length; i++) {
            eps[i] = noise[i];
        }
    }

    Map<String, INDArray> placeholders(double beta) {
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(VaeNames.X, Nd4j.create(x, new long[]{batch, 784}, 'c'));
        ph.put(VaeNames.EPS, Nd4j.create(eps, new long[]{samples, batch, config.noiseDim()}, 'c'));
        if (sd.hasVariable(VaeNames.BETA)) {
            ph.put(VaeNames.BETA, Nd4j.scalar(beta));
        }
        return ph;
    }

    double loss(double beta) {
        return sd.output(placeholders(beta), VaeNames.LOSS).get(VaeNames.LOSS).getDouble(0);
    }

    Map<String, INDArray> gradients(double beta) {
        return sd.calculateGradients(placeholders(beta), List.copyOf(params.names()));
    }

    /** A [S, B] or [B, d] output as rows of doubles. */
    double[][] rows(String name) {
        INDArray a = sd.output(placeholders(1.0), name).get(name).castTo(DataType.DOUBLE);
        double[][] out = new double[(int) a.size(0)][(int) a.size(1)];
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = a.getDouble(i, j);
            }
        }
        return out;
    }

    /** Noise column {@code j} of sample s, example b. */
    double eps(int s, int b, int j) {
        return eps[(s * batch + b) * config.noiseDim() + j];
    }

    /** The mean over samples and examples of a [S, B] array. */
    static double mean(double[][] v) {
        double sum = 0;
        int n = 0;
        for (double[] row : v) {
            for (double e : row) {
                sum += e;
                n++;
            }
        }
        return sum / n;
    }

    /** Per-dimension analytic KL -1/2 (1 + logvar - mu^2 - exp(logvar)), averaged over examples: [d]. */
    double[] klPerDimension() {
        double[][] mu = rows(VaeNames.Z_MEAN);
        double[][] logvar = rows(VaeNames.Z_LOGVAR);
        double[] kl = new double[mu[0].length];
        for (int b = 0; b < mu.length; b++) {
            for (int j = 0; j < kl.length; j++) {
                kl[j] += -0.5 * (1 + logvar[b][j] - mu[b][j] * mu[b][j] - Math.exp(logvar[b][j])) / mu.length;
            }
        }
        return kl;
    }
}
