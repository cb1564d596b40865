package org.vaespark.core.train;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.model.PriorKind;
import org.vaespark.core.model.PseudoInputInit;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.prior.VampPrior;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.tensor.NamedArrays;

/**
 * The data initialisation of the VampPrior's pseudo-inputs (Tomczak &amp; Welling 2018, as their
 * code does): K seeded training examples plus jitter. Lives beside the training data it reads,
 * so the model description does not depend on the trainer.
 */
public final class VampPriorInit {
    private static final long CHOICE_STREAM = 0x7A3BL;
    private static final long JITTER_STREAM = 0x7A3CL;

    private VampPriorInit() {
    }

    /**
     * Replaces the pseudo-inputs of {@code params} by K distinct training examples of
     * {@code data} chosen by {@code seed}, pixel-encoded with {@code binarization} (draw 0 of a
     * dynamic binarization), plus N(0, random-std^2) jitter (Tomczak &amp; Welling's code adds
     * 0.01-std noise, which also keeps binary pixels off hardtanh's kinks). Returns
     * {@code params} unchanged unless the model has a VampPrior with {@code init = data}.
     */
    public static NamedArrays initialiseFromData(VaeConfig c, NamedArrays params, Shard data, Binarization binarization,
                                                 long seed) {
        if (c.prior().kind() != PriorKind.VAMP || c.prior().pseudoInit() != PseudoInputInit.DATA) {
            return params;
        }
        int k = c.prior().components();
        int d = c.inputDim();
        if (data.dim() != d) {
            throw new IllegalArgumentException("training rows have " + data.dim() + " values, the model expects " + d);
        }
        if (k > data.size()) {
            throw Errors.badConfigValue("model.prior.components", k, "at most the " + data.size()
                    + " training examples the pseudo-inputs are drawn from, or model.prior.pseudo-inputs.init=random");
        }
        int[] rows = chooseRows(data.size(), k, seed);
        long[] ids = new long[k];
        float[] u = new float[k * d];
        for (int i = 0; i < k; i++) {
            ids[i] = data.ids()[rows[i]];
            PixelEncoding.encode(data.pixels(), rows[i], d, ids[i], binarization, seed, 0, u, i);
        }
        float[] jitter = new float[k * d];
        NoiseSource.fill(jitter, seed, JITTER_STREAM, ids, 0, 1, d);
        float std = (float) c.prior().pseudoStd();
        for (int i = 0; i < u.length; i++) {
            u[i] += std * jitter[i];
        }
        return params.map((name, v) -> name.equals(VampPrior.PSEUDO_INPUTS) ? u : v);
    }

    /** K distinct row indices of 0 .. n - 1, a pure function of (n, k, seed) (partial Fisher-Yates). */
    public static int[] chooseRows(int n, int k, long seed) {
        SplittableRandom rng = new SplittableRandom(NoiseSource.derive(seed, CHOICE_STREAM));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return Arrays.copyOf(order, k);
    }
}
