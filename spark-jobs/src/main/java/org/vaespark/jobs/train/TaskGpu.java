package org.vaespark.jobs.train;

import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;

/**
 * GPU executors (the -Pcuda build): points ND4J at the GPU that Spark's resource scheduling
 * assigned to the running task ({@code spark.task.resource.gpu.amount}), so tasks sharing an
 * executor with several GPUs do not all land on device 0. Called by training tasks (Replicas) and
 * by evaluation tasks (eval/DistributedIwae, DistributedImputation, PosteriorStatistics,
 * PosthocMixture) before they build a model. A task without a "gpu" resource (every CPU run)
 * leaves ND4J untouched.
 */
public final class TaskGpu {
    private TaskGpu() {
    }

    /** Binds the calling task thread to its assigned GPU; returns the device, or -1 when the task has none. */
    public static int bind() {
        TaskContext task = TaskContext.get();
        if (task == null) {
            return -1;
        }
        Map<String, ResourceInformation> resources = task.resourcesJMap();
        ResourceInformation gpu = resources.get("gpu");
        if (gpu == null || gpu.addresses().length == 0) {
            return -1;
        }
        int device = Integer.parseInt(gpu.addresses()[0].trim());
        Nd4j.getAffinityManager().unsafeSetDevice(device);
        return device;
    }
}
