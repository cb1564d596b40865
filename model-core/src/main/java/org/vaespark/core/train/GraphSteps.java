package org.vaespark.core.train;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.samediff.Labels;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.tensor.NamedArrays;

/**
 * Local steps through the model's SameDiff graph: gradients by reverse-mode differentiation of
 * the objective (Kingma &amp; Welling 2014), then {@link Adam} (Kingma &amp; Ba 2015) in place on the
 * graph's live parameters. Every model of the family can train this way.
 */
final class GraphSteps implements LocalSteps {
    private final Vae model;
    private final TrainConfig config;
    private final FlatState layout;
    private Adam optimizer;
    private float[] vector;
    private final Map<String, INDArray> live;
    private final String[] outputs;
    private final int samples;
    private final int noiseDim;
    private final StepRate rate;

    GraphSteps(Vae model, NamedArrays params, TrainConfig config, AdamState adam) {
        model.setParameters(params);
        this.model = model;
        this.config = config;
        this.layout = new FlatState(params);
        this.optimizer = new Adam(config, adam);
        this.live = model.liveParameters();
        this.outputs = model.trainingOutputs();
        this.samples = config.samples();
        this.noiseDim = model.config().noiseDim();
        this.rate = new StepRate(config);
    }

    /** Sets Adam's step size for the following steps ({@link TrainConfig#learningRateAt} of the step's epoch). */
    public void learningRate(double rate) {
        this.rate.set(rate);
    }

    @Override
    public Terms step(float[] x, float[] eps, int batch, double beta, long[] ids, int[] labels) {
        INDArray xs = Vae.matrix(x, batch, x.length / batch);
        INDArray noise = Nd4j.create(eps, new long[]{samples, batch, noiseDim}, 'c');
        Vae.Feed feed = Labels.feed(model.config(), xs, noise, beta, ids, labels);
        Vae.Step result = model.step(feed, outputs);
        optimizer.learningRate(rate.current());
        optimizer.update(live, result.gradients());
        Terms terms = new Terms(Vae.elbo(result.outputs()), Vae.reconstruction(result.outputs()), Vae.kl(result.outputs()));
        NativeMemory.release(xs, noise);
        if (feed.labels() != null) {
            NativeMemory.release(feed.labels(), feed.labelled());
        }
        NativeMemory.release(result.gradients().values());
        NativeMemory.release(result.outputs().values());
        return terms;
    }

    @Override
    public RoundState state() {
        return new RoundState(model.parameters(), optimizer.state());
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
        return layout.pack(model.parameters(), optimizer.state(), vector);
    }

    @Override
    public void load(float[] vector, long step) {
        model.setParameters(layout.parameters(vector));
        optimizer = new Adam(config, layout.adam(vector, step));
    }

    @Override
    public void close() {
    }
}
