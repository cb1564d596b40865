package org.vaespark.core.model.structure;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.model.likelihood.Likelihoods;
import org.vaespark.core.model.likelihood.ObservationModel;
import org.vaespark.core.model.Architecture;
import org.vaespark.core.model.network.Decoder;
import org.vaespark.core.model.network.Gaussian;
import org.vaespark.core.model.network.GaussianEncoder;
import org.vaespark.core.model.network.Mlp;
import org.vaespark.core.model.network.Networks;
import org.vaespark.core.model.prior.Prior;
import org.vaespark.core.model.prior.Priors;

/**
 * The semi-supervised model M2 of Kingma et al. (2014): a classifier q(y|x), an encoder
 * q(z|x, y), a decoder p(x|z, y), p(y) uniform over K classes and p(z) the configured prior.
 * With L(x, y) = E_q(z|x,y)[log p(x|z, y) + log p(y) + log p(z) - log q(z|x, y)]:
 * a labelled example contributes L(x, y) + alpha * log q(y|x); an unlabelled one
 * U(x) = sum_y q(y|x) L(x, y) + H(q(y|x)) (eqs. 7-9). {@code model.labels.alpha} is the weight of
 * log q(y|x) per labelled example in the per-example loss: the paper's alpha = 0.1 N (a sum over
 * the data set) is alpha = 0.1 N / N_labelled here. beta weights the KL of the latents.
 *
 * <p>The K classes are enumerated inside the graph by replicating the batch: x and the noise
 * eps [S, B, d] are repeated for every class k, so z_{s,k,b} = mu_k(x_b) + sigma_k(x_b) eps_{s,b}.
 * Named outputs: the per-class terms LOG_PX_ZY, LOG_PZ_Y, LOG_QZ_XY [S, K, B]; LOG_QY_X [B, K];
 * LOG_PX_Z, LOG_PZ, LOG_QZ_X [S, B] weighted by q(y|x) over (z, y) jointly:
 * LOG_PX_Z = sum_y q(y|x) log p(x|z_y, y), LOG_PZ = sum_y q(y|x) (log p(z_y) + log p(y)),
 * LOG_QZ_X = sum_y q(y|x) (log q(z_y|x, y) + log q(y|x)), so that their ELBO combination is U(x);
 * LOG_W = logsumexp_y (log p(x|z_y, y) + log p(z_y) + log p(y) - log q(z_y|x, y)), an importance
 * weight stratified over y whose expectation is p(x) exactly, for IWAE-k. Z_MEAN and Z_LOGVAR are
 * the mean and log-variance of the mixture q(z|x) = sum_y q(y|x) q(z|x, y).
 *
 * <p>Gradient at logits of exactly 0: with a ReLU decoder, a replicated row (s, y, b) whose hidden units
 * are all off outputs the decoder's output bias exactly, which starts at 0; an unlabelled example weighs
 * every class row by q(y|x), so such rows reach the loss. The Bernoulli term x l - softplus(l) then needs
 * softplus'(0) = 1/2, which {@link Graph#softplus} gives; the earlier max(l, 0) + log1p(e^{-|l|}) gave 0 in
 * SameDiff M2.1 (relu'(0) = |.|'(0) = 0) and made dec_out_b's gradient, alone, miss 1/2 of those rows'
 * weight (SoftplusTest, SemiSupervisedVaeTest#theDecoderBiasGradientIsExactWhereEveryLogitIsZero).
 */
public final class SemiSupervisedVae implements Structure {
    private final VaeConfig c;
    private final int classes;
    private final Mlp classifier;
    private final GaussianEncoder encoder;
    private final Prior prior;
    private final ObservationModel likelihood;
    private final Decoder decoder;

