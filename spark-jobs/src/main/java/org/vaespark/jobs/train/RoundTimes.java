package org.vaespark.jobs.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one averaging round's wall time went, in seconds, as measured by {@link RoundTimer}.
 * The phases are consecutive intervals of the driver's clock except that the Spark job is split
 * into the slowest task's local steps (timed inside the task) and the rest, so
 * {@code broadcast + localSteps + aggregate + driverUpdate + checkpoint + metrics = round}
 * up to rounding.
 *
 * @param broadcast      creating the broadcast of (model config, training config, parameters, Adam state) on the driver
 * @param localSteps     the slowest task's {@code PartitionTrainer.run}: loading the parameters and its local Adam
 *                       steps (the round's critical path; measured inside the task)
 * @param localStepsMean the tasks' mean local-step time
 * @param aggregate      the Spark job's wall time (map + treeAggregate, from submission until the driver holds the
 *                       sum, plus destroying the broadcast) minus {@code localSteps}: scheduling, executors fetching
 *                       and deserializing the broadcast, building a replica's graph on its first round,
 *                       serializing the results and merging the sums; never below 0
 * @param driverUpdate   averaging the sums into parameters and Adam moments, the checks on them, the round's log
 *                       line and assembling its metrics
 * @param checkpoint     writing the previous round's checkpoint (microseconds when it wrote none; 0 on the first round
 *                       of a run): it follows that round's metrics.jsonl line, so a run killed between the two never
 *                       holds a checkpoint whose line is missing
 * @param metrics        appending the previous round's metrics.jsonl line, which happens after that
 *                       round's record is taken (0 on the first round of a run)
 * @param round          the whole round: from the end of the previous round's record (or the loop's start) to the
 *                       end of this round's driver update
 */
public record RoundTimes(double broadcast, double localSteps, double localStepsMean, double aggregate, double driverUpdate,
                         double checkpoint, double metrics, double round) implements java.io.Serializable {

    /** Field names in metrics.jsonl, in order; {@link #metricsFields()} holds exactly these. */
    public static final String[] KEYS = {"time_broadcast_s", "time_local_steps_s", "time_local_steps_mean_s", "time_aggregate_s",
        "time_driver_update_s", "time_checkpoint_s", "time_metrics_s", "time_round_s", "outside_local_share"};

    /** The share of the round spent outside the slowest task's local steps: 1 − localSteps / round. */
    public double outsideLocalShare() {
        return round <= 0 ? 0 : 1 - localSteps / round;
    }

    /** The record as metrics.jsonl fields ({@link #KEYS}). */
    public Map<String, Object> metricsFields() {
        double[] values = {broadcast, localSteps, localStepsMean, aggregate, driverUpdate, checkpoint, metrics, round, outsideLocalShare()};
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < KEYS.length; i++) {
            m.put(KEYS[i], values[i]);
        }
        return m;
    }

    /** The per-field medians of {@code rounds} ({@link #KEYS}, each the median of that field over the rounds). */
    public static Map<String, Object> medians(List<RoundTimes> rounds) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String key : KEYS) {
            double[] v = rounds.stream().mapToDouble(t -> (double) t.metricsFields().get(key)).sorted().toArray();
            int n = v.length;
            m.put(key, n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
        }
        return m;
    }
}
