package org.vaespark.core.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.Activation;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.flow.Made;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.model.structure.ModelDescription;
import org.vaespark.core.testing.ComponentGraphs;
import org.vaespark.core.testing.Jacobians;

/**
 * MADE (Germain et al. 2015): output j depends only on the inputs before j in the ordering,
 * checked numerically (finite-difference Jacobian, double precision) and by the products of the
 * masks; every allowed dependency is present; the context reaches every output that has hidden
 * units below it.
 */
class MadeTest {
    private static final int D = 5;
    private static final int CONTEXT = 3;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(Made.ordering(D, false), List.of(7, 6)),
                Arguments.of(Made.ordering(D, true), List.of(9)),
                Arguments.of(new int[]{3, 1, 5, 2, 4}, List.of(8, 4)),
                Arguments.of(new int[]{2, 5, 1, 4, 3}, List.of()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void outputsAreStrictlyAutoregressiveInTheOrdering(int[] degrees, List<Integer> hidden) {
        VaeConfig c = ComponentGraphs.tinyConfig();
        Made made = new Made("test_made", degrees, hidden, CONTEXT, Activation.TANH, List.of("a", "b"), new double[]{0.1, -0.2});
        ParameterLayout layout = ModelDescription.layout(c);
        made.declare(layout);
        Graph g = ComponentGraphs.graph(c, ComponentGraphs.jittered(layout, 5, 0.3));
        SameDiff sd = g.sd();
        SDVariable x = sd.placeHolder("mx", DataType.DOUBLE, -1, D);
        SDVariable ctx = sd.placeHolder("mctx", DataType.DOUBLE, -1, CONTEXT);
        List<SDVariable> out = made.forward(g, x, ctx);
        sd.identity("out_a", out.get(0));
        sd.identity("out_b", out.get(1));

        SplittableRandom rng = new SplittableRandom(3);
        double[][] xs = ComponentGraphs.randomRows(rng, 4, D, 1.0);
        double[][] cs = ComponentGraphs.randomRows(rng, 4, CONTEXT, 1.0);
        for (String head : List.of("out_a", "out_b")) {
            double[][][] jx = Jacobians.rowwise(rows -> eval(sd, rows, cs, head), xs, 1e-5);
            double[][][] jc = Jacobians.rowwise(rows -> eval(sd, xs, rows, head), cs, 1e-5);
            for (int r = 0; r < xs.length; r++) {
                for (int j = 0; j < D; j++) {
                    for (int i = 0; i < D; i++) {
                        if (degrees[i] >= degrees[j]) {
                            assertEquals(0, jx[r][j][i], 1e-12, head + ": output " + j + " depends on input " + i);
                        } else {
                            assertTrue(Math.abs(jx[r][j][i]) > 1e-8, head + ": output " + j + " ignores input " + i);
                        }
                    }
                    double contextEffect = 0;
                    for (int k = 0; k < CONTEXT; k++) {
                        contextEffect += Math.abs(jc[r][j][k]);
                    }
                    if (degrees[j] == 1 && !hidden.isEmpty()) {
                        assertEquals(0, contextEffect, 1e-12, head + ": the first output has no hidden units below it");
                    } else {
                        assertTrue(contextEffect > 1e-8, head + ": output " + j + " ignores the context");
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void maskProductsConnectExactlyTheEarlierInputs(int[] degrees, List<Integer> hidden) {
        Made made = new Made("test_made", degrees, hidden, 0, Activation.TANH, List.of("a"), new double[]{0});
        double[][] paths = null;
        for (double[][] m : made.masks()) {
            paths = paths == null ? m : multiply(paths, m);
        }
        assertEquals(D, paths.length);
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                assertEquals(degrees[i] < degrees[j], paths[i][j] > 0,
                        "paths from input " + i + " (degree " + degrees[i] + ") to output " + j + " (degree " + degrees[j] + ")");
            }
        }
    }

    private static double[][] eval(SameDiff sd, double[][] x, double[][] ctx, String head) {
        Map<String, INDArray> out = sd.output(Map.of("mx", Nd4j.createFromArray(x), "mctx", Nd4j.createFromArray(ctx)), head);
        return ComponentGraphs.rows(out.get(head));
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < b.length; k++) {
                for (int j = 0; j < b[0].length; j++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }
}
