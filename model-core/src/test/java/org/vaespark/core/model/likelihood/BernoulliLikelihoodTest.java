package org.vaespark.core.model.likelihood;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.testing.GradientCheck;
import org.vaespark.core.testing.TestConfigs;

/**
 * The Bernoulli log-likelihood sum_j x_j l_j - softplus(l_j) against plain-Java double arithmetic:
 * values for S samples sharing each example's x (also for grey x in (0, 1) and extreme logits) and
 * the reverse-mode derivative x - sigma(l), including at l = 0 exactly, in float and double.
 */
class BernoulliLikelihoodTest {
    private static final int S = 2;
    private static final int B = 2;
    private static final int D = 4;
    private static final double[] X = {1, 0, 0.3, 1, 0, 1, 0.5, 0};
    private static final double[] L = {
        0, -40, 3, 40, 0.5, -0.5, 0, -3,
        -1e-7, 20, -2, 0, 1.5, 0, -88, 90};

    private static double softplus(double v) {
        return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    private static SameDiff graph(DataType dtype, Graph[] built) {
        VaeConfig c = VaeConfig.from(TestConfigs.small().config(), new ImageShape(1, D, 1));
        SameDiff sd = SameDiff.create();
        Graph g = new Graph(sd, c, dtype);
        built[0] = g;
        SDVariable l = sd.var("l", Nd4j.create(L, new long[]{S, B, D}, 'c').castTo(dtype));
        SDVariable lp = sd.identity("logp", new BernoulliLikelihood(D).logProb(g, g.x(), l));
        lp.mul(g.constant(Nd4j.createFromArray(new double[][]{{1, 2}, {3, 4}}))).sum().rename("loss");
        sd.setLossVariables("loss");
        return sd;
    }

    private static void check(DataType dtype, double tolerance) {
        Graph[] g = new Graph[1];
        SameDiff sd = graph(dtype, g);
        Map<String, INDArray> feed = Map.of(g[0].x().name(), Nd4j.create(X, new long[]{B, D}, 'c').castTo(dtype));
        INDArray logp = sd.output(feed, "logp").get("logp").castTo(DataType.DOUBLE);
        INDArray grad = sd.calculateGradients(feed, "l").get("l").castTo(DataType.DOUBLE);
        double[] weight = {1, 2, 3, 4};
        for (int s = 0; s < S; s++) {
            for (int b = 0; b < B; b++) {
                double expected = 0;
                for (int j = 0; j < D; j++) {
                    double l = L[(s * B + b) * D + j];
                    double x = X[b * D + j];
                    expected += x * l - softplus(l);
                    assertEquals(weight[s * B + b] * (x - sigmoid(l)), grad.getDouble(s, b, j), tolerance,
                            "d log p / d l at s=" + s + " b=" + b + " j=" + j);
                }
                assertEquals(expected, logp.getDouble(s, b), tolerance * Math.max(1, Math.abs(expected)), "log p at s=" + s + " b=" + b);
            }
        }
    }

    @Test
    void floatValuesAndGradientsMatchJava() {
        check(DataType.FLOAT, 1e-5);
    }

    @Test
    void doubleValuesAndGradientsMatchJavaAndFiniteDifferences() {
        check(DataType.DOUBLE, 1e-12);
        Graph[] g = new Graph[1];
        SameDiff sd = graph(DataType.DOUBLE, g);
        GradientCheck.check(sd, Map.of(g[0].x().name(), Nd4j.create(X, new long[]{B, D}, 'c')), "loss", L.length, 1e-6);   // |loss| ~ 300: round-off of the difference quotient is ~1e-8
    }
}
