package org.vaespark.core.kernel;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.blas.Blas;
import org.vaespark.core.model.Activation;
import org.vaespark.core.model.Likelihood;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.PosteriorKind;
import org.vaespark.core.model.Architecture;
import org.vaespark.core.model.PriorKind;
import org.vaespark.core.tensor.NamedArrays;

/**
 * The importance weights log w = log p(x|z) + log p(z) - log q(z|x) of IWAE-k (Burda et al. 2016)
 * for the reference family: Gaussian posterior without flow, N(0, I) prior, MLP decoder with ReLU
 * or tanh, Bernoulli likelihood. The same formulas and parameters as the graph (structure/OneLayerVae,
 * network/MlpDecoder, likelihood/BernoulliLikelihood), evaluated as one BLAS GEMM per layer into
 * buffers reused across chunks, bias and activation in place, and the output bias fused into one
 * pass over the pixels ({@link PixelKernels}). The graph evaluates the same chunk as some forty
 * separate ops that allocate every intermediate; this path is what lets a chunk of 2,000 sample rows
 * run at close to the GEMM rate. The encoder still runs in the graph: it sees each image once.
 *
 * <p>Row r = i * B + b of a chunk is sample i of image b, the layout of the graph's [S, B, ...] arrays.
 */
public final class DenseIwae {
    /** 0.5 log(2 pi), the constant of every Gaussian log-density. */
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private final int latent;
    private final int pixels;
    private final Activation activation;
    private final List<INDArray> weights = new ArrayList<>();
    private final List<float[]> biases = new ArrayList<>();
    private final INDArray outWeight;
    private final float[] outBias;
    private int rows = -1;
    private INDArray z;
    private final List<INDArray> hidden = new ArrayList<>();
    private INDArray logits;
    private float[] zRows;
    private float[] logitRows;

    /** Why this model cannot take the dense path (or this JVM has no CPU BLAS, e.g. on CUDA), or null when it can. */
    public static String unavailable(VaeConfig c) {
        if (c.kind() != ModelKind.VAE) {
            return "model.kind is " + c.kind();
        }
        if (c.network().architecture() != Architecture.MLP) {
            return "model.architecture is " + c.network().architecture();
        }
        if (c.network().pixelCnnLayers() > 0) {
            return "model.pixelcnn.layers is " + c.network().pixelCnnLayers();
        }
        if (c.activation() != Activation.RELU && c.activation() != Activation.TANH) {
            return "model.activation is " + c.activation();
        }
        if (c.likelihood() != Likelihood.BERNOULLI) {
            return "model.likelihood is " + c.likelihood();
        }
        if (c.prior().kind() != PriorKind.STANDARD) {
            return "model.prior.kind is " + c.prior().kind();
        }
        if (c.posterior().kind() != PosteriorKind.GAUSSIAN) {
            return "model.posterior.kind is " + c.posterior().kind();
        }
        return Blas.unavailableReason();
    }

    public DenseIwae(VaeConfig c, NamedArrays params) {
        String why = unavailable(c);
        if (why != null) {
            throw new IllegalArgumentException("no dense IWAE path: " + why);
        }
        this.latent = c.latentDim();
        this.pixels = c.inputDim();
        this.activation = c.activation();
        for (int i = 0; i < c.decoderHidden().size(); i++) {
            String layer = VaeNames.decoderLayer(i);
            weights.add(params.toNd4j(VaeNames.weight(layer)).castTo(DataType.FLOAT));
            biases.add(params.values(VaeNames.bias(layer)).clone());
        }
        this.outWeight = params.toNd4j(VaeNames.weight(VaeNames.DEC_OUT)).castTo(DataType.FLOAT);
        this.outBias = params.values(VaeNames.bias(VaeNames.DEC_OUT)).clone();
    }

    /**
     * The weights of {@code samples} samples of each of B images.
     *
     * @param mean    posterior means [B, d]
     * @param logvar  posterior log-variances [B, d]
     * @param eps     standard-normal noise [samples, B, d]
     * @param sign    1 - 2 x of each image [B, D]
     * @param logPx   out: log p(x|z) [samples * B]
     * @param logW    out: log w [samples * B]
     */
    public void weights(float[] mean, float[] logvar, float[] eps, int samples, float[] sign, float[] logPx, float[] logW) {
        int images = mean.length / latent;
        int n = samples * images;
        ensureBuffers(n);
        float[] sigma = new float[mean.length];
        double[] logQConstant = new double[images];
        for (int b = 0; b < images; b++) {
            double sumLogvar = 0;
            for (int j = 0; j < latent; j++) {
                sigma[b * latent + j] = (float) Math.exp(0.5f * logvar[b * latent + j]);
                sumLogvar += logvar[b * latent + j];
            }
            logQConstant[b] = -0.5 * sumLogvar - latent * HALF_LOG_2PI;
        }
        double[] logPzMinusLogQ = new double[n];
        for (int r = 0; r < n; r++) {
            int b = r % images;
            double e2 = 0;
            double z2 = 0;
            for (int j = 0; j < latent; j++) {
                float e = eps[r * latent + j];
                float v = e * sigma[b * latent + j] + mean[b * latent + j];
                zRows[r * latent + j] = v;
                e2 += (double) e * e;
                z2 += (double) v * v;
            }
            // log N(z; 0, I) - log N(z; mu, sigma^2), with (z - mu) / sigma = eps
            logPzMinusLogQ[r] = -0.5 * z2 - latent * HALF_LOG_2PI - (-0.5 * e2 + logQConstant[b]);
        }
        ((FloatPointer) z.data().pointer()).put(zRows, 0, n * latent);
        INDArray in = DenseStack.forward(z, weights, biases, hidden, activation == Activation.RELU);
        DenseGemms.gemm(in, outWeight, logits, false, false);
        ((FloatPointer) logits.data().pointer()).get(logitRows, 0, n * pixels);
        for (int r = 0; r < n; r++) {
            int b = r % images;
            double lp = PixelKernels.bernoulliLogProb(logitRows, r * pixels, outBias, sign, b * pixels, pixels);
            logPx[r] = (float) lp;
            logW[r] = (float) (lp + logPzMinusLogQ[r]);
        }
    }

    private void ensureBuffers(int n) {
        if (n == rows) {
            return;
        }
        release();
        rows = n;
        z = Nd4j.createUninitialized(DataType.FLOAT, n, latent);
        for (INDArray w : weights) {
            hidden.add(Nd4j.createUninitialized(DataType.FLOAT, n, w.size(1)));
        }
        logits = Nd4j.createUninitialized(DataType.FLOAT, n, pixels);
        zRows = new float[n * latent];
        logitRows = new float[n * pixels];
    }

    /** Frees the native buffers of the current chunk size. */
    public void release() {
        if (z != null) {
            z.close();
            hidden.forEach(INDArray::close);
            logits.close();
        }
        hidden.clear();
        rows = -1;
    }
}
