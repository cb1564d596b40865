package org.vaespark.core.model;

/**
 * Every graph variable name, in one place: placeholders, per-example outputs and the
 * parameter naming scheme. Outputs with a leading S axis are per sample: shape [S, B].
 */
public final class VaeNames {
    private VaeNames() {
    }

    /** Placeholder: model inputs, [B, D]. */
    public static final String X = "x";
    /**
     * Placeholder: standard-normal noise, [S, B, n], row (s, b) for sample s of example b; n is
     * {@link VaeConfig#noiseDim()} (all stochastic layers' noise side by side). In a two-layer HVAE
     * columns {@code 0 .. d2 - 1} drive z2 (the top layer, {@code model.hierarchy.top-latent-dim}) and
     * columns {@code d2 .. d2 + d1 - 1} drive z1 (the bottom layer, {@code model.latent-dim}).
     */
    public static final String EPS = "eps";
    /** Placeholder: weight of the KL term at this step (beta-VAE, KL warm-up), scalar. */
    public static final String BETA = "beta";
    /** Placeholder: one-hot labels, [B, classes] (conditional and semi-supervised models). */
    public static final String Y = "y";
    /** Placeholder: 1 where the example's label may be used, 0 where it is hidden, [B] (M2). */
    public static final String LABELLED = "labelled";

    /** log p(x|z) per sample, [S, B]; in an HVAE log p(x|z1, z2). */
    public static final String LOG_PX_Z = "log_px_z";
    /** log p(z) per sample, [S, B]; in an HVAE log p(z2) + log p(z1|z2). */
    public static final String LOG_PZ = "log_pz";
    /** log q(z|x) per sample, [S, B]; in an HVAE log q(z2|x) + log q(z1|x, z2). */
    public static final String LOG_QZ_X = "log_qz_x";
    /** log w = log p(x|z) + log p(z) - log q(z|x) per sample, [S, B]: the importance weight of IWAE. */
    public static final String LOG_W = "log_w";
    /** HVAE: Monte-Carlo KL of the bottom layer, log q(z1|x, z2) - log p(z1|z2), per sample [S, B]. */
    public static final String KL_Z1 = "kl_z1";
    /** HVAE: Monte-Carlo KL of the top layer, log q(z2|x) - log p(z2), per sample [S, B]. */
    public static final String KL_Z2 = "kl_z2";
    /** Mean of q(z|x), [B, d]; in an HVAE that of q(z2|x), the top layer the prior p(z2) is on. */
    public static final String Z_MEAN = "z_mean";
    /** Log-variance of q(z|x), [B, d]; in an HVAE that of q(z2|x). */
    public static final String Z_LOGVAR = "z_logvar";
    /**
     * The sample of the layer the prior is on, [S, B, d]: z_K after a posterior flow, z2 in an HVAE
     * (for the posterior-collapse statistics; not computed in training).
     */
    public static final String Z_SAMPLE = "z_sample";
    /** HVAE: mean of q(z1|x, z2) for each sample of z2, [S, B, d1]. */
    public static final String Z1_MEAN = "z1_mean";
    /** HVAE: log-variance of q(z1|x, z2) for each sample of z2, [S, B, d1]. */
    public static final String Z1_LOGVAR = "z1_logvar";
    /** HVAE: the sample z1 ~ q(z1|x, z2), [S, B, d1]. */
    public static final String Z1_SAMPLE = "z1_sample";
    /** HVAE: mean of the conditional prior p(z1|z2) for each sample of z2, [S, B, d1]. */
    public static final String PRIOR_Z1_MEAN = "prior_z1_mean";
    /** HVAE: log-variance of the conditional prior p(z1|z2) for each sample of z2, [S, B, d1]. */
    public static final String PRIOR_Z1_LOGVAR = "prior_z1_logvar";
    /** Analytic KL(q(z|x) || N(0, I)) per example, [B]; only when the KL has a closed form ({@link VaeConfig#analyticKl()}). */
    public static final String KL = "kl";
    /** M2: the classifier's log q(y|x), [B, classes] (stable log-softmax of its logits). */
    public static final String LOG_QY_X = "log_qy_x";
    /** M2: log p(x|z_y, y) for every class y, [S, classes, B] (z_y ~ q(z|x, y) from the same noise). */
    public static final String LOG_PX_ZY = "log_px_zy";
    /** M2: log p(z_y) for every class y, [S, classes, B]. */
    public static final String LOG_PZ_Y = "log_pz_y";
    /** M2: log q(z_y|x, y) for every class y, [S, classes, B]. */
    public static final String LOG_QZ_XY = "log_qz_xy";

