package org.vaespark.core.model.flow;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The output of a posterior flow: z_K [S, B, d] and sum_k log|det dz_k/dz_{k-1}| [S, B], so that
 * log q_K(z_K) = log q_0(z_0) - logDet.
 */
public record FlowResult(SDVariable z, SDVariable logDet) {
}
