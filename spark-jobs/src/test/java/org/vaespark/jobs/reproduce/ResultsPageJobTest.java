package org.vaespark.jobs.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.checkpoint.CheckpointMetadata;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.testing.SharedData;
import org.vaespark.jobs.EvaluateJob;
import org.vaespark.jobs.ResultsPageJob;
import org.vaespark.jobs.TrainJob;
import org.vaespark.jobs.eval.ResultsTable;
import org.vaespark.jobs.leaderboard.ResultRow;
import org.vaespark.jobs.train.EarlyStoppingRun;
import org.vaespark.prep.Prepare;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * The results page from a real reproduction layout in local[2]: a row trained with early stopping on real binarized
 * MNIST and evaluated by the evaluate job, beside a row that has not run. Its numbers are those of the results table
 * and checkpoints (Δ = ours − published), a run short of its protocol and a partial test set are marked, the machine
 * is recorded, and the README's section between the markers is replaced and nothing else.
 */
class ResultsPageJobTest {
    @TempDir
    Path dir;

    @Test
    void pairsEachPublishedRowWithItsRunFromTheWrittenFiles() throws Exception {
        SparkSession spark = SparkTestSession.get();
        String data = dir.resolve("data").toString();
        Prepare.run(spark, Settings.defaults("prepare.source=binarized-mnist",
                "prepare.input=" + SharedData.dir().resolve("binarized_mnist"), "prepare.output=" + data));
        Path rows = Files.createDirectories(dir.resolve("rows"));
        String protocol = "include \"" + SharedData.projectRoot().resolve("conf/experiments/mnist-static-mlp.conf") + "\"\n"
                + "model { encoder.hidden = [32], decoder.hidden = [32], latent-dim = 4 }\n"
                + "train { epochs = 3, early-stopping { patience-epochs = 5, split = test, max-examples = 300 } }\n";
        Files.writeString(rows.resolve("small-vae.conf"), protocol
                + "reproduce { title = \"Small VAE\", published-nll = 150.5, source = \"Nobody 2026, Table 0\", dataset = binarized-mnist,"
                + " caveat = \"a 32-unit model\" }\n");
        Files.writeString(rows.resolve("waiting.conf"), protocol
                + "reproduce { title = \"Not run\", published-nll = 80.25, source = \"Somebody 2025\", dataset = binarized-mnist }\n");

        Path repro = dir.resolve("repro");
        Path run = repro.resolve("small-vae/run");
        Path results = repro.resolve("small-vae/results");
        // the 10,000 validation images train: 2 of the protocol's 3 epochs (a time budget)
        Settings train = Settings.load(List.of(rows.resolve("small-vae.conf").toString()), List.of(
                "data.path=" + data, "data.train-split=valid", "run.dir=" + run, "train.epochs=2", "train.checkpoint-every-rounds=2"));
        Path best = EarlyStoppingRun.train(spark, train, TrainJob::train);
        EvaluateJob.evaluate(spark, train.with("evaluate.checkpoint=" + best, "results.dir=" + results,
                "eval.k=10", "eval.max-examples=200"));

        // a scaling pair: the row with 2 replicas (averaging every 5 steps) and with 4 (the driver exchange: local[2]
        // has no slot per replica for a barrier stage)
        for (int replicas : new int[] {2, 4}) {
            Path s = repro.resolve("scaling/small-vae/p" + replicas + "-f5");
            Settings grid = train.with("run.dir=" + s.resolve("run"), "train.partitions=" + replicas, "train.averaging-frequency=5",
                    "train.exchange=driver", "train.epochs=1", "train.early-stopping.patience-epochs=null");
            TrainJob.train(spark, grid);
            EvaluateJob.evaluate(spark, grid.with("results.dir=" + s.resolve("results"), "eval.k=10", "eval.max-examples=200"));
        }

        // an earlier configuration of the row, replaced (here: the same files, archived the way --supersede moves them)
        Path archived = repro.resolve("archive/small-vae/first-try");
        copyTree(repro.resolve("small-vae"), archived);
        Files.writeString(archived.resolve(EarlierRuns.REASON), "pseudo-inputs | started from data\n");
        Files.createDirectories(repro.resolve("archive/small-vae/never-evaluated/run"));

        Path readme = dir.resolve("README.md");
        Files.writeString(readme, "# Title\nintro\n" + PageFiles.BEGIN + "\nold table\n" + PageFiles.END + "\nrest\n");
        Path out = dir.resolve("docs/results.md");
        Settings page = Settings.defaults("results-page.rows-dir=" + rows, "results-page.repro-dir=" + repro,
                "results-page.output=" + out, "results-page.readme=" + readme);
        ResultsPageJob.write(spark, page);

        ResultRow result = new ResultsTable(spark, results.toString()).readAll().stream()
                .filter(r -> r.split().equals("test")).findFirst().orElseThrow();
        CheckpointMetadata meta = CheckpointIO.readMetadata(best);
        String md = Files.readString(out);
        String delta = String.format(Locale.ROOT, "%+.2f", -result.mean() - 150.5);
        String line = md.lines().filter(l -> l.contains("**small-vae**")).findFirst().orElseThrow();
        assertTrue(line.contains(String.format(Locale.ROOT, "%.2f ± %.2f", -result.mean(), result.stderr())), line);
        assertTrue(line.contains("| " + delta + " |"), "Δ from the results table: " + line);
        assertTrue(line.contains("**partial test set**: n = 200, k = 10"), line);
        assertTrue(line.contains("**shortened**: 2 of 3 epochs"), line);
        assertTrue(line.contains(meta.machine().describe()), "the machine of the checkpoint: " + line);
        assertTrue(meta.machine().cores() >= 1 && meta.machine().master().startsWith("local"), meta.machine().toString());
        String waiting = md.lines().filter(l -> l.contains("**waiting**")).findFirst().orElseThrow();
        assertTrue(waiting.contains("not run yet") && !waiting.matches(".*\\| [0-9.]+ ± .*"), "no number for a row that has not run: " + waiting);
        assertTrue(md.contains("- **small-vae**: a 32-unit model"), "caveats listed");

        double two = nll(spark, repro.resolve("scaling/small-vae/p2-f5/results"));
        double four = nll(spark, repro.resolve("scaling/small-vae/p4-f5/results"));
        String scaled = md.lines().filter(l -> l.startsWith("| small-vae | 4 | 5 steps |")).findFirst().orElseThrow();
        assertTrue(scaled.contains(String.format(Locale.ROOT, "| %+.2f |", four - two)), "Δ against 2 replicas: " + scaled);
        assertTrue(scaled.contains("1 epochs, 10,000 examples") && scaled.contains("**partial**: n = 200"), scaled);
        assertTrue(md.lines().anyMatch(l -> l.startsWith("| small-vae | 2 | 5 steps |") && l.contains("| — |")), md);

        String earlier = md.lines().filter(l -> l.startsWith("| small-vae | first-try |")).findFirst().orElseThrow();
        assertTrue(earlier.contains(String.format(Locale.ROOT, "%.2f ± %.2f", -result.mean(), result.stderr()))
                && earlier.contains("| " + delta + " |") && earlier.contains("pseudo-inputs \\| started from data"), earlier);
        assertTrue(md.lines().anyMatch(l -> l.startsWith("| small-vae | never-evaluated | not evaluated |") && l.endsWith("not recorded |")), md);
        assertTrue(md.indexOf("## Runs of earlier configurations") > md.indexOf("**waiting**"), "after the main table");

        assertTrue(md.contains("![small-vae learning curve](results/small-vae.png)"), "the curve is linked");
        assertTrue(Files.size(dir.resolve("docs/results/small-vae.png")) > 1000, "the curve is drawn");
        LearningCurve curve = LearningCurve.read(run);
        assertEquals(2, curve.validEpochs().length, "one validation per epoch");
        assertEquals(List.of(1.0, 2.0), java.util.Arrays.stream(curve.trainEpochs()).boxed().toList(), "epochs on x, not examples");
        double[] y = curve.yRange();
        assertTrue(y[0] <= Math.min(curve.trainElbo()[1], curve.validElbo()[1]) && y[1] >= Math.max(curve.trainElbo()[1], curve.validElbo()[1]),
                "the later half lies inside the drawn range: " + curve);
        assertTrue(!Files.exists(dir.resolve("docs/results/waiting.png")), "no curve for a row that has not run");

        List<String> csv = Files.readAllLines(dir.resolve("docs/results.csv"));
        assertEquals(3, csv.size());
        assertTrue(csv.get(1).startsWith("small-vae,\"Small VAE\",150.5,"), csv.get(1));
        assertTrue(csv.get(2).contains("not run yet"), csv.get(2));

        String text = Files.readString(readme);
        assertTrue(text.startsWith("# Title\nintro\n" + PageFiles.BEGIN + "\n| Row |"), text);
        assertTrue(text.contains("\n| **small-vae**"), text);
        assertTrue(text.endsWith(PageFiles.END + "\nrest\n") && !text.contains("old table"), text);
        assertTrue(text.contains("1 of 2 published MNIST rows reproduced so far (1 without a test result yet)"), text);
        assertFalse(Files.list(dir.resolve("docs")).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static double nll(SparkSession spark, Path results) {
        return -new ResultsTable(spark, results.toString()).readAll().stream().filter(r -> r.split().equals("test"))
                .findFirst().orElseThrow().mean();
    }

    @Test
    void theCurveIsDrawnOverTheLaterEpochsNotTheFirstOnes() {
        double[] epochs = {1, 2, 3, 4, 5, 6, 7, 8};
        LearningCurve c = new LearningCurve(epochs, new double[]{-500, -200, -100, -95, -92, -91, -90, -90},
                new double[]{2, 4, 6, 8}, new double[]{-210, -97, -93, -92});
        double[] y = c.yRange();
        assertTrue(y[0] > -100 && y[0] < -93 && y[1] > -90 && y[1] < -89, java.util.Arrays.toString(y));
    }

    @Test
    void aReadmeWithoutTheMarkersIsRefusedWithTheFix() {
        VaeException e = assertThrows(VaeException.class, () -> PageFiles.withExcerpt(Path.of("README.md"), "# no markers\n", "x"));
        assertTrue(e.getMessage().contains(PageFiles.BEGIN) && e.getMessage().contains("results-page.readme"), e.getMessage());
    }
}
