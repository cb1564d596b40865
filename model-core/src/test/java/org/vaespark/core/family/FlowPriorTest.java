package org.vaespark.core.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.model.prior.AutoregressiveFlowPrior;
import org.vaespark.core.model.prior.FlowPriorSampler;
import org.vaespark.core.model.prior.Priors;
import org.vaespark.core.model.structure.ModelDescription;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.ComponentGraphs;
import org.vaespark.core.testing.Jacobians;

/**
 * The autoregressive-flow prior (MAF-style density, Papamakarios et al. 2017): log p(z) equals
 * log N(ε; 0, I) + log|det ∂ε/∂z| with the Jacobian by central differences and every constant
 * written out here in double precision; the sequential inverse round-trips z → ε → z.
 */
class FlowPriorTest {
    private static final int D = 4;
    private static final int SAMPLES = 2;
    private static final int BATCH = 3;

    private static VaeConfig config() {
        return ComponentGraphs.tinyConfig("model.prior.kind=flow", "model.prior.flow.steps=3", "model.prior.flow.hidden=[6]",
                "model.latent-dim=" + D);
    }

    @Test
    void logDensityIsTheStandardNormalOfEpsPlusTheLogDetOfTheJacobian() {
        VaeConfig c = config();
        NamedArrays params = ComponentGraphs.jittered(ModelDescription.layout(c), 13, 0.4);
        Graph g = ComponentGraphs.graph(c, params);
        SameDiff sd = g.sd();
        AutoregressiveFlowPrior prior = (AutoregressiveFlowPrior) Priors.create(c, D, null);
        SDVariable z = sd.placeHolder("zp", DataType.DOUBLE, -1, -1, D);
        sd.identity("logp", prior.logDensity(g, z));
        sd.identity("epsp", prior.transform(g, g.flattenSamples(z, D)).eps());

        SplittableRandom rng = new SplittableRandom(31);
        double[][] zs = ComponentGraphs.randomRows(rng, SAMPLES * BATCH, D, 1.3);
        double[][][] jac = Jacobians.rowwise(rows -> ComponentGraphs.rows(eval(sd, c, rows).get("epsp")), zs, 1e-5);
        Map<String, INDArray> out = eval(sd, c, zs);
        double[][] eps = ComponentGraphs.rows(out.get("epsp"));
        double[] logp = out.get("logp").castTo(DataType.DOUBLE).reshape(SAMPLES * BATCH).toDoubleVector();
        double largestLogDet = 0;
        for (int r = 0; r < zs.length; r++) {
            double logN = 0;
            for (double e : eps[r]) {
                logN += -0.5 * e * e - 0.5 * Math.log(2 * Math.PI);
            }
            double logDet = Jacobians.logAbsDet(jac[r]);
            largestLogDet = Math.max(largestLogDet, Math.abs(logDet));
            assertEquals(logN + logDet, logp[r], 1e-6, "log p(z) of row " + r);
        }
        assertTrue(largestLogDet > 0.05, "the flow is too close to the identity for the test to mean anything");

        FlowPriorSampler sampler = new FlowPriorSampler(c, params);
        double[][] viaSampler = ComponentGraphs.rows(sampler.forward(Nd4j.createFromArray(zs)));
        for (int r = 0; r < zs.length; r++) {
            for (int j = 0; j < D; j++) {
                assertEquals(eps[r][j], viaSampler[r][j], 1e-10, "sampler's forward pass differs from the density's");
            }
        }
    }

    @Test
    void inverseRoundTripsZToEpsToZ() {
        VaeConfig c = config();
        NamedArrays params = ComponentGraphs.jittered(ModelDescription.layout(c), 29, 0.4);
        FlowPriorSampler sampler = new FlowPriorSampler(c, params);
        SplittableRandom rng = new SplittableRandom(37);
        double[][] z = ComponentGraphs.randomRows(rng, 6, D, 1.5);
        INDArray eps = sampler.forward(Nd4j.createFromArray(z));
        double[][] back = ComponentGraphs.rows(sampler.inverse(eps));
        double[][] e = ComponentGraphs.rows(eps);
        double moved = 0;
        for (int r = 0; r < z.length; r++) {
            for (int j = 0; j < D; j++) {
                assertEquals(z[r][j], back[r][j], 1e-6, "z -> eps -> z, row " + r + " coordinate " + j);
                moved = Math.max(moved, Math.abs(e[r][j] - z[r][j]));
            }
        }
        assertTrue(moved > 0.1, "eps equals z: the round trip would pass for the identity");
        double[][] eps2 = ComponentGraphs.randomRows(rng, 6, D, 1.0);
        double[][] again = ComponentGraphs.rows(sampler.forward(sampler.inverse(Nd4j.createFromArray(eps2))));
        for (int r = 0; r < eps2.length; r++) {
            for (int j = 0; j < D; j++) {
                assertEquals(eps2[r][j], again[r][j], 1e-6, "eps -> z -> eps, row " + r + " coordinate " + j);
            }
        }
    }

    private static Map<String, INDArray> eval(SameDiff sd, VaeConfig c, double[][] z) {
        return sd.output(Map.of("zp", ComponentGraphs.samples(z, SAMPLES, BATCH),
                VaeNames.EPS, ComponentGraphs.noiseShape(c, SAMPLES, BATCH)), "logp", "epsp");
    }
}
