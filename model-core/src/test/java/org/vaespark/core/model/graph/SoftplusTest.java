package org.vaespark.core.model.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.testing.GradientCheck;
import org.vaespark.core.testing.TestConfigs;

/**
 * {@link Graph#softplus}: values log(1 + e^v) and reverse-mode derivative sigma(v), including at v = 0
 * exactly, where a Bernoulli decoder's logit sits whenever its last hidden layer is all off and its
 * output bias is zero (the M2 gradient check met it). The naive max(v, 0) + log1p(e^{-|v|}) has
 * derivative 0 there in SameDiff M2.1, whose relu and abs both take slope 0 at 0.
 */
class SoftplusTest {
    private static final double[] V = {-40, -3, -1e-7, 0, 0, 1e-7, 0.5, 3, 40};

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /** sum_i (i + 1) f(v_i), so each entry's gradient is (i + 1) f'(v_i). */
    private static SameDiff graph(java.util.function.BiFunction<Graph, SDVariable, SDVariable> f) {
        SameDiff sd = SameDiff.create();
        VaeConfig c = TestConfigs.model(TestConfigs.small(), 4);
        Graph g = new Graph(sd, c, DataType.DOUBLE);
        SDVariable v = sd.var("v", Nd4j.createFromArray(V));
        double[] w = new double[V.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = i + 1;
        }
        SDVariable value = sd.identity("value", f.apply(g, v));
        value.mul(g.constant(Nd4j.createFromArray(w))).sum().rename("loss");
        return sd;
    }

    @Test
    void valuesAreLogOnePlusExpAndGradientsAreTheSigmoidEvenAtZero() {
        SameDiff sd = graph(Graph::softplus);
        INDArray value = sd.output(Map.of(), "value").get("value");
        INDArray grad = sd.calculateGradients(Map.of(), "v").get("v");
        for (int i = 0; i < V.length; i++) {
            double expected = Math.max(V[i], 0) + Math.log1p(Math.exp(-Math.abs(V[i])));
            assertEquals(expected, value.getDouble(i), 1e-14 * Math.max(1, expected), "softplus(" + V[i] + ")");
            assertEquals((i + 1) * sigmoid(V[i]), grad.getDouble(i), 1e-12, "d softplus / dv at " + V[i]);
        }
        GradientCheck.check(sd, Map.of(), "loss", V.length, 1e-8);
    }

    @Test
    void theNaiveFormHasSlopeZeroAtZeroInSameDiff() {
        SameDiff sd = graph((g, v) -> g.sd().nn.relu(v, 0).add(g.sd().math.log1p(g.sd().math.exp(g.sd().math.abs(v).neg()))));
        INDArray grad = sd.calculateGradients(Map.of(), "v").get("v");
        assertEquals(0.0, grad.getDouble(3), 1e-15, "relu'(0) = |.|'(0) = 0: the reason Graph.softplus writes max(v, 0) as (v + |v|) / 2");
        assertEquals(9 * sigmoid(40), grad.getDouble(8), 1e-12, "away from 0 the two forms agree");
    }
}
