package org.vaespark.core.cpu;

import com.typesafe.config.Config;
import org.vaespark.core.config.Keys;

/**
 * {@code model.backend}: which executor runs a model's steps and its evaluation. {@code auto}
 * takes the CPU executor where it runs the model on a CPU backend, else the SameDiff graph;
 * {@code graph} always takes the graph (the GPU path and the reference the CPU executor is
 * tested against); {@code cpu} insists on the CPU executor, and a model it cannot run is a
 * configuration error naming the component. {@code train.engine} is a separate choice: who runs
 * the parameter-averaging loop around the steps.
 */
public enum Backend {
    AUTO, GRAPH, CPU;

    public static Backend from(Config c) {
        return Keys.enumValue(c, "model.backend", Backend.class);
    }

    /** The key's value as written in a config. */
    public String key() {
        return name().toLowerCase();
    }
}
