package org.vaespark.core.train;

import java.nio.FloatBuffer;
import org.vaespark.core.kernel.DenseAdam;
import org.vaespark.core.kernel.DenseIwae;
import org.vaespark.core.kernel.DenseLayout;
import org.vaespark.core.kernel.DenseVae;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.ObjectiveKind;
import org.vaespark.core.tensor.NamedArrays;

/**
 * Local steps on the dense path: the ELBO gradient of the reference family written out by hand
 * ({@link DenseVae}: Kingma &amp; Welling 2014, analytic KL) and Adam (Kingma &amp; Ba 2015) on flat
 * buffers ({@link DenseAdam}), the same update as the graph path's to float rounding. The buffers
 * are the thread's {@link DenseWorkspace}, reused round after round. Adam's moments live in the
 * workspace's state vector ({@link FlatState#of} order), which {@link #pack} hands out after copying
 * the parameters into it; a loaded vector's moments are read by the next Adam step where they lie.
 * The model's SameDiff graph is never touched: it only supplies the config and the parameter layout.
 */
final class DenseSteps implements LocalSteps {
    private final DenseWorkspace work;
    private final DenseLayout layout;
    private final DenseVae net;
    private final FlatState flat;
    private final TrainConfig config;
    private final int threads;
    private DenseAdam adam;
    /** A loaded vector whose moments the next Adam step reads (instead of copying them in first); null when they are in place. */
    private float[] pendingMoments;
    private final int samples;
    private final boolean narrowedBlas;
    private final StepRate rate;

    /** Why this model and objective cannot train on the dense path, or null when they can. */
    static String unavailable(VaeConfig c) {
        String why = DenseIwae.unavailable(c);
        if (why != null) {
            return why;
        }
        if (c.objective().kind() != ObjectiveKind.ELBO) {
            return "model.objective.kind is " + c.objective().kind();
        }
        if (c.objective().freeBits() > 0) {
            return "model.objective.free-bits is " + c.objective().freeBits();
        }
        return null;
    }

    DenseSteps(Vae model, NamedArrays params, TrainConfig config, AdamState state, int threads) {
        this.work = DenseWorkspace.acquire(model.config(), model.layout(), threads);
        this.net = work.net;
        int blas = net.blasThreads(threads);
        this.narrowedBlas = blas != threads;
        if (narrowedBlas) {
            NativeThreads.narrowBlas(blas);
        }
        this.layout = net.layout();
        this.flat = FlatState.of(layout);
        this.config = config;
        this.rate = new StepRate(config);
        this.threads = threads;
        net.setParameters(params);
        int n = layout.total();
        layout.write(state.m(), FloatBuffer.wrap(work.state, n, n).slice());
        layout.write(state.v(), FloatBuffer.wrap(work.state, 2 * n, n).slice());
        this.adam = optimizer(state.step());
        this.samples = config.samples();
    }

    @Override
    public Terms step(float[] x, float[] eps, int batch, double beta, long[] ids, int[] labels) {
        double[] logPx = new double[samples * batch];
        double[] kl = new double[batch];
        net.gradient(x, eps, (float) beta, logPx, kl);
        adam.learningRate(rate.current());
        if (pendingMoments != null) {
            adam.updateFrom(net.parameterBytes(), net.gradientBytes(), pendingMoments, layout.total(), 2 * layout.total());
            pendingMoments = null;
        } else {
            adam.update(net.parameterBytes(), net.gradientBytes());
        }
        double[] reconstruction = new double[batch];
        double[] elbo = new double[batch];
        for (int b = 0; b < batch; b++) {
            double s = 0;
            for (int i = 0; i < samples; i++) {
                s += logPx[i * batch + b];
            }
            reconstruction[b] = s / samples;
            elbo[b] = s / samples - kl[b];
        }
        return new Terms(elbo, reconstruction, kl);
    }

    /** Sets Adam's step size for the following steps ({@link TrainConfig#learningRateAt} of the step's epoch). */
    public void learningRate(double rate) {
        this.rate.set(rate);
    }

    @Override
    public RoundState state() {
        movePendingMoments();
        int n = layout.total();
        return new RoundState(net.namedParameters(), new AdamState(layout.read(FloatBuffer.wrap(work.state, n, n).slice()),
                layout.read(FloatBuffer.wrap(work.state, 2 * n, n).slice()), adam.step()));
    }

    private DenseAdam optimizer(long step) {
        int n = layout.total();
        return new DenseAdam(config.learningRate(), config.beta1(), config.beta2(), config.epsilon(), work.state, n, work.state, 2 * n, n, step,
                threads).on(net);
    }

    @Override
    public FlatState layout() {
        return flat;
    }

    @Override
    public float[] pack() {
        // the moments are in place (Adam updates them inside the vector) unless a loaded state's are still elsewhere
        movePendingMoments();
        net.copyParameters(work.state, 0);
        return work.state;
    }

    private void movePendingMoments() {
        if (pendingMoments != null) {
            int n = layout.total();
            System.arraycopy(pendingMoments, n, work.state, n, 2 * n);
            pendingMoments = null;
        }
    }

    @Override
    public void load(float[] vector, long step) {
        net.setParameters(vector, 0);
        // the next Adam step reads the moments from the loaded vector, which the caller keeps unchanged until then
        pendingMoments = vector == work.state ? null : vector;
        adam = optimizer(step);
    }

    @Override
    public void close() {
        if (narrowedBlas) {
            NativeThreads.restoreBlas();
        }
        adam.close();
        work.release();
    }
}
