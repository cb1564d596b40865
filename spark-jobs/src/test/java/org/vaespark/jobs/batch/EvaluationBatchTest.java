package org.vaespark.jobs.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;
import org.vaespark.jobs.EvaluateJob;
import org.vaespark.jobs.eval.MetricSchema;
import org.vaespark.core.eval.ExampleSubset;
import org.vaespark.jobs.eval.ResultsTable;
import org.vaespark.jobs.leaderboard.ResultRow;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * Scheduled evaluation batches on real Spark (local[2]) over real runs: only new checkpoints
 * are evaluated, a re-run adds nothing, two batches at once neither duplicate nor lose rows, a
 * failing evaluation writes nothing, and claims of dead batches are taken over.
 */
class EvaluationBatchTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static String data;
    static Path runs;

    @BeforeAll
    static void runs() {
        spark = SparkTestSession.get();
        data = SmallRuns.dataset(spark, dir, 200);
        runs = dir.resolve("runs");
        SmallRuns.train(spark, data, runs, "a", 1, 2);
        SmallRuns.train(spark, data, runs, "b", 2, 1);
    }

    private static Settings settings(Path results, String... more) {
        List<String> all = new ArrayList<>(List.of("evaluate.runs=" + runs, "results.dir=" + results, "eval.k=8", "eval.chunk=8",
                "eval.max-examples=24"));
        all.addAll(List.of(more));
        return Settings.defaults(all.toArray(new String[0]));
    }

    @Test
    void aBatchEvaluatesWhatIsNewAndARerunAddsNothing() throws Exception {
        Path results = dir.resolve("results-rerun");
        EvaluationBatch.Report first = new EvaluationBatch(spark, settings(results, "evaluate.select=all")).run();
        assertEquals(3, first.evaluated().size(), "a: rounds 1 and 2, b: round 1");
        ResultsTable table = new ResultsTable(spark, results.toString());
        List<ResultRow> rows = table.readAll();
        assertEquals(6, rows.size(), "IWAE and ELBO rows per evaluation");
        assertEquals(6, table.readMetrics().size(), "reconstruction and KL per evaluation");
        long[] subset = ExampleSubset.of(24).select(java.util.stream.LongStream.range(0, 200).toArray());
        assertTrue(subset[subset.length - 1] >= 24, "the hash subset is not the first 24 ids");
        List<Long> evaluatedIds = spark.read().parquet(results + "/evaluations/a/round-000001/*/" + ResultsTable.PER_EXAMPLE)
                .select("id").orderBy("id").as(org.apache.spark.sql.Encoders.LONG()).collectAsList();
        assertEquals(java.util.Arrays.stream(subset).boxed().toList(), evaluatedIds, "eval.max-examples=24 takes the hash subset");
        for (ResultRow r : rows) {
            assertEquals("hash-subset n=24 seed=21", r.selection(), r.toString());
            assertEquals(24, r.n());
            assertTrue(r.bitsPerDim() != null && Math.abs(r.bitsPerDim() - r.nll() / (784 * Math.log(2))) < 1e-9,
                    "bits/dim of binary data = NLL / (D ln 2): " + r);
            assertTrue(r.note().contains("D ln 2"), r.note());
        }
        for (MetricSchema.Entry m : table.readMetrics()) {
            assertTrue(m.value().present() && Double.isFinite(m.value().mean()), m.toString());
        }

        EvaluationBatch.Report again = new EvaluationBatch(spark, settings(results, "evaluate.select=all")).run();
        assertEquals(0, again.evaluated().size());
        assertEquals(3, again.alreadyDone());
        assertEquals(6, table.readAll().size(), "a re-run with nothing new adds nothing");

        SmallRuns.train(spark, data, runs.resolveSibling("runs-more"), "c", 3, 1);
        Path extra = runs.resolve("c");
        copyTree(runs.resolveSibling("runs-more").resolve("c"), extra);
        try {
            EvaluationBatch.Report third = new EvaluationBatch(spark, settings(results, "evaluate.select=all")).run();
            assertEquals(1, third.evaluated().size(), "only the new run's checkpoint");
            assertEquals(8, table.readAll().size());
        } finally {
            deleteTree(extra);
        }
    }

    @Test
    void latestSelectionAndTheBudgetCapTheBatch() {
        Path results = dir.resolve("results-budget");
        EvaluationBatch.Report dry = new EvaluationBatch(spark, settings(results, "evaluate.select=all", "evaluate.dry-run=true")).run();
        assertEquals(3, dry.planned().size());
        assertEquals(0, dry.evaluated().size());
        assertTrue(dry.planned().get(0).flops() > 0);
        assertFalse(Files.exists(results.resolve("evaluations")), "a dry run writes nothing");

        EvaluationBatch.Report capped = new EvaluationBatch(spark, settings(results, "evaluate.select=all", "evaluate.max-checkpoints=1")).run();
        assertEquals(1, capped.evaluated().size());
        assertEquals(2, capped.droppedByBudget().size());

        EvaluationBatch.Report latest = new EvaluationBatch(spark, settings(results, "evaluate.select=latest")).run();
        Set<String> checkpoints = new HashSet<>();
        new ResultsTable(spark, results.toString()).readAll().forEach(r -> checkpoints.add(r.run() + "/" + Path.of(r.checkpoint()).getFileName()));
        assertTrue(checkpoints.contains("a/round-000002") && checkpoints.contains("b/round-000001"), checkpoints.toString());
        assertFalse(checkpoints.contains("a/round-000001"), "latest skips older checkpoints: " + checkpoints);
        assertTrue(latest.evaluated().size() + latest.alreadyDone() == 2);
    }

    @Test
    void twoBatchesAtOnceNeitherDuplicateNorLoseRows() throws Exception {
        Path results = dir.resolve("results-concurrent");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<EvaluationBatch.Report> one = pool.submit(() -> new EvaluationBatch(spark, settings(results, "evaluate.select=all")).run());
            Future<EvaluationBatch.Report> two = pool.submit(() -> new EvaluationBatch(spark, settings(results, "evaluate.select=all")).run());
            EvaluationBatch.Report a = one.get();
            EvaluationBatch.Report b = two.get();
            assertEquals(3, a.evaluated().size() + b.evaluated().size(), "each evaluation computed by exactly one batch: " + a + " / " + b);
        } finally {
            pool.shutdown();
        }
        List<ResultRow> rows = new ResultsTable(spark, results.toString()).readAll();
        assertEquals(6, rows.size());
        Set<ResultRow.Key> keys = new HashSet<>();
        rows.forEach(r -> keys.add(r.key()));
        assertEquals(6, keys.size(), "no duplicates");
        assertNoLeftovers(results);
    }

    @Test
    void aFailedEvaluationWritesNothingAndTheOthersAreCommitted() throws Exception {
        Path results = dir.resolve("results-failure");
        Path broken = runs.resolveSibling("runs-broken");
        copyTree(runs.resolve("a"), broken.resolve("a"));
        copyTree(runs.resolve("b"), broken.resolve("b"));
        Path arrays = broken.resolve("b/checkpoints/round-000001/params");
        try (Stream<Path> files = Files.list(arrays)) {
            Files.write(files.findFirst().orElseThrow(), new byte[] {1, 2, 3});
        }
        VaeException e = assertThrows(VaeException.class, () -> new EvaluationBatch(spark,
                settings(results, "evaluate.select=all", "evaluate.runs=" + broken)).run());
        assertTrue(e.getMessage().contains("b/round-000001") && e.getMessage().contains("failed"), e.getMessage());
        List<ResultRow> rows = new ResultsTable(spark, results.toString()).readAll();
        assertEquals(4, rows.size(), "run a's two evaluations are committed");
        assertTrue(rows.stream().noneMatch(r -> r.run().equals("b")));
        assertNoLeftovers(results);
    }

    @Test
    void aLiveClaimIsRespectedAndAStaleOneTakenOver() throws Exception {
        Path results = dir.resolve("results-claims");
        Settings s = settings(results, "evaluate.select=latest", "evaluate.runs=" + runs);
        EvaluationBatch.Report dry = new EvaluationBatch(spark, s.with("evaluate.dry-run=true")).run();
        String keyA = dry.planned().stream().filter(p -> p.ref().run().equals("a")).findFirst().orElseThrow().key().path();
        String keyB = dry.planned().stream().filter(p -> p.ref().run().equals("b")).findFirst().orElseThrow().key().path();
        Path live = results.resolve("claims").resolve(keyA).resolve("g-000000");
        Path stale = results.resolve("claims").resolve(keyB).resolve("g-000000");
        Files.createDirectories(live.getParent());
        Files.createDirectories(stale.getParent());
        Files.writeString(live, "another batch");
        Files.writeString(stale, "a batch that died");
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 7 * 3600_000L));

        EvaluationBatch.Report r = new EvaluationBatch(spark, s).run();
        assertEquals(List.of(keyA), r.claimedElsewhere().stream().map(EvaluationKey::path).toList());
        assertEquals(List.of(keyB), r.evaluated().stream().map(EvaluationKey::path).toList(), "the 7-hour-old claim is taken over");
        assertFalse(Files.exists(stale.getParent()), "the claim is released after the commit");
    }

    @Test
    void singleCheckpointModeIsIdempotentAndForceReplaces() {
        Path results = dir.resolve("results-single");
        Settings s = Settings.defaults("evaluate.checkpoint=" + runs.resolve("b/checkpoints/round-000001"), "results.dir=" + results,
                "eval.k=8", "eval.chunk=8", "eval.max-examples=24");
        List<ResultRow> first = EvaluateJob.evaluate(spark, s);
        List<ResultRow> again = EvaluateJob.evaluate(spark, s);
        assertEquals(first.get(0).evaluatedAt(), again.get(0).evaluatedAt(), "the committed evaluation is returned, not recomputed");
        List<ResultRow> forced = EvaluateJob.evaluate(spark, s.with("evaluate.force=true"));
        assertEquals(first.get(0).mean(), forced.get(0).mean(), 0.0, "same seed, same per-example noise, same value");
        assertEquals(2, new ResultsTable(spark, results.toString()).readAll().size(), "force replaces, it does not append");
    }

    @Test
    void diagnosticsLandInTheSameEvaluation() throws Exception {
        Path results = dir.resolve("results-diagnostics");
        new EvaluationBatch(spark, settings(results, "evaluate.select=latest", "evaluate.diagnostics=[imputation, figures, posterior]",
                "eval.posterior.gmm-components=2", "eval.posterior.gmm-max-iter=5", "eval.posterior.gmm-k=4", "eval.posterior.gmm-examples=8",
                "figures.grid=2", "figures.reconstructions=2", "figures.interpolation.pairs=1", "figures.interpolation.steps=3")).run();
        List<MetricSchema.Entry> metrics = new ResultsTable(spark, results.toString()).readMetrics();
        List<String> names = metrics.stream().filter(m -> m.run().equals("a")).map(m -> m.value().metric()).toList();
        assertTrue(names.containsAll(List.of("reconstruction", "kl", "imputation_mse", "imputation_mse_baseline", "mutual_information",
                "marginal_kl", "active_units", "posthoc_gmm_gain")), names.toString());
        try (Stream<Path> dirs = Files.walk(results.resolve("evaluations/a"))) {
            Path latent = dirs.filter(p -> p.getFileName().toString().equals("latent")).findFirst().orElseThrow();
            assertEquals(4, spark.read().parquet(latent.toString()).count(), "one row per latent dimension");
        }
        MetricSchema.Entry pseudo = metrics.stream().filter(m -> m.value().metric().equals("figure_pseudo-inputs")).findFirst().orElseThrow();
        assertFalse(pseudo.value().present());
        assertTrue(pseudo.value().note().contains("VampPrior"), pseudo.value().note());
        try (Stream<Path> files = Files.walk(results.resolve("evaluations/a"))) {
            List<String> pngs = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().toList();
            assertEquals(List.of("interpolations.png", "reconstructions.png", "samples.png"), pngs);
        }

        org.vaespark.jobs.LeaderboardJob.render(spark, Settings.defaults("results.dir=" + results, "leaderboard.runs=" + runs));
        String html = Files.readString(results.resolve("leaderboard/index.html"));
        assertTrue(html.contains("id=\"diagnostics\"") && html.contains("mutual_information") && html.contains("imputation_mse"), html);
        assertTrue(html.contains("src=\"figures/a/samples.png\""), "the evaluation's pictures are linked");
        assertTrue(Files.size(results.resolve("leaderboard/figures/a/samples.png")) > 0);
        assertTrue(html.contains("pseudo inputs") && html.contains("VampPrior"), "an absent picture shows its reason");
        assertTrue(html.contains("curves/a.png"), "training curves of the run");
        assertTrue(Files.readString(results.resolve("leaderboard/leaderboard.md")).contains("## Diagnostics"));
    }

    private static void assertNoLeftovers(Path results) throws Exception {
        try (Stream<Path> files = Files.walk(results)) {
            List<String> hidden = files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp-")).toList();
            assertEquals(List.of(), hidden, "no temporary directories are left");
        }
        Path claims = results.resolve("claims");
        if (Files.exists(claims)) {
            try (Stream<Path> files = Files.walk(claims)) {
                assertEquals(0, files.filter(Files::isRegularFile).count(), "every claim is released");
            }
        }
    }

    static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    static void deleteTree(Path p) throws Exception {
        try (Stream<Path> files = Files.walk(p)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
