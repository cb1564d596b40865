package org.vaespark.jobs.leaderboard;

/** Hand-built {@link ResultRow}s for the leaderboard tests. */
final class TestRows {
    private TestRows() {
    }

    /** A binarized-MNIST (static) IWAE-5000 test result with the given run, mean and timestamp (a row written before executor and selection). */
    static ResultRow staticIwae(String run, double mean, String evaluatedAt) {
        return new ResultRow("binarized-mnist", "static", null, run, "runs/" + run + "/ckpt-1000", 1000L, "test",
                "iwae", 5000, mean, 0.25, 10000L, 12345L, "VAE MLP 784-300-300-40 bernoulli", 478_064L,
                5_000_000L, 3600.5, 120.25, evaluatedAt);
    }

    /** The same row as evaluated on {@code n} examples chosen by {@code selection} ("all", "hash-subset n=… seed=21"). */
    static ResultRow withSelection(ResultRow r, long n, String selection) {
        return new ResultRow(r.dataset(), r.binarization(), r.datasetVersion(), r.run(), r.checkpoint(), r.step(), r.split(),
                r.metric(), r.estimatorK(), r.mean(), r.stderr(), n, r.seed(), r.model(), r.parameters(), r.examplesSeen(),
                r.trainWallSeconds(), r.evalWallSeconds(), r.evaluatedAt(), r.bitsPerDim(), r.note(), r.executor(), selection);
    }

    static ResultRow withSplit(ResultRow r, String split) {
        return new ResultRow(r.dataset(), r.binarization(), r.datasetVersion(), r.run(), r.checkpoint(), r.step(),
                split, r.metric(), r.estimatorK(), r.mean(), r.stderr(), r.n(), r.seed(), r.model(),
                r.parameters(), r.examplesSeen(), r.trainWallSeconds(), r.evalWallSeconds(), r.evaluatedAt());
    }
}
