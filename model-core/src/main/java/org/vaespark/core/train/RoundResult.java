package org.vaespark.core.train;

import java.io.Serializable;
import org.vaespark.core.tensor.NamedArrays;

/**
 * What one partition returns after its local steps of a round: its parameters and Adam state,
 * how many examples it processed, and the sum of their training ELBOs (nats).
 */
public record RoundResult(NamedArrays parameters, AdamState adam, long examples, double elboSum) implements Serializable {
}
