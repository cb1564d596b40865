package org.vaespark.core.eval;

import java.io.Serializable;

/**
 * Per-example evaluation results, in nats.
 *
 * @param id             example id within its split
 * @param logLikelihood  IWAE-k estimate log p̂(x) = logsumexp_i log w_i - log k
 * @param elbo           mean of the k log-weights (a k-sample estimate of the ELBO)
 * @param reconstruction mean over the k samples of log p(x|z)
 * @param kl             analytic KL(q(z|x) || N(0, I))
 */
public record ExampleEstimate(long id, double logLikelihood, double elbo, double reconstruction, double kl) implements Serializable {
}
