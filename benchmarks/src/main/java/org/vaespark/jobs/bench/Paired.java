package org.vaespark.jobs.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * A throughput figure paired with the sgemm rate of the same moment, as {@code BenchmarkJob}'s
 * training figure is: the sgemm rate in the figure's own thread layout (for the family table every
 * worker's one-thread sgemm at once, {@link Concurrent#sgemmGflops}) is read before the first run and after every run, and each run's model GFLOP/s is divided
 * by the mean of the readings just before and just after it. On a shared machine whose speed
 * drifts by tens of percent within seconds, a rate read once at the start belongs to another
 * moment than the figure. The medians over the runs are reported.
 *
 * @param rates        units per second of each run (examples or images)
 * @param sgemm        the sgemm readings, GFLOP/s, one more than the runs
 * @param flopsPerUnit model GEMM FLOPs per unit
 */
public record Paired(double[] rates, double[] sgemm, double flopsPerUnit) {
    static final int SGEMM_SIZE = 1024;

    /** One timed run; returns its units per second. */
    @FunctionalInterface
    public interface Run {
        double unitsPerSecond();
    }

    /** {@code runs} runs of {@code run}, each between two readings of {@code sgemm} (GFLOP/s). */
    public static Paired measure(DoubleSupplier sgemmReading, int runs, double flopsPerUnit, Run run) {
        double[] rates = new double[runs];
        double[] sgemm = new double[runs + 1];
        sgemm[0] = sgemmReading.getAsDouble();
        for (int i = 0; i < runs; i++) {
            rates[i] = run.unitsPerSecond();
            sgemm[i + 1] = sgemmReading.getAsDouble();
        }
        return new Paired(rates, sgemm, flopsPerUnit);
    }

    /** Each run's model GFLOP/s over the mean of the sgemm readings around it. */
    public double[] fractions() {
        double[] f = new double[rates.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = rates[i] * flopsPerUnit / 1e9 / ((sgemm[i] + sgemm[i + 1]) / 2);
        }
        return f;
    }

    public double medianRate() {
        return Machine.median(rates);
    }

    public double medianFraction() {
        return Machine.median(fractions());
    }

    /** The figures under {@code prefix}: medians, and every run's rate, fraction and the sgemm readings. */
    public Map<String, Object> put(String prefix, Map<String, Object> out) {
        out.put(prefix + "_per_s", medianRate());
        out.put(prefix + "_model_gflops", medianRate() * flopsPerUnit / 1e9);
        out.put(prefix + "_fraction_of_sgemm", medianFraction());
        out.put(prefix + "_runs_per_s", Arrays.stream(rates).boxed().toList());
        out.put(prefix + "_runs_fraction_of_sgemm", Arrays.stream(fractions()).boxed().toList());
        out.put(prefix + "_sgemm_gflops", Arrays.stream(sgemm).boxed().toList());
        return out;
    }

    /** The same figures in a fresh map. */
    public Map<String, Object> toMap(String prefix) {
        return put(prefix, new LinkedHashMap<>());
    }
}
