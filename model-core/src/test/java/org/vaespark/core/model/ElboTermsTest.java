package org.vaespark.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.samediff.Vae;

/** {@link Vae#reconstruction} and {@link Vae#kl}, the ELBO's two terms, against sums written out by hand. */
class ElboTermsTest {
    // S = 2 samples, B = 3 examples, values row-major [S, B].
    private static final double[] PX = {-50.0, -60.5, -70.25, -52.0, -58.5, -71.75};
    private static final double[] PZ = {-10.0, -11.0, -12.0, -9.0, -13.0, -12.5};
    private static final double[] QZ = {5.0, 4.0, 3.5, 6.0, 2.0, 4.5};

    private static INDArray sb(double[] v) {
        return Nd4j.create(v, new long[]{2, 3}, 'c');
    }

    @Test
    void monteCarloTermsAreSampleMeansAndAddUpToTheElbo() {
        Map<String, INDArray> out = Map.of(VaeNames.LOG_PX_Z, sb(PX), VaeNames.LOG_PZ, sb(PZ), VaeNames.LOG_QZ_X, sb(QZ));
        double[] rec = Vae.reconstruction(out);
        double[] kl = Vae.kl(out);
        double[] elbo = Vae.elbo(out);
        for (int b = 0; b < 3; b++) {
            double r = (PX[b] + PX[3 + b]) / 2;
            double k = ((QZ[b] - PZ[b]) + (QZ[3 + b] - PZ[3 + b])) / 2;
            assertArrayEquals(new double[]{r, k, r - k}, new double[]{rec[b], kl[b], elbo[b]}, 1e-12);
        }
    }

    @Test
    void theAnalyticKlIsTakenAsItIsAndAbsentOutputsGiveNoKl() {
        double[] analytic = {3.0, 4.5, 0.25};
        Map<String, INDArray> out = Map.of(VaeNames.LOG_PX_Z, sb(PX), VaeNames.KL, Nd4j.createFromArray(analytic));
        assertArrayEquals(analytic, Vae.kl(out), 0);
        assertArrayEquals(new double[]{-51.0, -59.5, -71.0}, Vae.reconstruction(out), 1e-12);
        assertNull(Vae.kl(Map.of(VaeNames.LOG_PX_Z, sb(PX))));
    }
}
