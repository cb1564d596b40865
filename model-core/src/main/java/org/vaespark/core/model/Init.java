package org.vaespark.core.model;

import java.io.Serializable;

/** How a parameter is initialised from the seed (see {@code ParameterLayout#initialise}). */
public sealed interface Init extends Serializable {
    /** Uniform in ±sqrt(6 / (fanIn + fanOut)) (Glorot &amp; Bengio 2010); fans from the shape. */
    record Glorot() implements Init {
    }

    /** Every value equal to {@code value} (zero biases, zero log-variances). */
    record Constant(double value) implements Init {
    }

    /** Independent normals N(mean, std^2). */
    record Normal(double mean, double std) implements Init {
    }

    /** Independent uniforms on [low, high). */
    record Uniform(double low, double high) implements Init {
    }

    Init GLOROT = new Glorot();
    Init ZEROS = new Constant(0);
}
