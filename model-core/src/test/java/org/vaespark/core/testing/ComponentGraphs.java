package org.vaespark.core.testing;

import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.config.Settings;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.tensor.NamedArrays;

/** Tiny DOUBLE graphs holding one model component, for component-level tests. */
public final class ComponentGraphs {
    private ComponentGraphs() {
    }

    /** A tiny flat-input config (inputs of width 6, tanh) with the given model overrides. */
    public static VaeConfig tinyConfig(String... overrides) {
        Settings s = Settings.defaults("model.encoder.hidden=[5]", "model.decoder.hidden=[5]", "model.activation=tanh")
                .with(overrides);
        return VaeConfig.from(s.config(), 6);
    }

    /** The seeded parameters of {@code c} with N(0, jitter^2) added, so no bias is zero and no step is the identity. */
    public static NamedArrays jittered(ParameterLayout layout, long seed, double jitter) {
        SplittableRandom rng = new SplittableRandom(seed);
        return layout.initialise(seed).map((n, a) -> {
            float[] c = a.clone();
            for (int i = 0; i < c.length; i++) {
                c[i] += (float) (jitter * gaussian(rng));
            }
            return c;
        });
    }

    /** A DOUBLE graph with every parameter as a variable; components are then applied to it. */
    public static Graph graph(VaeConfig c, NamedArrays params) {
        SameDiff sd = SameDiff.create();
        for (String name : params.names()) {
            sd.var(name, params.toNd4j(name).castTo(DataType.DOUBLE));
        }
        return new Graph(sd, c, DataType.DOUBLE);
    }

    /** Zeros of the shape of the noise placeholder [S, B, noiseDim] (it fixes S and B for reshapes). */
    public static INDArray noiseShape(VaeConfig c, int samples, int batch) {
        return Nd4j.zeros(DataType.DOUBLE, samples, batch, c.noiseDim());
    }

    public static double[][] randomRows(SplittableRandom rng, int rows, int cols, double scale) {
        double[][] x = new double[rows][cols];
        for (double[] r : x) {
            for (int j = 0; j < cols; j++) {
                r[j] = scale * gaussian(rng);
            }
        }
        return x;
    }

    /** [S * B][d] rows to an [S, B, d] array. */
    public static INDArray samples(double[][] rows, int samples, int batch) {
        return Nd4j.createFromArray(rows).reshape(samples, batch, rows[0].length);
    }

    /** An [S, B, d] (or [N, d]) array to [S * B][d] rows. */
    public static double[][] rows(INDArray a) {
        long d = a.size(a.rank() - 1);
        return a.castTo(DataType.DOUBLE).reshape(a.length() / d, d).toDoubleMatrix();
    }

    public static double gaussian(SplittableRandom rng) {
        double u1 = (rng.nextLong() >>> 11) * 0x1.0p-53 + 0x1.0p-54;
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}
