package org.vaespark.core.train;

import java.io.Serializable;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.tensor.NamedArrays;

/**
 * What one partition returns after its local steps of a round: its parameters and Adam state,
 * how many examples it processed, and the sums over them of the training ELBO and of its two
 * terms, reconstruction E_q[log p(x|z)] and KL (Kingma &amp; Welling 2014, eq. 10), all in nats,
 * and the wall time its local steps took (measured inside the task, for the round-time split).
 *
 * @param reconstructionSum sum of the per-example reconstruction terms; NaN where not recorded
 * @param klSum             sum of the per-example KL terms; NaN where the model's training outputs hold no KL
 * @param localSeconds      wall seconds of {@link PartitionTrainer#run} (loading the parameters and the local steps); 0 where not measured
 */
public record RoundResult(NamedArrays parameters, AdamState adam, long examples, double elboSum,
                          double reconstructionSum, double klSum, double localSeconds) implements Serializable {

    /** A result whose local-step time was not measured (0). */
    public RoundResult(NamedArrays parameters, AdamState adam, long examples, double elboSum, double reconstructionSum, double klSum) {
        this(parameters, adam, examples, elboSum, reconstructionSum, klSum, 0);
    }

    /** A result without the ELBO's terms (both NaN). */
    public RoundResult(NamedArrays parameters, AdamState adam, long examples, double elboSum) {
        this(parameters, adam, examples, elboSum, Double.NaN, Double.NaN);
    }
}
