package org.vaespark.core.model.flow;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.vaespark.core.model.Activation;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.graph.Graph;

/**
 * Inverse autoregressive flow (Kingma et al. 2016, Sec. 4 and Alg. 1, the numerically stable
 * LSTM-type update): the encoder features give a context h (dense head {@code iaf_context}), and
 * each of L steps computes [m, s] = MADE(z, h), σ = sigmoid(s), z ← σ ⊙ z + (1 − σ) ⊙ m with
 * log|det| = Σ_j log σ_j. The s head's bias starts at {@link #GATE_BIAS} so every step starts
 * close to the identity (σ ≈ 0.82), as the paper recommends. The ordering is reversed between
 * steps (the masks change, the tensors are not permuted).
 */
public final class InverseAutoregressiveFlow implements PosteriorFlow {
    /** Initial bias of the s head: sigmoid(1.5) ≈ 0.82. */
    public static final double GATE_BIAS = 1.5;
    /** Prefix of the dense head that turns encoder features into the context h. */
    public static final String CONTEXT = "iaf_context";

    private final int dim;
    private final int featureWidth;
    private final int contextDim;
    private final List<Made> steps = new ArrayList<>();

    public InverseAutoregressiveFlow(int dim, int featureWidth, int length, List<Integer> hidden, int contextDim,
                                     Activation activation) {
        this.dim = dim;
        this.featureWidth = featureWidth;
        this.contextDim = contextDim;
        for (int k = 0; k < length; k++) {
            steps.add(new Made("iaf_" + k, Made.ordering(dim, k % 2 == 1), hidden, contextDim, activation,
                    List.of("m", "s"), new double[]{0, GATE_BIAS}));
        }
    }

    /** The MADE of step k (for tests). */
    public Made step(int k) {
        return steps.get(k);
    }

    @Override
    public void declare(ParameterLayout p) {
        p.dense(CONTEXT, featureWidth, contextDim);
        for (Made m : steps) {
            m.declare(p);
        }
    }

    @Override
    public FlowResult apply(Graph g, SDVariable z0, SDVariable context) {
        SameDiff sd = g.sd();
        SDVariable h = g.flattenSamples(g.repeatOverSamples(g.dense(context, CONTEXT)), contextDim);  // [S * B, c]
        SDVariable z = g.flattenSamples(z0, dim);
        SDVariable logSigma = null;
        for (Made made : steps) {
            List<SDVariable> ms = made.forward(g, z, h);
            SDVariable s = ms.get(1);
            SDVariable sigma = sd.nn.sigmoid(s);
            z = sigma.mul(z).add(sd.nn.sigmoid(s.neg()).mul(ms.get(0)));
            SDVariable logS = g.softplus(s.neg()).neg();                 // log sigmoid(s), stable
            logSigma = logSigma == null ? logS : logSigma.add(logS);
        }
        SDVariable logDet = g.sumLast(g.unflattenSamples(logSigma, dim), 2, dim);
        return new FlowResult(g.unflattenSamples(z, dim), logDet);
    }
}
