package org.vaespark.prep.storage;

import org.vaespark.core.config.Settings;
import org.vaespark.prep.Prepare;
import org.vaespark.prep.testing.SparkTestSession;

/** Entry point of the separate JVM that {@link KillDuringWriteTest} kills: one prepare with the given keys. */
public final class PrepareChild {
    private PrepareChild() {
    }

    public static void main(String[] keys) {
        Prepare.run(SparkTestSession.get(), Settings.defaults(keys));
        System.exit(0);
    }
}
