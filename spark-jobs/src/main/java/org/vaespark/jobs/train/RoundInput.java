package org.vaespark.jobs.train;

import java.io.Serializable;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.train.TrainConfig;

/** What the driver broadcasts at the start of each averaging round. */
public record RoundInput(VaeConfig model, TrainConfig train, NamedArrays parameters, AdamState adam) implements Serializable {
}
