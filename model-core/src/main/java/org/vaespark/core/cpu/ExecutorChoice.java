package org.vaespark.core.cpu;

import org.vaespark.core.blas.Blas;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.model.VaeConfig;

/**
 * The one place where a model's executor is chosen ({@link Backend}), with the reason, for the
 * job's log, the checkpoint's metadata and every evaluation row. In the manner of ONNX Runtime's
 * execution providers: each executor says what it can run, the choice falls back and says so.
 *
 * @param executor "cpu" or "graph"
 * @param reason   why, in words a user can act on
 */
public record ExecutorChoice(String executor, String reason) implements java.io.Serializable {
    public static final String CPU = "cpu";
    public static final String GRAPH = "graph";

    /** The executor of {@code c} under {@code requested}; an impossible explicit request is a config error. */
    public static ExecutorChoice of(VaeConfig c, Backend requested) {
        String noGraph = org.vaespark.core.model.structure.ModelDescription.graphUnavailable(c);
        if (noGraph != null) {
            return cpuOnly(requested, noGraph);
        }
        if (requested == Backend.GRAPH) {
            return new ExecutorChoice(GRAPH, "model.backend = graph");
        }
        String why = Blas.unavailableReason();
        if (why == null) {
            return new ExecutorChoice(CPU, "model.backend = " + requested.key() + ": the CPU executor runs every model of the family");
        }
        if (requested == Backend.CPU) {
            throw Errors.badConfigValue("model.backend", "cpu", "auto or graph: the CPU executor cannot run here (" + why + ")");
        }
        return new ExecutorChoice(GRAPH, "model.backend = auto: " + why + ", so the SameDiff graph runs the model");
    }

    /** A model only the CPU executor runs: a graph request, or a machine where the executor cannot run, is an error. */
    private static ExecutorChoice cpuOnly(Backend requested, String noGraph) {
        if (requested == Backend.GRAPH) {
            throw Errors.badConfigValue("model.backend", "graph", "auto or cpu: " + noGraph);
        }
        String why = Blas.unavailableReason();
        if (why != null) {
            throw Errors.unsupportedModel("model.backend = " + requested.key(), noGraph + ", and the CPU executor cannot run here ("
                    + why + ")", "run it where the CPU executor runs (an x86-64 or aarch64 CPU backend)");
        }
        return new ExecutorChoice(CPU, "model.backend = " + requested.key() + ": " + noGraph);
    }

    public boolean cpu() {
        return CPU.equals(executor);
    }

    /** One line for a job's log. */
    public String describe() {
        return "executor " + executor + " (" + reason + ")";
    }
}
