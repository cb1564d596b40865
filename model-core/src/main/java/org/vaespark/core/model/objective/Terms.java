package org.vaespark.core.model.objective;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The per-sample quantities an objective is built from.
 *
 * @param logPx      log p(x|z), [S, B]
 * @param logPz      log p(z), [S, B] (all layers of a hierarchical model)
 * @param logQz      log q(z|x), [S, B] (all layers, flow log-determinants included)
 * @param klAnalytic closed-form KL(q(z|x) || N(0, I)) [B], or null when there is none
 * @param mean       mean of q_0(z|x) [B, d] (free bits, MMD)
 * @param logvar     log-variance of q_0(z|x) [B, d]
 * @param z          the posterior samples [S, B, d] (MMD)
 */
public record Terms(SDVariable logPx, SDVariable logPz, SDVariable logQz, SDVariable klAnalytic, SDVariable mean,
                    SDVariable logvar, SDVariable z) {
}
