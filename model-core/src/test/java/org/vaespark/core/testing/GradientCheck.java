package org.vaespark.core.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Compares SameDiff's reverse-mode gradients of a scalar loss with central finite differences,
 * in double precision, on a few entries of every trainable variable. The graph must be built in
 * DOUBLE (e.g. {@code ModelGraph.build(config, params, DataType.DOUBLE)}).
 */
public final class GradientCheck {
    private GradientCheck() {
    }

    /**
     * @param entriesPerVariable how many randomly chosen entries of each variable to perturb
     * @param tolerance          allowed |analytic - numeric| / max(1, |analytic|, |numeric|)
     * @return the largest relative error seen
     */
    public static double check(SameDiff sd, Map<String, INDArray> placeholders, String loss, int entriesPerVariable,
                               double tolerance) {
        List<String> vars = new ArrayList<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                vars.add(v.name());
            }
        }
        Map<String, INDArray> grads = sd.calculateGradients(placeholders, vars);
        SplittableRandom rng = new SplittableRandom(7);
        double worst = 0;
        double h = 1e-6;
        for (String name : vars) {
            INDArray arr = sd.getArrForVarName(name);
            INDArray grad = grads.get(name);
            assertTrue(grad != null, "no gradient for " + name + " (is it on the loss path?)");
            long n = arr.length();
            for (int t = 0; t < Math.min(entriesPerVariable, n); t++) {
                long i = n <= entriesPerVariable ? t : rng.nextLong(n);
                double orig = arr.getDouble(i);
                arr.putScalar(i, orig + h);
                double up = sd.output(placeholders, loss).get(loss).getDouble(0);
                arr.putScalar(i, orig - h);
                double down = sd.output(placeholders, loss).get(loss).getDouble(0);
                arr.putScalar(i, orig);
                double numeric = (up - down) / (2 * h);
                double analytic = grad.getDouble(i);
                double err = Math.abs(analytic - numeric) / Math.max(1, Math.max(Math.abs(analytic), Math.abs(numeric)));
                worst = Math.max(worst, err);
                assertTrue(err <= tolerance, name + "[" + i + "]: analytic " + analytic + " vs numeric " + numeric);
            }
        }
        return worst;
    }
}
