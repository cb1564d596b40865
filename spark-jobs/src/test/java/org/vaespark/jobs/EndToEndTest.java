package org.vaespark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.checkpoint.Checkpoint;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.config.Settings;
import org.vaespark.core.testing.SharedData;
import org.vaespark.jobs.eval.ResultsTable;
import org.vaespark.jobs.leaderboard.LeaderboardTables;
import org.vaespark.jobs.leaderboard.ResultRow;
import org.vaespark.prep.Prepare;
import org.vaespark.prep.testing.SparkTestSession;

/** prepare → train → evaluate → leaderboard on real binarized MNIST in local[2], through the jobs' run methods. */
class EndToEndTest {
    @TempDir
    Path dir;

    @Test
    void prepareTrainEvaluateLeaderboard() throws Exception {
        SparkSession spark = SparkTestSession.get();
        String data = dir.resolve("data/binarized-mnist").toString();
        Prepare.run(spark, Settings.defaults("prepare.source=binarized-mnist",
                "prepare.input=" + SharedData.dir().resolve("binarized_mnist"), "prepare.output=" + data));

        Settings settings = Settings.load(List.of(SharedData.projectRoot().resolve("conf/experiments/mnist-static-mlp.conf").toString()), List.of(
                "data.path=" + data, "run.dir=" + dir.resolve("runs/e2e"), "results.dir=" + dir.resolve("results"),
                "leaderboard.runs=" + dir.resolve("runs"),
                "model.encoder.hidden=[64]", "model.decoder.hidden=[64]", "model.latent-dim=8",
                "train.epochs=1", "train.checkpoint-every-rounds=10", "eval.k=50", "eval.max-examples=100"));
        Path last = TrainJob.train(spark, settings);
        assertEquals("round-000025", last.getFileName().toString(), "1 epoch of 50000 = 25 rounds of 2 x 10 x 100");
        assertEquals(3, CheckpointIO.list(dir.resolve("runs/e2e/checkpoints")).size());
        List<String> metrics = Files.readAllLines(dir.resolve("runs/e2e/metrics.jsonl"));
        assertEquals(25, metrics.size());
        assertTrue(metrics.get(24).contains("\"examples_seen\":50000"), metrics.get(24));
        JsonNode round = new ObjectMapper().readTree(metrics.get(24));
        assertEquals(round.get("train_elbo").asDouble(),
                round.get("train_reconstruction").asDouble() - round.get("train_kl").asDouble(), 1e-6, metrics.get(24));
        assertTrue(round.get("train_kl").asDouble() > 0, metrics.get(24));
        Checkpoint c = CheckpointIO.read(last);
        assertEquals(250, c.metadata().adamStep());

        List<ResultRow> rows = EvaluateJob.evaluate(spark, settings);
        ResultRow iwae = rows.get(0);
        ResultRow elbo = rows.get(1);
        assertEquals("iwae", iwae.metric());
        assertEquals(100, iwae.n());
        assertEquals("static", iwae.binarization());
        assertEquals("binarized-mnist", iwae.dataset());
        assertTrue(iwae.mean() > elbo.mean(), "IWAE-50 " + iwae.mean() + " must exceed the ELBO " + elbo.mean());
        assertTrue(iwae.mean() < -80 && iwae.mean() > -250, "implausible test log-likelihood " + iwae.mean());
        assertTrue(iwae.stderr() > 0 && iwae.stderr() < 10);
        try (var evaluations = Files.list(dir.resolve("results/evaluations/e2e/round-000025"))) {
            Path evaluation = evaluations.filter(p -> p.getFileName().toString().startsWith("test-k50-")).findFirst().orElseThrow();
            assertEquals(100, spark.read().parquet(evaluation.resolve("per-example").toString()).count());
        }

        List<ResultRow> again = EvaluateJob.evaluate(spark, settings.with("evaluate.force=true"));
        assertEquals(iwae.mean(), again.get(0).mean(), 0.0, "re-evaluation with the same seed must give the same value");
        assertEquals(2, new ResultsTable(spark, dir.resolve("results").toString()).readAll().size(), "replaced, not appended");

        LeaderboardTables tables = LeaderboardJob.render(spark, settings);
        String md = Files.readString(dir.resolve("results/leaderboard/leaderboard.md"));
        assertTrue(md.startsWith(tables.toMarkdown()), "the tables, then the diagnostics");
        assertTrue(md.contains("## Diagnostics") && md.contains("| reconstruction |") && md.contains("| kl |"), md);
        assertTrue(md.contains("e2e") && md.contains("85.57") && md.contains("Tomczak & Welling 2018"), md);
        assertTrue(md.contains(String.format("%.2f", -iwae.mean())), md);
        assertTrue(Files.list(dir.resolve("results/leaderboard")).anyMatch(p -> p.toString().endsWith(".csv")));
        String page = Files.readString(dir.resolve("results/leaderboard/index.html"));
        assertTrue(page.contains("<img src=\"curves/e2e.png\"") && page.contains("Tomczak &amp; Welling 2018"));
        assertTrue(Files.size(dir.resolve("results/leaderboard/curves/e2e.png")) > 1000);
    }
}
