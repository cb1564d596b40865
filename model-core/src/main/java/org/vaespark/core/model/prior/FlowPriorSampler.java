package org.vaespark.core.model.prior;

import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.tensor.NamedArrays;

/**
 * Both directions of an {@link AutoregressiveFlowPrior} with given parameters, in double
 * precision: {@link #forward} maps z to ε (the density pass), {@link #inverse} maps ε to z (the
 * sampling pass). The inverse is sequential (Papamakarios et al. 2017, Sec. 3.1): within step k,
 * x_j = ε_j exp(α_j(x_{&lt;j})) + μ_j(x_{&lt;j}) for the coordinates in the step's order, one
 * evaluation of the step's MADE per coordinate.
 */
public final class FlowPriorSampler {
    private final AutoregressiveFlowPrior prior;
    private final SameDiff sd;

    public FlowPriorSampler(VaeConfig c, NamedArrays params) {
        Prior p = Priors.create(c, c.priorDim(), null);
        if (!(p instanceof AutoregressiveFlowPrior)) {
            throw new IllegalArgumentException("model.prior.kind is " + c.prior().kind() + ", not flow");
        }
        this.prior = (AutoregressiveFlowPrior) p;
        this.sd = SameDiff.create();
        for (String name : params.names()) {
            sd.var(name, params.toNd4j(name).castTo(DataType.DOUBLE));
        }
        Graph g = new Graph(sd, c, DataType.DOUBLE);
        for (int k = 0; k < prior.stepCount(); k++) {
            SDVariable in = sd.placeHolder(input(k), DataType.DOUBLE, -1, prior.dim());
            List<SDVariable> ma = prior.shiftAndLogScale(g, k, in);
            sd.identity(shift(k), ma.get(0));
            sd.identity(logScale(k), ma.get(1));
        }
    }

    /** ε for z rows [N, d]. */
    public INDArray forward(INDArray z) {
        INDArray x = z.castTo(DataType.DOUBLE).dup();
        for (int k = 0; k < prior.stepCount(); k++) {
            INDArray[] ma = evaluate(k, x);
            x = x.sub(ma[0]).muli(org.nd4j.linalg.ops.transforms.Transforms.exp(ma[1].neg(), false));
        }
        return x;
    }

    /** z rows [N, d] for ε rows: the inverse of {@link #forward}. */
    public INDArray inverse(INDArray eps) {
        INDArray y = eps.castTo(DataType.DOUBLE).dup();
        int d = prior.dim();
        for (int k = prior.stepCount() - 1; k >= 0; k--) {
            int[] degrees = prior.step(k).degrees();
            INDArray x = y.mul(0);
            for (int t = 1; t <= d; t++) {
                int j = indexOf(degrees, t);
                INDArray[] ma = evaluate(k, x);
                for (long n = 0; n < x.size(0); n++) {
                    x.putScalar(n, j, y.getDouble(n, j) * Math.exp(ma[1].getDouble(n, j)) + ma[0].getDouble(n, j));
                }
            }
            y = x;
        }
        return y;
    }

    private INDArray[] evaluate(int k, INDArray x) {
        Map<String, INDArray> out = sd.output(Map.of(input(k), x), shift(k), logScale(k));
        return new INDArray[]{out.get(shift(k)), out.get(logScale(k))};
    }

    private static int indexOf(int[] degrees, int t) {
        for (int i = 0; i < degrees.length; i++) {
            if (degrees[i] == t) {
                return i;
            }
        }
        throw new IllegalStateException("no input of degree " + t);
    }

    private static String input(int k) {
        return "afprior_in_" + k;
    }

    private static String shift(int k) {
        return "afprior_mu_" + k;
    }

    private static String logScale(int k) {
        return "afprior_alpha_" + k;
    }
}
