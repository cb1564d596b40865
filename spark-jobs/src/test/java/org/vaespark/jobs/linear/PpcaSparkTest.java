package org.vaespark.jobs.linear;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.vaespark.core.linear.ColumnMatch;
import org.vaespark.core.linear.LinearVaeConfig;
import org.vaespark.core.linear.Moments;
import org.vaespark.core.linear.PpcaComparison;
import org.vaespark.core.linear.PpcaReport;
import org.vaespark.core.linear.Spectrum;
import org.vaespark.core.linear.Subspaces;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * PPCA against the linear VAE on Gaussian samples with a known spectrum, the moments computed through real local
 * Spark (MLlib's RowMatrix): the sample spectrum is near the known one, and the angles, the log p(x) agreement,
 * rotation invariance and the collapse rule hold on it.
 */
class PpcaSparkTest {
    private static final double[] LAMBDA = {8, 5, 3.2, 2.0, 0.6, 0.5, 0.45, 0.4, 0.35, 0.3, 0.27, 0.24};
    private static final int D = LAMBDA.length;

    /** n samples of N(μ, U diag(λ) Uᵀ) for a fixed random rotation U. */
    private static List<double[]> samples(int n, long seed) {
        double[][] u = Subspaces.randomRotation(D, 42);
        Random r = new Random(seed);
        List<double[]> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            double[] x = new double[D];
            for (int j = 0; j < D; j++) {
                double e = Math.sqrt(LAMBDA[j]) * r.nextGaussian();
                for (int i = 0; i < D; i++) {
                    x[i] += u[i][j] * e;
                }
            }
            for (int i = 0; i < D; i++) {
                x[i] += 0.5 + 0.1 * i;
            }
            out.add(x);
        }
        return out;
    }

    private static Moments sparkMoments(SparkSession spark, List<double[]> rows) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Vector> vectors = rows.stream().map(Vectors::dense).toList();
        return CovarianceMoments.of(sc.parallelize(vectors, 4), "test samples");
    }

    @Test
    void knownSpectrumThroughSparkGivesPpcaAndTheLinearVaeTheTheoryPredicts() {
        SparkSession spark = SparkTestSession.get();
        List<double[]> trainRows = samples(20000, 1);
        Moments train = sparkMoments(spark, trainRows);
        Moments test = sparkMoments(spark, samples(5000, 2));
        Moments direct = Moments.of(trainRows.toArray(new double[0][]));
        assertEquals(20000, train.count());
        assertArrayEquals(direct.mean(), train.mean(), 1e-10);
        for (int i = 0; i < D; i++) {
            assertArrayEquals(direct.covariance()[i], train.covariance()[i], 1e-9, "covariance row " + i);
        }
        Spectrum spectrum = Spectrum.of(train);
        for (int i = 0; i < D; i++) {
            // sampling error of an eigenvalue ~ λ √(2/N) = 1 % here
            assertEquals(LAMBDA[i], spectrum.eigenvalues()[i], 0.05 * LAMBDA[i], "eigenvalue " + i);
        }

        int latent = 3;
        LinearVaeConfig config = new LinearVaeConfig(latent, 10000, 0.02, 0.002, 0.01, 5, 1e-3, List.of(0, 1, 2), 0.01, 5000);
        PpcaReport report = PpcaComparison.compare(train, test, spectrum, config);
        PpcaReport.Fit fit = report.fit();
        assertTrue(fit.trainShortfall() > -1e-9 && fit.trainShortfall() < 1e-3, "shortfall " + fit.trainShortfall());
        assertTrue(Math.abs(fit.ppcaTestLogLik() - fit.vaeTestLogLik()) < 1e-3, "held out: " + fit.ppcaTestLogLik() + " vs " + fit.vaeTestLogLik());
        assertTrue(fit.ppcaTestLogLik() < fit.ppcaTrainLogLik(), "held-out data fit worse than the data PPCA was fitted to");
        assertTrue(report.maxAngleDegrees() < 0.5, Arrays.toString(report.anglesDegrees()));
        assertEquals(fit.ppcaTrainLogLik(), fit.rotatedTrainLogLik(), 1e-9);
        assertEquals(fit.ppcaTestLogLik(), fit.rotatedTestLogLik(), 1e-9);
        assertTrue(fit.rotatedDiagonalGap() > 0.01 && fit.vaeDiagonalGap() < 1e-3);
        assertTrue(ColumnMatch.isPermutation(report.matches()));
        for (ColumnMatch m : report.matches()) {
            assertTrue(m.absCosine() > 0.999 && m.relativeResidual() < 0.02, m.toString());
        }
        int[] active = {latent, 0, 1, 2};
        for (int k = 0; k < active.length; k++) {
            PpcaReport.Collapse c = report.sweep().get(k);
            assertEquals(k == 0, c.maximumLikelihood());
            assertEquals(latent - active[k], c.theoryCollapsed(), "σ² = " + c.sigma2());
            assertEquals(latent - active[k], c.vaeCollapsed(), "σ² = " + c.sigma2() + ": " + Arrays.toString(c.vaeKl()));
            assertTrue(c.maxKlError() < 0.01, "σ² = " + c.sigma2() + ": " + Arrays.toString(c.vaeKl()) + " vs " + Arrays.toString(c.theoryKl()));
        }
        assertTrue(report.markdown("t").contains("a signed permutation"));
    }
}
