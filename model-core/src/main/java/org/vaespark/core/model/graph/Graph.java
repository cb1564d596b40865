package org.vaespark.core.model.graph;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.Activation;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;

/**
 * The state shared while one model graph is built: the SameDiff instance, the config, the
 * placeholders of {@link VaeNames} and the small ops every component uses. Rows of per-sample
 * tensors are sample-major: [S, B, w] flattens to [S * B, w] with row s * B + b.
 */
public final class Graph {
    /** 0.5 log(2 pi), the constant of every Gaussian log-density (kept, as docs/math.md, Evaluation protocol, requires). */
    public static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private final SameDiff sd;
    private final VaeConfig config;
    private final DataType dtype;
    private final SDVariable x;
    private final SDVariable eps;
    private SDVariable beta;
    private SDVariable labels;
    private SDVariable labelled;

    /**
     * @param dtype FLOAT for training and evaluation; DOUBLE for finite-difference gradient checks.
     *              Components create constants in this type ({@link #constant}).
     */
    public Graph(SameDiff sd, VaeConfig config, DataType dtype) {
        this.sd = sd;
        this.config = config;
        this.dtype = dtype;
        this.x = sd.placeHolder(VaeNames.X, dtype, -1, config.inputDim());
        this.eps = sd.placeHolder(VaeNames.EPS, dtype, -1, -1, config.noiseDim());
    }

    /**
     * A graph over inputs another host already created (DL4J's SameDiffOutputLayer hands in its
     * own input and label placeholders): x [B, D], eps [S, B, n] and the KL weight beta (scalar).
     * Models that need labels cannot be built this way.
     */
    public Graph(SameDiff sd, VaeConfig config, DataType dtype, SDVariable x, SDVariable eps, SDVariable beta) {
        this.sd = sd;
        this.config = config;
        this.dtype = dtype;
        this.x = x;
        this.eps = eps;
        this.beta = beta;
    }

    /** The floating-point type of every placeholder and parameter. */
    public DataType dtype() {
        return dtype;
    }

    /** A constant array (e.g. a MADE mask or a convolution mask) in the graph's type. */
    public SDVariable constant(org.nd4j.linalg.api.ndarray.INDArray value) {
        return sd.constant(value.castTo(dtype));
    }

    public SameDiff sd() {
        return sd;
    }

    public VaeConfig config() {
        return config;
    }

    /** Model inputs [B, D]. */
    public SDVariable x() {
        return x;
    }

    /** All noise [S, B, n]. */
    public SDVariable eps() {
        return eps;
    }

    /** Columns {@code from .. from + width - 1} of the noise: [S, B, width]. */
    public SDVariable noise(int from, int width) {
        if (from == 0 && width == config.noiseDim()) {
            return eps;
        }
        return sd.slice(eps, new int[]{0, 0, from}, -1, -1, width);
    }

    /** The KL weight of this step (placeholder, fed by the trainer; see ObjectiveSpec#betaAt). */
    public SDVariable beta() {
        if (beta == null) {
            beta = sd.placeHolder(VaeNames.BETA, dtype);
        }
        return beta;
    }

    /** One-hot labels [B, classes] (placeholder). */
    public SDVariable labels() {
        if (labels == null) {
            requireOwnPlaceholders("labels");
            labels = sd.placeHolder(VaeNames.Y, dtype, -1, config.structure().classes());
        }
        return labels;
    }

    /** 1 where the label may be used, 0 where hidden, [B] (placeholder). */
    public SDVariable labelled() {
        if (labelled == null) {
            requireOwnPlaceholders("labelled");
            labelled = sd.placeHolder(VaeNames.LABELLED, dtype, -1);
        }
        return labelled;
    }

    private void requireOwnPlaceholders(String what) {
        if (!sd.hasVariable(VaeNames.X) || sd.getVariable(VaeNames.X) != x) {
            throw new IllegalStateException("this graph's inputs come from its host, which feeds no " + what);
        }
    }

    /** A trainable parameter declared in the {@code ParameterLayout}. */
    public SDVariable param(String name) {
        SDVariable v = sd.getVariable(name);
        if (v == null) {
            throw new IllegalStateException("parameter " + name + " was not declared in the layout");
        }
        return v;
    }

    /** in @ prefix_W + prefix_b. */
    public SDVariable dense(SDVariable in, String prefix) {
        return in.mmul(param(VaeNames.weight(prefix))).add(param(VaeNames.bias(prefix)));
    }

    public SDVariable activate(SDVariable v, Activation a) {
        return switch (a) {
            case RELU -> sd.nn.relu(v, 0);
            case TANH -> sd.math.tanh(v);
            case SOFTPLUS -> softplus(v);
        };
    }

    /**
     * log(1 + e^v) as max(v, 0) + log1p(e^{-|v|}): finite for every float v. max(v, 0) is written
     * (v + |v|) / 2 so that reverse mode gives the true derivative 1/2 at v = 0 (relu'(0) = sign(0) = 0
     * in ND4J would give 0; a logit of exactly 0 is common under a decoder whose ReLU units are all off).
     */
    public SDVariable softplus(SDVariable v) {
        SDVariable abs = sd.math.abs(v);
        return v.add(abs).mul(0.5).add(sd.math.log1p(sd.math.exp(abs.neg())));
    }

    /**
     * Sum over {@code axis}, the last one, of static length {@code length}. A length-1 axis is
     * squeezed instead: SameDiff M2.1 throws in a reduction over an axis of length 1.
     */
    public SDVariable sumLast(String name, SDVariable v, int axis, int length) {
        return length == 1 ? sd.squeeze(name, v, axis) : sd.sum(name, v, axis);
    }

    /** Same as {@link #sumLast(String, SDVariable, int, int)}, unnamed. */
    public SDVariable sumLast(SDVariable v, int axis, int length) {
        return length == 1 ? sd.squeeze(v, axis) : v.sum(axis);
    }

    /** [S, B, w] to [S * B, w]. */
    public SDVariable flattenSamples(SDVariable v, int width) {
        return sd.reshape(v, -1, width);
    }

    /** [S * B, w] back to [S, B, w], S and B taken from the noise placeholder. */
    public SDVariable unflattenSamples(SDVariable v, int width) {
        SDVariable sampleShape = sd.slice(sd.shape(eps), new int[]{0}, 2);
        SDVariable shape = sd.concat(0, sampleShape,
                sd.constant(Nd4j.createFromArray((long) width).castTo(sampleShape.dataType())));
        return sd.reshape(v, shape);
    }

    /** [B, w] repeated for every sample: [S, B, w] (by broadcasting against the noise's shape). */
    public SDVariable repeatOverSamples(SDVariable v) {
        SDVariable zeros = sd.zerosLike(noise(0, 1));   // [S, B, 1]
        return zeros.add(v);
    }

    /** sum_j log N(z_j; 0, 1) over the last axis (length d): [.., d] to [..]. */
    public SDVariable logStandardNormal(SDVariable z, int axis, int d) {
        return sumLast(z.mul(z).mul(-0.5).sub(HALF_LOG_2PI), axis, d);
    }

    /** sum_j log N(z_j; mu_j, exp(logvar_j)) over the last axis (length d). */
    public SDVariable logNormal(SDVariable z, SDVariable mu, SDVariable logvar, int axis, int d) {
        SDVariable diff = z.sub(mu);
        return sumLast(diff.mul(diff).mul(sd.math.exp(logvar.neg())).add(logvar).mul(-0.5).sub(HALF_LOG_2PI), axis, d);
    }
}
