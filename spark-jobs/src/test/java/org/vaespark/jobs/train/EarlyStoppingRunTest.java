package org.vaespark.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.config.Settings;
import org.vaespark.core.testing.SharedData;
import org.vaespark.jobs.TrainJob;
import org.vaespark.prep.Prepare;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * Training with early stopping in local[2] on real binarized MNIST: a validation per epoch, the best
 * checkpoint kept (and the others but the latest deleted), and a resumed run that replays the
 * recorded validations and adds only the new epoch's.
 */
class EarlyStoppingRunTest {
    @TempDir
    Path dir;

    @Test
    void validatesEachEpochKeepsTheBestAndResumesFromTheRecord() throws Exception {
        SparkSession spark = SparkTestSession.get();
        String data = dir.resolve("data").toString();
        Prepare.run(spark, Settings.defaults("prepare.source=binarized-mnist",
                "prepare.input=" + SharedData.dir().resolve("binarized_mnist"), "prepare.output=" + data));
        Path run = dir.resolve("run");
        // the 10,000 validation images train (a short test), the first 500 test images validate
        Settings settings = Settings.load(List.of(SharedData.projectRoot().resolve("conf/experiments/mnist-static-mlp.conf").toString()), List.of(
                "data.path=" + data, "data.train-split=valid", "run.dir=" + run,
                "model.encoder.hidden=[64]", "model.decoder.hidden=[64]", "model.latent-dim=8",
                "train.epochs=3", "train.checkpoint-every-rounds=2",
                "train.early-stopping.patience-epochs=5", "train.early-stopping.split=test", "train.early-stopping.max-examples=500"));
        Path best = EarlyStoppingRun.train(spark, settings, TrainJob::train);

        List<JsonNode> lines = lines(run.resolve(EarlyStoppingRun.VALIDATIONS));
        assertEquals(List.of(1, 2, 3), lines.stream().map(n -> n.get("epoch").asInt()).toList());
        JsonNode top = lines.stream().max((a, b) -> Double.compare(a.get("valid_elbo").asDouble(), b.get("valid_elbo").asDouble())).orElseThrow();
        assertEquals(top.get("checkpoint").asText(), best.toString(), "the best checkpoint is the one with the highest validation ELBO");
        assertEquals(best.toString(), Files.readString(run.resolve(EarlyStoppingRun.BEST)).trim());
        assertTrue(lines.get(0).get("valid_elbo").asDouble() < lines.get(2).get("valid_elbo").asDouble(), "the validation ELBO improves");
        // 1 epoch of 10,000 = 5 rounds of 2 x 10 x 100: segments end at rounds 5, 10, 15
        assertEquals("round-000015", Path.of(lines.get(2).get("checkpoint").asText()).getFileName().toString());
        List<Path> kept = CheckpointIO.list(run.resolve("checkpoints"));
        assertTrue(kept.size() <= 2 && kept.stream().anyMatch(p -> p.toString().equals(best.toString())), "kept " + kept);

        Path again = EarlyStoppingRun.train(spark, settings.with("train.epochs=4", "run.resume=true"), TrainJob::train);
        List<JsonNode> after = lines(run.resolve(EarlyStoppingRun.VALIDATIONS));
        assertEquals(List.of(1, 2, 3, 4), after.stream().map(n -> n.get("epoch").asInt()).toList(), "the resumed run adds only epoch 4");
        assertEquals(lines.get(2).get("valid_elbo").asDouble(), after.get(2).get("valid_elbo").asDouble());
        assertEquals(Files.readString(run.resolve(EarlyStoppingRun.BEST)).trim(), again.toString());
    }

    private static List<JsonNode> lines(Path file) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(json.readTree(line));
        }
        return out;
    }
}
