package org.vaespark.core.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vaespark.core.kernel.TrainKernels;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.tensor.NamedArrays;

/**
 * Adam (Kingma &amp; Ba 2015), bias-corrected as in the paper's Algorithm 1, applied in place to
 * live ND4J parameter arrays. Moments are plain float arrays and each parameter is updated in
 * one fused loop (one copy in, one copy out): the same update as a chain of ND4J elementwise
 * ops cost more than the model's forward and backward pass.
 */
public final class Adam {
    private double lr;
    private final float beta1;
    private final float beta2;
    private final double epsilon;
    private final Map<String, float[]> m = new LinkedHashMap<>();
    private final Map<String, float[]> v = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private long step;

    public Adam(TrainConfig c, AdamState state) {
        this.lr = c.learningRate();
        this.beta1 = (float) c.beta1();
        this.beta2 = (float) c.beta2();
        this.epsilon = c.epsilon();
        for (String name : state.m().names()) {
            m.put(name, state.m().values(name).clone());
            v.put(name, state.v().values(name).clone());
            shapes.put(name, state.m().shape(name));
        }
        this.step = state.step();
    }

    /** Sets the step size of the following updates (a learning-rate schedule, {@link TrainConfig#learningRateAt}). */
    public void learningRate(double rate) {
        this.lr = rate;
    }

    /** One update of every parameter from its gradient. */
    public void update(Map<String, INDArray> params, Map<String, INDArray> gradients) {
        step++;
        TrainKernels.AdamStep s = TrainKernels.AdamStep.of(lr, beta1, beta2, epsilon, step);
        float c1 = s.c1();
        float c2 = s.c2();
        float eps = s.epsilon();
        float oneMinusB1 = s.oneMinusBeta1();
        float oneMinusB2 = s.oneMinusBeta2();
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            String name = e.getKey();
            INDArray gradient = gradients.get(name);
            float[] mi = m.get(name);
            if (gradient == null || mi == null) {
                throw new IllegalStateException("no gradient or Adam state for parameter " + name);
            }
            float[] vi = v.get(name);
            float[] g = contiguous(gradient).data().asFloat();
            INDArray live = e.getValue();
            float[] p = live.data().asFloat();
            if (g.length != mi.length || p.length != mi.length) {
                throw new IllegalStateException(name + ": gradient/parameter length " + g.length + "/" + p.length + ", expected " + mi.length);
            }
            for (int i = 0; i < p.length; i++) {
                float gi = g[i];
                float mNew = beta1 * mi[i] + oneMinusB1 * gi;
                float vNew = beta2 * vi[i] + oneMinusB2 * gi * gi;
                mi[i] = mNew;
                vi[i] = vNew;
                // p -= lr / (1 - b1^t) * m / (sqrt(v / (1 - b2^t)) + eps)
                p[i] -= c1 * mNew / ((float) Math.sqrt(vNew) * c2 + eps);
            }
            live.data().setData(p);
        }
    }

    public AdamState state() {
        NamedArrays.Builder mb = NamedArrays.builder();
        NamedArrays.Builder vb = NamedArrays.builder();
        for (String name : m.keySet()) {
            mb.put(name, shapes.get(name), m.get(name).clone());
            vb.put(name, shapes.get(name), v.get(name).clone());
        }
        return new AdamState(mb.build(), vb.build(), step);
    }

    private static INDArray contiguous(INDArray a) {
        INDArray f = a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
        return f.isView() || f.ordering() != 'c' || f.data().length() != f.length() ? f.dup('c') : f;
    }
}
