package org.vaespark.core.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.vaespark.core.tensor.NamedArrays;

/**
 * Adam (Kingma &amp; Ba 2015), bias-corrected as in the paper's Algorithm 1, applied in place to
 * live ND4J parameter arrays. Holds the moments as ND4J arrays between steps; exports them as
 * {@link AdamState} for averaging and checkpoints.
 */
public final class Adam {
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();
    private long step;

    public Adam(TrainConfig c, AdamState state) {
        this.lr = c.learningRate();
        this.beta1 = c.beta1();
        this.beta2 = c.beta2();
        this.epsilon = c.epsilon();
        this.m.putAll(state.m().toNd4j());
        this.v.putAll(state.v().toNd4j());
        this.step = state.step();
    }

    /** One update of every parameter from its gradient. */
    public void update(Map<String, INDArray> params, Map<String, INDArray> gradients) {
        step++;
        double c1 = 1 - Math.pow(beta1, step);
        double c2 = Math.sqrt(1 - Math.pow(beta2, step));
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray g = gradients.get(e.getKey());
            if (g == null) {
                throw new IllegalStateException("no gradient for parameter " + e.getKey());
            }
            INDArray mi = m.get(e.getKey());
            INDArray vi = v.get(e.getKey());
            mi.muli(beta1).addi(g.mul(1 - beta1));
            vi.muli(beta2).addi(g.mul(g).muli(1 - beta2));
            // p -= lr / c1 * m / (sqrt(v) / c2 + eps)
            INDArray denom = Transforms.sqrt(vi, true).divi(c2).addi(epsilon);
            e.getValue().subi(mi.div(denom).muli(lr / c1));
        }
    }

    public AdamState state() {
        return new AdamState(NamedArrays.fromNd4j(m), NamedArrays.fromNd4j(v), step);
    }
}
