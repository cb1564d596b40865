package org.vaespark.core.eval.posterior;

import java.io.Serializable;

/**
 * One example's posterior-collapse figures from S samples ({@link SampledPosterior}).
 *
 * @param id      example id (it selects the noise)
 * @param klTotal Monte-Carlo KL(q(z|x) || p(z)) over every layer, the mean over S of log q(z|x) - log p(z)
 * @param layers  one entry per latent layer, in the order of {@link SampledPosterior#layers()}
 */
public record SampledExample(long id, double klTotal, LayerSample[] layers) implements Serializable {
}
