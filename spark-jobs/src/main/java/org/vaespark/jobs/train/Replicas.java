package org.vaespark.jobs.train;

import java.util.HashMap;
import java.util.Map;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.train.NativeThreads;
import org.vaespark.core.train.PartitionTrainer;
import org.vaespark.core.train.RoundResult;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.core.tensor.NamedArrays;

/**
 * Executor side of a round: one model graph per task thread, reused across rounds (building
 * the SameDiff graph every round would dominate short rounds); the partition's local steps start
 * from the broadcast parameters (loaded into the graph, or into the dense path's buffers for the
 * models it serves). On GPU executors each task first binds its thread to the GPU Spark assigned
 * it ({@link TaskGpu}).
 */
public final class Replicas {
    private static final ThreadLocal<Map<VaeConfig, Vae>> MODELS = ThreadLocal.withInitial(HashMap::new);
    private static final ThreadLocal<Integer> DEVICE = ThreadLocal.withInitial(() -> -1);

    private Replicas() {
    }

    /** Runs one partition's share of a round. */
    public static RoundResult run(RoundInput in, Shard shard) {
        Vae model = model(in.model(), in.train(), in.parameters());
        return new PartitionTrainer(in.train(), shard).run(model, in.parameters(), in.adam(), in.train().averagingFrequency());
    }

    /**
     * This task thread's graph of {@code config} (built once, holding {@code parameters} when new), after
     * setting the task's native thread count and binding its GPU.
     */
    public static Vae model(VaeConfig config, TrainConfig train, NamedArrays parameters) {
        NativeThreads.configure(train.threadsPerTask());
        int device = TaskGpu.bind();
        if (device != DEVICE.get()) {
            // A model built on another GPU stays there: rebuild on this task's device.
            MODELS.get().clear();
            DEVICE.set(device);
        }
        return MODELS.get().computeIfAbsent(config, c -> Vae.withParameters(c, parameters));
    }

    /** Runs one partition's share of a round and adds its examples and local-step time to {@code counters}. */
    public static RoundResult run(RoundInput in, Shard shard, TaskCounters counters) {
        return counters.record(run(in, shard));
    }
}
