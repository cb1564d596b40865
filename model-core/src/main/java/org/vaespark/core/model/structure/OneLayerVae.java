package org.vaespark.core.model.structure;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.model.ParameterLayout;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.model.flow.FlowResult;
import org.vaespark.core.model.flow.Flows;
import org.vaespark.core.model.flow.PosteriorFlow;
import org.vaespark.core.model.graph.Graph;
import org.vaespark.core.model.likelihood.Likelihoods;
import org.vaespark.core.model.likelihood.ObservationModel;
import org.vaespark.core.model.network.Decoder;
import org.vaespark.core.model.network.Gaussian;
import org.vaespark.core.model.network.GaussianEncoder;
import org.vaespark.core.model.network.Networks;
import org.vaespark.core.model.objective.Objectives;
import org.vaespark.core.model.objective.Terms;
import org.vaespark.core.model.prior.Prior;
import org.vaespark.core.model.prior.Priors;

/**
 * One stochastic layer (Kingma &amp; Welling 2014), optionally conditional (CVAE, Sohn et al.
 * 2015: q(z|x, c), p(x|z, c)): z_0 = mu + sigma * eps, an optional flow z = f(z_0), any prior and
 * any likelihood. log q(z|x) = log N(z_0; mu, sigma^2) - log|det dz/dz_0|.
 */
public final class OneLayerVae implements Structure {
    private final VaeConfig c;
    private final int conditionDim;
    private final GaussianEncoder encoder;
    private final PosteriorFlow flow;
    private final Prior prior;
    private final ObservationModel likelihood;
    private final Decoder decoder;

    public OneLayerVae(VaeConfig c) {
        this.c = c;
        this.conditionDim = c.kind() == ModelKind.CVAE ? c.structure().classes() : 0;
        this.encoder = Networks.encoder(c, conditionDim, c.latentDim());
        this.flow = Flows.create(c, c.latentDim(), encoder.featureWidth());
        this.prior = Priors.create(c, c.latentDim(), encoder);
        this.likelihood = Likelihoods.create(c);
        this.decoder = Networks.decoder(c, c.latentDim(), conditionDim, likelihood.outputWidth());
    }

    @Override
    public void declare(ParameterLayout p) {
        encoder.declare(p);
        flow.declare(p);
        prior.declare(p);
        decoder.declare(p);
        likelihood.declare(p);
    }

    @Override
    public void build(Graph g) {
        SameDiff sd = g.sd();
        int d = c.latentDim();
        SDVariable condition = conditionDim > 0 ? g.labels() : null;
        Gaussian q = encoder.encode(g, g.x(), condition);
        SDVariable mu = sd.identity(VaeNames.Z_MEAN, q.mean());
        SDVariable logvar = sd.identity(VaeNames.Z_LOGVAR, q.logvar());

        SDVariable eps = g.noise(0, d);
        SDVariable z = eps.mul(sd.math.exp(logvar.mul(0.5))).add(mu);        // [S, B, d] by broadcasting
        // (z_0 - mu) / sigma = eps exactly, so log q_0 is computed from eps.
        SDVariable logQz = g.sumLast(eps.mul(eps).add(logvar).mul(-0.5).sub(Graph.HALF_LOG_2PI), 2, d);
        FlowResult f = flow.apply(g, z, q.features());
        if (f != null) {
            z = f.z();
            logQz = logQz.sub(f.logDet());
        }
        sd.identity(VaeNames.Z_SAMPLE, z);
        SDVariable logPz = prior.logDensity(g, z);

        SDVariable rowCondition = condition == null ? null : g.flattenSamples(g.repeatOverSamples(condition), conditionDim);
        SDVariable out = decoder.decode(g, g.flattenSamples(z, d), rowCondition);
        SDVariable logPx = likelihood.logProb(g, g.x(), g.unflattenSamples(out, likelihood.outputWidth()));
        if (c.decoderMeanUnavailable() == null) {
            sd.identity(VaeNames.X_MEAN, g.unflattenSamples(likelihood.mean(g, out), c.inputDim()));
        }

        logPx = sd.identity(VaeNames.LOG_PX_Z, logPx);
        logPz = sd.identity(VaeNames.LOG_PZ, logPz);
        logQz = sd.identity(VaeNames.LOG_QZ_X, logQz);
        sd.identity(VaeNames.LOG_W, logPx.add(logPz).sub(logQz));
        SDVariable kl = null;
        if (c.analyticKl()) {
            kl = g.sumLast(VaeNames.KL, logvar.add(1.0).sub(mu.mul(mu)).sub(sd.math.exp(logvar)).mul(-0.5), 1, d);
        }
        Objectives.loss(g, new Terms(logPx, logPz, logQz, kl, mu, logvar, z));
    }

    @Override
    public SDVariable decodeMean(Graph g, SDVariable z, SDVariable lowerNoise, SDVariable condition) {
        ModelDescription.requireDecoderMean(c);
        return likelihood.mean(g, decoder.decode(g, z, conditionDim > 0 ? condition : null));
    }

    @Override
    public List<String> trainingOutputs() {
        return Objectives.trainingOutputs(c);
    }
}