    /**
     * The decoder's mean of p(x|z) for the sampled z, [S, B, D] in the input scale (the likelihood's
     * {@code mean}): reconstructions (eps = 0 gives z = the posterior mean) and imputation. Absent in
     * models whose decoder mean is not a function of z alone (PixelCNN decoder) and in M2.
     */
    public static final String X_MEAN = "x_mean";
    /** Decoder-only graph placeholder: latents of the prior's space, [N, priorDim] (z2 in an HVAE). */
    public static final String Z_IN = "z_in";
    /** Decoder-only graph placeholder (HVAE): standard-normal noise of z1 = mu(z2) + sigma(z2) eps, [N, d1]. */
    public static final String Z1_NOISE = "z1_noise";
    /** Decoder-only graph output: the decoder mean for {@link #Z_IN}, [N, D]. */
    public static final String DECODED_MEAN = "decoded_mean";

    /** Training loss of the objective (negative ELBO with KL weight beta, negative IWAE-k bound or InfoVAE; see Objectives), scalar. */
    public static final String LOSS = "loss";

    /** Learned scalar log-variance of the Gaussian likelihood, shape [1]. */
    public static final String DEC_LOGVAR = "dec_logvar";

    /** The weight of the dense layer {@code prefix}: [in, out]. */
    public static String weight(String prefix) {
        return prefix + "_W";
    }

    /** The bias of the dense layer {@code prefix}: [out]. */
    public static String bias(String prefix) {
        return prefix + "_b";
    }

    public static String encoderLayer(int layer) {
        return "enc_" + layer;
    }

    public static String decoderLayer(int layer) {
        return "dec_" + layer;
    }

    public static final String ENC_MU = "enc_mu";
    public static final String ENC_LOGVAR = "enc_logvar";
    public static final String DEC_OUT = "dec_out";
    /** M2 classifier q(y|x): hidden layer {@code i}. */
    public static String classifierLayer(int layer) {
        return "cls_" + layer;
    }
    /** M2 classifier q(y|x): the logits layer. */
    public static final String CLS_OUT = "cls_out";

    public static String encoderWeight(int layer) {
        return "enc_" + layer + "_W";
    }

    public static String encoderBias(int layer) {
        return "enc_" + layer + "_b";
    }

    public static String decoderWeight(int layer) {
        return "dec_" + layer + "_W";
    }

    public static String decoderBias(int layer) {
        return "dec_" + layer + "_b";
    }

    public static final String ENC_MU_W = "enc_mu_W";
    public static final String ENC_MU_B = "enc_mu_b";
    public static final String ENC_LOGVAR_W = "enc_logvar_W";
    public static final String ENC_LOGVAR_B = "enc_logvar_b";
    public static final String DEC_OUT_W = "dec_out_W";
    public static final String DEC_OUT_B = "dec_out_b";

    /** Per-sample Monte-Carlo KL of layer k of an HVAE, log q(z_k|.) - log p(z_k|.), [S, B] ({@link #KL_Z1} for k = 1). */
    public static String layerKl(int k) {
        return "kl_z" + k;
    }

    /** Samples of layer k of an HVAE, [S, B, d_k] ({@link #Z1_SAMPLE} for k = 1). */
    public static String layerSample(int k) {
        return "z" + k + "_sample";
    }

    /** Mean of q(z_k|.) per sample, [S, B, d_k] ({@link #Z1_MEAN} for k = 1). */
    public static String layerMean(int k) {
        return "z" + k + "_mean";
    }

    /** Log-variance of q(z_k|.) per sample, [S, B, d_k]. */
    public static String layerLogvar(int k) {
        return "z" + k + "_logvar";
    }

    /** Mean of p(z_k|.) per sample, [S, B, d_k] (k &lt; K; {@link #PRIOR_Z1_MEAN} for k = 1). */
    public static String layerPriorMean(int k) {
        return "prior_z" + k + "_mean";
    }

    /** Log-variance of p(z_k|.) per sample, [S, B, d_k] (k &lt; K). */
    public static String layerPriorLogvar(int k) {
        return "prior_z" + k + "_logvar";
    }
}
