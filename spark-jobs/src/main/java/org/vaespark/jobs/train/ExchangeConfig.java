package org.vaespark.jobs.train;

import com.typesafe.config.Config;
import java.io.Serializable;
import org.vaespark.core.config.Keys;

/**
 * How the replicas of an averaging round are averaged (keys {@code train.exchange},
 * {@code train.exchange-timeout-seconds} in spark-jobs' reference.conf).
 *
 * @param kind           {@link Kind#COLLECTIVE}: the tasks average among themselves ({@link CollectiveTrainer});
 *                       {@link Kind#DRIVER}: one Spark job per round, averaged on the driver ({@link SparkTrainer})
 * @param timeoutSeconds collective: how long a task waits for a peer's connection or share of a round before it fails
 */
public record ExchangeConfig(Kind kind, int timeoutSeconds) implements Serializable {
    public static final String KIND_KEY = "train.exchange";
    public static final String TIMEOUT_KEY = "train.exchange-timeout-seconds";

    /** Who averages. */
    public enum Kind { COLLECTIVE, DRIVER }

    public static ExchangeConfig from(Config c) {
        return new ExchangeConfig(Keys.enumValue(c, KIND_KEY, Kind.class), Keys.positiveInt(c, TIMEOUT_KEY));
    }
}
