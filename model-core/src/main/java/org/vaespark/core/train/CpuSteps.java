package org.vaespark.core.train;

import org.vaespark.core.cpu.CpuModel;
import org.vaespark.core.cpu.CpuParameters;
import org.vaespark.core.cpu.CpuTraining;
import org.vaespark.core.kernel.TrainKernels;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.samediff.Labels;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.tensor.NamedArrays;

/**
 * Local steps on the CPU executor ({@link CpuTraining}): the loss's gradient layer by layer, then
 * Adam (Kingma &amp; Ba 2015) on the executor's heap arrays. The model's SameDiff graph is never
 * run; it only supplies the config and the parameter names.
 */
final class CpuSteps implements LocalSteps {
    private final CpuTraining training;
    private final org.vaespark.core.model.VaeConfig model;
    private final CpuParameters params;
    private final FlatState layout;
    private final TrainConfig config;
    private final int samples;
    private long step;
    private double rate;
    private float[] vector;

    CpuSteps(Vae model, NamedArrays initial, TrainConfig config, AdamState adam) {
        this.params = new CpuParameters(initial);
        this.params.setMoments(adam);
        this.training = new CpuTraining(CpuModel.of(model.config()), params);
        this.model = model.config();
        this.layout = new FlatState(initial);
        this.config = config;
        this.samples = config.samples();
        this.step = adam.step();
        this.rate = config.learningRate();
        if (layout.parameterCount() != params.count()) {
            throw new IllegalStateException("flat layout of " + layout.parameterCount() + " values for " + params.count() + " parameters");
        }
    }

    @Override
    public Terms step(float[] x, float[] eps, int batch, double beta, long[] ids, int[] labels) {
        float[] condition = model.kind() == org.vaespark.core.model.ModelKind.MVAE
                ? org.vaespark.core.model.Pairing.feed(model, ids, labels, config.seed()) : Labels.oneHot(config(), ids, labels);
        CpuTraining.Result r = training.gradient(x, batch, eps, samples, beta, condition);
        step++;
        params.adam(TrainKernels.AdamStep.of(rate, (float) config.beta1(), (float) config.beta2(),
                config.epsilon(), step));
        return new Terms(r.elbo(), r.reconstruction(), r.kl());
    }

    private org.vaespark.core.model.VaeConfig config() {
        return model;
    }

    @Override
    public void learningRate(double rate) {
        this.rate = rate;
    }

    @Override
    public RoundState state() {
        return new RoundState(params.parameters(), params.adamState(step));
    }

    @Override
    public FlatState layout() {
        return layout;
    }

    @Override
    public float[] pack() {
        if (vector == null) {
            vector = new float[layout.length()];
        }
        return params.pack(vector);
    }

    @Override
    public void load(float[] vector, long step) {
        params.load(vector);
        this.step = step;
    }

    @Override
    public void close() {
    }
}
