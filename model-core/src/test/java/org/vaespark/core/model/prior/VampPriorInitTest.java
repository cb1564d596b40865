package org.vaespark.core.model.prior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.testing.TestConfigs;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.VampPriorInit;

/** Data initialisation of VampPrior pseudo-inputs and the configurations the VampPrior rejects. */
class VampPriorInitTest {
    private static final int K = 7;

    private static VaeConfig vamp(String init) {
        return VaeConfig.from(TestConfigs.small("model.prior.kind=vamp", "model.prior.components=" + K,
                "model.prior.pseudo-inputs.init=" + init).config(), new ImageShape(28, 28, 1));
    }

    @Test
    void dataInitialisationPicksKDistinctTrainingRowsBySeed() {
        VaeConfig c = vamp("data");
        Shard data = MnistRows.binarized("train", 40, 0);
        NamedArrays p = Vae.initialise(c, 1).parameters();
        int[] a = pickedRows(VampPriorInit.initialiseFromData(c, p, data, Binarization.STATIC, 5), data);
        int[] again = pickedRows(VampPriorInit.initialiseFromData(c, p, data, Binarization.STATIC, 5), data);
        int[] other = pickedRows(VampPriorInit.initialiseFromData(c, p, data, Binarization.STATIC, 6), data);
        Set<Integer> distinct = new HashSet<>();
        for (int r : a) {
            distinct.add(r);
        }
        assertEquals(K, distinct.size(), "pseudo-inputs must be distinct training rows");
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(again), "same seed, same rows");
        assertFalse(java.util.Arrays.equals(a, other), "another seed should pick other rows");
        NamedArrays q = VampPriorInit.initialiseFromData(c, p, data, Binarization.STATIC, 5);
        for (String name : p.names()) {
            if (!name.equals(VampPrior.PSEUDO_INPUTS)) {
                assertTrue(java.util.Arrays.equals(p.values(name), q.values(name)), name + " must not change");
            }
        }
    }

    @Test
    void greyLevelDataIsScaledToTheUnitInterval() {
        VaeConfig c = VaeConfig.from(TestConfigs.small("model.prior.kind=vamp", "model.prior.components=2",
                "model.prior.pseudo-inputs.random-std=1e-6", "model.likelihood=gaussian").config(), 3);
        byte[][] rows = {{0, (byte) 255, 51}, {102, 0, (byte) 204}, {(byte) 153, 51, 0}};
        Shard data = Shard.of(0, new long[]{10, 11, 12}, rows, 3);
        float[] u = VampPriorInit.initialiseFromData(c, Vae.initialise(c, 1).parameters(), data, Binarization.NONE, 2)
                .values(VampPrior.PSEUDO_INPUTS);
        int[] chosen = VampPriorInit.chooseRows(3, 2, 2);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals((rows[chosen[i]][j] & 0xFF) / 255.0, u[i * 3 + j], 1e-5);
            }
        }
    }

    @Test
    void randomInitialisationAndOtherPriorsAreLeftAlone() {
        Shard data = MnistRows.binarized("train", 10, 0);
        VaeConfig random = vamp("random");
        NamedArrays p = Vae.initialise(random, 1).parameters();
        assertSame(p, VampPriorInit.initialiseFromData(random, p, data, Binarization.STATIC, 1));
        float[] u = p.values(VampPrior.PSEUDO_INPUTS);
        double mean = 0;
        for (float v : u) {
            mean += v / u.length;
        }
        assertEquals(0.05, mean, 0.001, "random pseudo-inputs are N(0.05, 0.01^2)");
    }

    @Test
    void moreComponentsThanTrainingRowsIsAConfigError() {
        VaeConfig c = vamp("data");
        Shard data = MnistRows.binarized("train", K - 1, 0);
        VaeException e = assertThrows(VaeException.class,
                () -> VampPriorInit.initialiseFromData(c, Vae.initialise(c, 1).parameters(), data, Binarization.STATIC, 1));
        assertTrue(e.getMessage().contains("model.prior.components"), e.getMessage());
    }

    @Test
    void conditionalModelsRejectTheVampPrior() {
        VaeException e = assertThrows(VaeException.class, () -> VaeConfig.from(TestConfigs.small("model.kind=cvae",
                "model.prior.kind=vamp").config(), 784));
        assertTrue(e.getMessage().contains("model.prior.kind"), e.getMessage());
    }

    /** For each pseudo-input, the index of the one training row it lies within 0.1 of (jitter is 0.01-std). */
    private static int[] pickedRows(NamedArrays p, Shard data) {
        float[] u = p.values(VampPrior.PSEUDO_INPUTS);
        int d = data.dim();
        int[] out = new int[K];
        for (int k = 0; k < K; k++) {
            int found = -1;
            boolean jittered = false;
            for (int r = 0; r < data.size(); r++) {
                boolean close = true;
                for (int j = 0; j < d && close; j++) {
                    close = Math.abs(u[k * d + j] - data.pixels()[r * d + j]) < 0.1;
                }
                if (close) {
                    assertEquals(-1, found, "pseudo-input " + k + " matches two rows");
                    found = r;
                    for (int j = 0; j < d; j++) {
                        jittered |= u[k * d + j] != data.pixels()[r * d + j];
                    }
                }
            }
            assertTrue(found >= 0, "pseudo-input " + k + " is no training row");
            assertTrue(jittered, "pseudo-input " + k + " has no jitter");
            out[k] = found;
        }
        return out;
    }
}
