package org.vaespark.core.eval;

import java.io.Serializable;

/**
 * One test example's imputation errors over its hidden values: squared errors summed, and for
 * binary inputs the number of hidden values wrong after thresholding at 0.5, for the model and for
 * the baseline (the example's observed-value mean).
 *
 * @param masked hidden values (0: the example does not count)
 */
public record ImputationResult(long id, int masked, double squaredError, double squaredErrorBaseline, int wrong,
                               int wrongBaseline) implements Serializable {

    public double mse() {
        return squaredError / masked;
    }

    public double mseBaseline() {
        return squaredErrorBaseline / masked;
    }

    public double errorRate() {
        return (double) wrong / masked;
    }

    public double errorRateBaseline() {
        return (double) wrongBaseline / masked;
    }
}
