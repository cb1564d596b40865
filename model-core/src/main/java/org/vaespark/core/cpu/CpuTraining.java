package org.vaespark.core.cpu;

/**
 * One minibatch's loss gradient on the CPU executor: a forward pass of the {@link CpuModel}, the
 * objective's seeds ({@link CpuObjective}) and the backward pass into the parameters' gradients,
 * plus the per-example training ELBO, reconstruction and KL the trainer reports (the true ELBO,
 * whatever the objective: closed-form KL where the model has it, else the Monte-Carlo KL).
 */
public final class CpuTraining {
    private final CpuModel model;
    private final CpuParameters params;
    private final Tape tape = new Tape(true);

    public CpuTraining(CpuModel model, CpuParameters params) {
        this.model = model;
        this.params = params;
    }

    /**
     * @param elbo           per-example ELBO [B]
     * @param reconstruction per-example mean over samples of log p(x|z) [B]
     * @param kl             per-example KL [B]
     * @param loss           the minibatch loss whose gradient is in the parameters
     * @param outputs        the pass's per-sample outputs (valid until the next call)
     */
    public record Result(double[] elbo, double[] reconstruction, double[] kl, double loss, CpuModel.Outputs outputs) {
    }

    /** Zeroes the gradients, runs forward and backward at KL weight {@code beta}; gradients are in the parameters. */
    public Result gradient(float[] x, int batch, float[] eps, int samples, double beta) {
        return gradient(x, batch, eps, samples, beta, null);
    }

    /** As {@link #gradient(float[], int, float[], int, double)}, with a CVAE's one-hot labels [B, classes]. */
    public Result gradient(float[] x, int batch, float[] eps, int samples, double beta, float[] condition) {
        tape.reset();
        params.zeroGradients();
        CpuModel.Outputs o = model.forward(tape, params, x, batch, eps, samples, condition, beta);
        double loss = CpuObjective.seed(tape, model.config(), o, beta, batch, samples, eps);
        tape.backward();
        double[] reconstruction = new double[batch];
        double[] kl = new double[batch];
        double[] elbo = new double[batch];
        for (int b = 0; b < batch; b++) {
            double px = 0;
            double mc = 0;
            for (int s = 0; s < samples; s++) {
                int r = s * batch + b;
                px += o.logPx().value[r];
                mc += (double) o.logQz().value[r] - o.logPz().value[r];
            }
            reconstruction[b] = px / samples;
            kl[b] = o.kl() != null ? o.kl().value[b] : mc / samples;
            elbo[b] = reconstruction[b] - kl[b];
        }
        return new Result(elbo, reconstruction, kl, loss, o);
    }
}
