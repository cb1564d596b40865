package org.vaespark.core.cpu;

import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;

/**
 * Forward passes of the CPU executor for evaluation (no backward steps recorded): the per-sample
 * log p(x|z), log p(z), log q(z|x) of a chunk of importance samples, from which the IWAE-k
 * estimate (Burda et al. 2016) is accumulated in double precision by its caller.
 */
public final class CpuEvaluation {
    private final CpuModel model;
    private final CpuParameters params;
    private final Tape tape = new Tape(false);

    /** Evaluation of {@code params}, which stay fixed for this object's life (they are copied). */
    public CpuEvaluation(VaeConfig config, NamedArrays params) {
        this.model = CpuModel.frozen(config);
        this.params = new CpuParameters(params);
    }

    /**
     * The outputs of one chunk (valid until the next call).
     *
     * @param x   inputs [B, D]
     * @param eps noise [S, B, noiseDim]
     * @param condition CVAE: one-hot labels [B, classes]; null otherwise
     */
    public CpuModel.Outputs outputs(float[] x, int batch, float[] eps, int samples, float[] condition) {
        tape.reset();
        return model.forward(tape, params, x, batch, eps, samples, condition, model.config().beta());
    }
}
