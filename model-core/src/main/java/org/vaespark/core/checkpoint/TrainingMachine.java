package org.vaespark.core.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a checkpoint was trained, so that a results page can state the machine and the CPU-hours
 * (training wall time x cores held) of every reproduced number.
 *
 * @param cpu    the driver's CPU model (from /proc/cpuinfo; "unknown" where it cannot be read); in
 *               local mode it is the machine that trained
 * @param cores  the task slots the training job held (Spark's default parallelism: all cores of
 *               {@code local[*]}, or the executors' cores on a cluster)
 * @param master the Spark master URL the job ran on
 */
public record TrainingMachine(String cpu, int cores, String master) {

    public TrainingMachine {
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be >= 1, got " + cores);
        }
    }

    /** This JVM's CPU model with the given task slots and master. */
    public static TrainingMachine of(int cores, String master) {
        return new TrainingMachine(cpuModel(), cores, master);
    }

    /** CPU-hours of {@code wallSeconds} of training on this machine. */
    public double cpuHours(double wallSeconds) {
        return wallSeconds * cores / 3600.0;
    }

    /** e.g. "2 cores (local[*]), Intel(R) Xeon(R) ..." */
    public String describe() {
        return cores + (cores == 1 ? " core" : " cores") + " (" + master + "), " + cpu;
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
        return "unknown";
    }
}