    public SemiSupervisedVae(VaeConfig c) {
        this.c = c;
        this.classes = c.structure().classes();
        this.classifier = new Mlp(VaeNames::classifierLayer, c.inputDim(), c.structure().classifierHidden(), c.activation(),
                c.network().architecture() == Architecture.GATED);
        this.encoder = Networks.encoder(c, classes, c.latentDim());
        this.prior = Priors.create(c, c.latentDim(), encoder);
        this.likelihood = Likelihoods.create(c);
        this.decoder = Networks.decoder(c, c.latentDim(), classes, likelihood.outputWidth());
    }

    @Override
    public void declare(ParameterLayout p) {
        classifier.declare(p);
        p.dense(VaeNames.CLS_OUT, classifier.outWidth(), classes);
        encoder.declare(p);
        prior.declare(p);
        decoder.declare(p);
        likelihood.declare(p);
    }

    @Override
    public void build(Graph g) {
        SameDiff sd = g.sd();
        int d = c.latentDim();
        int dim = c.inputDim();
        int k = classes;
        SDVariable x = g.x();

        SDVariable logits = g.dense(classifier.forward(g, x), VaeNames.CLS_OUT);
        SDVariable logQy = sd.identity(VaeNames.LOG_QY_X, logSoftmax(sd, logits));   // [B, K]

        // Class-major replication: row k * B + b holds (x_b, one-hot k).
        SDVariable zerosB = sd.expandDims(sd.zerosLike(sd.slice(x, new int[]{0, 0}, -1, 1)), 0);   // [1, B, 1]
        SDVariable xRep = sd.reshape(sd.expandDims(x, 0).add(g.constant(Nd4j.zeros(k, 1, 1))), -1, dim);
        SDVariable yRep = sd.reshape(g.constant(Nd4j.eye(k).reshape(k, 1, k)).add(zerosB), -1, k);
        Gaussian q = encoder.encode(g, xRep, yRep);
        SDVariable mu = sd.reshape(q.mean(), k, -1, d);                                 // [K, B, d]
        SDVariable logvar = sd.reshape(q.logvar(), k, -1, d);

        SDVariable eps = sd.expandDims(g.noise(0, d), 1);                               // [S, 1, B, d]
        SDVariable z = eps.mul(sd.math.exp(logvar.mul(0.5))).add(mu);                   // [S, K, B, d]
        SDVariable logQz = g.sumLast(eps.mul(eps).add(logvar).mul(-0.5).sub(Graph.HALF_LOG_2PI), 3, d);   // [S, K, B]
        SDVariable zRows = sd.reshape(z, -1, d);                                        // rows (s, k, b)
        SDVariable shapeSKB = shape(g, 0, k, 1);
        SDVariable logPz = sd.reshape(prior.logDensity(g, sd.expandDims(zRows, 0)), shapeSKB);

        SDVariable zerosSB = sd.expandDims(sd.zerosLike(g.noise(0, 1)), 1);             // [S, 1, B, 1]
        SDVariable yRows = sd.reshape(g.constant(Nd4j.eye(k).reshape(1, k, 1, k)).add(zerosSB), -1, k);
        SDVariable out = decoder.decode(g, zRows, yRows);
        // x for every row (s, k, b), so the decoder output is used as one [1, S*K*B, W] block.
        SDVariable xRows = sd.reshape(sd.expandDims(sd.expandDims(x, 0), 0).add(sd.expandDims(sd.zerosLike(logQz), 3)), -1, dim);
        SDVariable logPx = sd.reshape(likelihood.logProb(g, xRows, sd.expandDims(out, 0)), shapeSKB);   // [S, K, B]

        logPx = sd.identity(VaeNames.LOG_PX_ZY, logPx);
        logPz = sd.identity(VaeNames.LOG_PZ_Y, logPz);
        logQz = sd.identity(VaeNames.LOG_QZ_XY, logQz);
        double logPy = -Math.log(k);

        // Sums over y run over the last axis of the per-class terms permuted to [S, B, K].
        SDVariable pxL = sd.permute(logPx, 0, 2, 1);
        SDVariable pzL = sd.permute(logPz, 0, 2, 1);
        SDVariable qzL = sd.permute(logQz, 0, 2, 1);
        SDVariable qy = sd.math.exp(logQy);                                                            // [B, K]
        SDVariable px = sd.identity(VaeNames.LOG_PX_Z, qy.mul(pxL).sum(2));                            // [S, B]
        SDVariable pz = sd.identity(VaeNames.LOG_PZ, qy.mul(pzL.add(logPy)).sum(2));
        SDVariable qz = sd.identity(VaeNames.LOG_QZ_X, qy.mul(qzL.add(logQy)).sum(2));
        sd.identity(VaeNames.LOG_W, logSumExp(sd, pxL.add(pzL).sub(qzL).add(logPy), 2));

        SDVariable qy3 = sd.expandDims(sd.transpose(qy), 2);                            // [K, B, 1]
        SDVariable mean = qy3.mul(mu).sum(0);
        SDVariable second = qy3.mul(sd.math.exp(logvar).add(mu.mul(mu))).sum(0);
        sd.identity(VaeNames.Z_MEAN, mean);
        sd.identity(VaeNames.Z_LOGVAR, sd.math.log(second.sub(mean.mul(mean))));

        SDVariable beta = g.beta();
        SDVariable unlabelledBound = px.sub(qz.sub(pz).mul(beta));                       // U(x) at beta = 1, [S, B]
        SDVariable labelledBound = g.labels().mul(pxL.sub(qzL.sub(pzL).mul(beta))).sum(2).add(logPy)
                .add(sd.expandDims(g.labels().mul(logQy).sum(1), 0).mul(c.structure().classifierWeight()));   // [S, B]
        SDVariable l = sd.expandDims(g.labelled(), 0);                                    // [1, B]
        SDVariable perExample = labelledBound.mul(l).add(unlabelledBound.mul(l.rsub(1.0)));
        sd.identity(VaeNames.LOSS, perExample.mean().neg());
    }

