package org.vaespark.core.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.config.Settings;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.flow.FlowResult;
import org.vaespark.core.model.flow.Flows;
import org.vaespark.core.model.flow.PlanarFlow;
import org.vaespark.core.model.flow.PosteriorFlow;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.model.structure.ModelDescription;
import org.vaespark.core.testing.ComponentGraphs;
import org.vaespark.core.testing.Jacobians;

/**
 * Planar flows (Rezende &amp; Mohamed 2015) and IAF (Kingma et al. 2016): the summed
 * log-determinant equals log|det J| of a central-difference Jacobian of the whole flow, in double
 * precision, on random inputs and parameters; the planar constraint wᵀû ≥ −1 holds for any raw
 * parameters, including wᵀu ≪ −1.
 */
class PosteriorFlowTest {
    private static final int D = 4;
    private static final int FEATURES = 5;
    private static final int SAMPLES = 2;
    private static final int BATCH = 3;

    @ParameterizedTest
    @ValueSource(strings = {"planar", "iaf"})
    void logDetMatchesTheFiniteDifferenceJacobian(String kind) {
        VaeConfig c = ComponentGraphs.tinyConfig("model.posterior.kind=" + kind, "model.posterior.length=3",
                "model.latent-dim=" + D, "model.posterior.iaf.hidden=[7]", "model.posterior.iaf.context=3");
        Graph g = ComponentGraphs.graph(c, ComponentGraphs.jittered(ModelDescription.layout(c), 11, 0.4));
        SameDiff sd = g.sd();
        PosteriorFlow flow = Flows.create(c, D, FEATURES);
        SDVariable z0 = sd.placeHolder("z0", DataType.DOUBLE, -1, -1, D);
        SDVariable ctx = sd.placeHolder("ctx", DataType.DOUBLE, -1, FEATURES);
        FlowResult r = flow.apply(g, z0, ctx);
        sd.identity("zk", r.z());
        sd.identity("logdet", r.logDet());

        SplittableRandom rng = new SplittableRandom(17);
        double[][] z = ComponentGraphs.randomRows(rng, SAMPLES * BATCH, D, 1.0);
        INDArray context = Nd4j.createFromArray(ComponentGraphs.randomRows(rng, BATCH, FEATURES, 1.5));
        double[][][] jac = Jacobians.rowwise(rows -> ComponentGraphs.rows(eval(sd, c, rows, context).get("zk")), z, 1e-5);
        double[] logDet = column(ComponentGraphs.rows(eval(sd, c, z, context).get("logdet").reshape(SAMPLES * BATCH, 1)));
        double largest = 0;
        for (int row = 0; row < z.length; row++) {
            double expected = Jacobians.logAbsDet(jac[row]);
            assertEquals(expected, logDet[row], 1e-6, kind + ": log|det| of row " + row);
            largest = Math.max(largest, Math.abs(expected));
        }
        assertTrue(largest > 0.05, kind + ": the flow is too close to the identity for the test to mean anything");
    }

    @Test
    void planarConstraintHoldsForAnyRawParameters() {
        VaeConfig c = ComponentGraphs.tinyConfig("model.posterior.kind=planar", "model.latent-dim=" + D);
        Graph g = ComponentGraphs.graph(c, ModelDescription.layout(c).initialise(1));
        SameDiff sd = g.sd();
        SDVariable u = sd.placeHolder("u", DataType.DOUBLE, -1, D);
        SDVariable w = sd.placeHolder("w", DataType.DOUBLE, -1, D);
        sd.identity("uhat", PlanarFlow.constrain(g, u, w, D));

        SplittableRandom rng = new SplittableRandom(23);
        int n = 400;
        double[][] us = ComponentGraphs.randomRows(rng, n, D, 2.0);
        double[][] ws = ComponentGraphs.randomRows(rng, n, D, 1.0);
        for (int r = 0; r < n / 2; r++) {
            double k = 1 + 60 * rng.nextDouble();           // u nearly opposite to w: wᵀu << -1
            for (int j = 0; j < D; j++) {
                us[r][j] = -k * ws[r][j] + 0.1 * us[r][j];
            }
        }
        double[][] uHat = ComponentGraphs.rows(sd.output(Map.of("u", Nd4j.createFromArray(us), "w", Nd4j.createFromArray(ws)),
                "uhat").get("uhat"));
        int veryNegative = 0;
        for (int r = 0; r < n; r++) {
            double wu = dot(ws[r], us[r]);
            double wuHat = dot(ws[r], uHat[r]);
            veryNegative += wu < -5 ? 1 : 0;
            double m = -1 + Math.max(wu, 0) + Math.log1p(Math.exp(-Math.abs(wu)));
            assertTrue(wuHat >= -1 - 1e-9, "row " + r + ": wᵀû = " + wuHat + " < -1 (wᵀu = " + wu + ")");
            assertEquals(m, wuHat, 1e-9 * (1 + Math.abs(wu)), "row " + r + ": wᵀû = m(wᵀu)");
        }
        assertTrue(veryNegative >= n / 4, "too few rows with wᵀu << -1: " + veryNegative);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp-planar.conf", "mlp-iaf.conf", "mlp-flow-prior.conf"})
    void exampleModelFilesLoad(String file) {
        Settings s = Settings.load(List.of("../conf/models/" + file), List.of());
        VaeConfig c = VaeConfig.from(s.config(), 784);
        assertTrue(!c.analyticKl(), file + ": a flow model must use the Monte-Carlo KL");
    }

    private static Map<String, INDArray> eval(SameDiff sd, VaeConfig c, double[][] z, INDArray context) {
        return sd.output(Map.of("z0", ComponentGraphs.samples(z, SAMPLES, BATCH), "ctx", context,
                VaeNames.EPS, ComponentGraphs.noiseShape(c, SAMPLES, BATCH)), "zk", "logdet");
    }

    private static double[] column(double[][] rows) {
        double[] v = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            v[i] = rows[i][0];
        }
        return v;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
