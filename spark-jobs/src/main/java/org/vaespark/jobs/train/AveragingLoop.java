package org.vaespark.jobs.train;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.vaespark.core.train.Shard;

/** The parameter-averaging loop of the samediff engine, with the averaging done where {@code train.exchange} says. */
public interface AveragingLoop {

    /** Trains from {@code start} until {@code totalRounds}; returns the path of the final checkpoint. */
    Path train(JavaSparkContext sc, JavaRDD<Shard> shards, SparkTrainer.Start start, long totalRounds);

    /** Where each round of the last {@link #train} call spent its time. */
    List<RoundTimes> roundTimes();

    /** The loop {@code exchange} names. */
    static AveragingLoop of(TrainingRun run, ExchangeConfig exchange) {
        return exchange.kind() == ExchangeConfig.Kind.COLLECTIVE ? new CollectiveTrainer(run, exchange) : new SparkTrainer(run);
    }
}
