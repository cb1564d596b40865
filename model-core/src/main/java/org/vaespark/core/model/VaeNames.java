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
    /** Placeholder: standard-normal noise, [S, B, d], row (s, b) for sample s of example b. */
    public static final String EPS = "eps";

    /** log p(x|z) per sample, [S, B]. */
    public static final String LOG_PX_Z = "log_px_z";
    /** log p(z) per sample, [S, B]. */
    public static final String LOG_PZ = "log_pz";
    /** log q(z|x) per sample, [S, B]. */
    public static final String LOG_QZ_X = "log_qz_x";
    /** Mean of q(z|x), [B, d]. */
    public static final String Z_MEAN = "z_mean";
    /** Log-variance of q(z|x), [B, d]. */
    public static final String Z_LOGVAR = "z_logvar";
    /** Analytic KL(q(z|x) || N(0, I)) per example, [B]. */
    public static final String KL = "kl";
    /** Training loss: -(mean over examples and samples of log p(x|z) - beta * mean KL), scalar. */
    public static final String LOSS = "loss";

    /** Learned scalar log-variance of the Gaussian likelihood, shape [1]. */
    public static final String DEC_LOGVAR = "dec_logvar";

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
}
