package org.vaespark.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vaespark.core.config.Settings;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.testing.TestConfigs;
import org.vaespark.core.train.NativeThreads;

/**
 * The concurrent GEMMs of {@link DenseGemms#concurrent} (a layer's weight and input gradients side
 * by side, other products split into column halves, each GEMM on one BLAS thread; the output
 * layer's Bernoulli pass in two column ranges; Adam's two halves on the same pair) against the
 * sequential path at one BLAS thread with a one-thread Adam: after several gradient and Adam steps
 * (Kingma &amp; Ba 2015) every parameter must be the same float, bit for bit, and log p(x|z) agree
 * to float rounding.
 */
class DenseConcurrentGemmsTest {
    @Test
    void referenceModelIsBitIdenticalAfterTenSteps() {
        compare(VaeConfig.from(Settings.defaults().config(), 784), 100, 10);
    }

    @Test
    void smallTanhModelWithOddWidthsIsBitIdentical() {
        compare(TestConfigs.model(TestConfigs.small("model.encoder.hidden=[37, 23]", "model.decoder.hidden=[19]",
                "model.latent-dim=5", "model.activation=tanh"), 784), 13, 6);
    }

    @Test
    void oneLayerReluModelIsBitIdentical() {
        compare(TestConfigs.model(TestConfigs.small("model.encoder.hidden=[31]", "model.decoder.hidden=[29]",
                "model.activation=relu"), 784), 17, 6);
    }

    /**
     * Column halves are not bit-identical; they must stay within float rounding of the sequential
     * path after ten steps (the 2-BLAS-thread sequential path's own difference is printed beside).
     */
    @Test
    void columnHalvesStayWithinRoundingOfTheSequentialPath() {
        VaeConfig c = VaeConfig.from(Settings.defaults().config(), 784);
        NativeThreads.configure(1);
        Vae model = Vae.initialise(c, 3);
        DenseLayout layout = new DenseLayout(model.layout());
        float[] start = layout.flatten(model.parameters());
        float[] sequential = train(c, layout, start, 100, 10, DenseGemms.sequential());
        float[] halves = train(c, layout, start, 100, 10, DenseGemms.concurrent(true));
        NativeThreads.configure(2);
        float[] twoThreads = train(c, layout, start, 100, 10, DenseGemms.sequential());
        NativeThreads.configure(1);
        double[] d = difference(sequential, halves);
        double[] d2 = difference(sequential, twoThreads);
        System.out.printf("after 10 steps vs 1 BLAS thread: column halves differ in %.0f of %d parameters, max |diff| %.3e;"
                + " sequential at 2 BLAS threads in %.0f, max |diff| %.3e%n", d[0], start.length, d[1], d2[0], d2[1]);
        assertTrue(d[1] < 1e-5, "column halves drift by " + d[1]);
    }

    private static void compare(VaeConfig c, int batch, int steps) {
        NativeThreads.configure(1);
        Vae model = Vae.initialise(c, 3);
        DenseLayout layout = new DenseLayout(model.layout());
        float[] start = layout.flatten(model.parameters());
        double[] sequentialLogPx = new double[batch];
        double[] concurrentLogPx = new double[batch];
        float[] sequential = train(c, layout, start, batch, steps, DenseGemms.sequential(), sequentialLogPx);
        float[] concurrent = train(c, layout, start, batch, steps, DenseGemms.concurrent(false), concurrentLogPx);
        for (int b = 0; b < batch; b++) {
            // the row's linear term is summed in float lanes, so two column ranges round it differently
            assertEquals(sequentialLogPx[b], concurrentLogPx[b], 1e-6 * Math.abs(sequentialLogPx[b]), "log p(x|z) of example " + b);
        }
        double[] d = difference(sequential, concurrent);
        boolean moved = false;
        for (int i = 0; i < start.length && !moved; i++) {
            moved = sequential[i] != start[i];
        }
        assertTrue(moved, "training changed no parameter");
        assertEquals(0, (int) d[0], d[0] + " of " + start.length + " parameters differ, by up to " + d[1]);
    }

    /** How many floats differ in their bits, and the largest absolute difference. */
    private static double[] difference(float[] a, float[] b) {
        int differ = 0;
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                differ++;
                worst = Math.max(worst, Math.abs((double) a[i] - b[i]));
            }
        }
        return new double[]{differ, worst};
    }

    private static float[] train(VaeConfig c, DenseLayout layout, float[] start, int batch, int steps, DenseGemms gemms) {
        return train(c, layout, start, batch, steps, gemms, new double[batch]);
    }

    /** The parameters after {@code steps} steps, with the last step's log p(x|z) in {@code logPx}; Adam runs on the GEMMs' pair where there is one. */
    private static float[] train(VaeConfig c, DenseLayout layout, float[] start, int batch, int steps, DenseGemms gemms, double[] logPx) {
        SplittableRandom rng = new SplittableRandom(7);
        int pixels = c.inputDim();
        float[] x = new float[batch * pixels];
        float[] eps = new float[batch * c.latentDim()];
        double[] kl = new double[batch];
        boolean pair = gemms.pair() != null;
        try (DenseVae net = new DenseVae(c, layout, gemms);
             DenseAdam adam = new DenseAdam(1e-3, 0.9, 0.999, 1e-8, new float[layout.total()], new float[layout.total()], 0, pair ? 2 : 1).on(net)) {
            net.setParameters(start);
            for (int s = 0; s < steps; s++) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = rng.nextDouble() < 0.3 ? 1f : 0f;
                }
                for (int i = 0; i < eps.length; i++) {
                    eps[i] = (float) rng.nextGaussian();
                }
                net.gradient(x, eps, 1f, logPx, kl);
                adam.update(net.parameterBytes(), net.gradientBytes());
            }
            return net.parameters();
        }
    }
}