    /** The decoder mean of p(x|z, y) for the given one-hot classes y. */
    @Override
    public SDVariable decodeMean(Graph g, SDVariable z, SDVariable lowerNoise, SDVariable condition) {
        ModelDescription.requireDecoderMean(c);
        return likelihood.mean(g, decoder.decode(g, z, condition));
    }

    @Override
    public List<String> trainingOutputs() {
        return List.of(VaeNames.LOG_PX_Z, VaeNames.LOG_PZ, VaeNames.LOG_QZ_X);
    }

    /** v - logsumexp(v) over the classes (axis 1), with the max subtracted first. */
    private static SDVariable logSoftmax(SameDiff sd, SDVariable v) {
        SDVariable shifted = v.sub(sd.max(v, true, 1));
        return shifted.sub(sd.math.log(sd.math.exp(shifted).sum(true, 1)));
    }

    /** m + log(sum exp(v - m)) over {@code axis} (length >= 2), m the max: SameDiff's own logSumExp backprop is not trusted. */
    private static SDVariable logSumExp(SameDiff sd, SDVariable v, int axis) {
        SDVariable m = sd.max(v, true, axis);
        return sd.squeeze(m, axis).add(sd.math.log(sd.math.exp(v.sub(m)).sum(axis)));
    }

    /** The shape [S, K, B] as a vector, S and B from the noise placeholder. */
    private static SDVariable shape(Graph g, int s, int k, int b) {
        return g.sd().concat(0, dimOf(g, s), constant(g, k), dimOf(g, b));
    }

    private static SDVariable dimOf(Graph g, int axis) {
        return g.sd().slice(g.sd().shape(g.eps()), new int[]{axis}, 1);
    }

    private static SDVariable constant(Graph g, long value) {
        return g.sd().constant(Nd4j.createFromArray(value).castTo(dimOf(g, 0).dataType()));
    }
}
