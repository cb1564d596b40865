package org.vaespark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.config.Settings;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.jobs.train.RunDirectory;
import org.vaespark.jobs.train.TrainingRun;
import org.vaespark.prep.testing.LogLines;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * IwaeBenchmarkJob through {@code measure(...)} on a tiny configuration (a 784-32-4 model, k = 20, a 64-square
 * sgemm) on real binarized MNIST rows: its IWAE pass prints done/total, rate and ETA lines and a closing line, as
 * evaluation does.
 */
class IwaeBenchmarkJobTest {
    private static final int IMAGES = 30;
    private static final Pattern LINE = Pattern.compile("^IwaeBenchmarkJob: iwae-benchmark: IWAE-20 on test: (\\d+)/(\\d+) examples ");

    @TempDir
    Path dir;

    @Test
    void theIwaePassPrintsProgressLines() {
        SparkSession spark = SparkTestSession.get();
        String data = BenchData.binarizedMnist(spark, dir, 40);
        Settings s = Settings.defaults("data.path=" + data, "model.encoder.hidden=[32]", "model.decoder.hidden=[32]", "model.latent-dim=4");
        VaeConfig model = VaeConfig.from(s.config(), new ImageShape(28, 28, 1));
        RunDirectory run = new RunDirectory(dir.resolve("run").toString());
        run.create(s.toJson());
        NamedArrays params = Vae.initialise(model, 1).parameters();
        Path checkpoint = new TrainingRun(model, TrainConfig.from(s.config()), s.toJson(), run, data, "binarized-mnist")
                .checkpoint(1, params, AdamState.zeros(params), 0, 0, null);
        Settings bench = s.with("evaluate.checkpoint=" + checkpoint, "eval.k=20", "eval.chunk=10", "eval.max-examples=" + IMAGES,
                "progress.interval-seconds=0.05", "iwae-benchmark.sgemm-size=64", "iwae-benchmark.sgemm-repeats=1");
        Map<String, Object> out;
        List<String> lines;
        try (LogLines log = new LogLines()) {
            out = IwaeBenchmarkJob.measure(spark, bench);
            lines = log.lines();
        }
        assertEquals(IMAGES, out.get("iwae_images"));
        int shown = 0;
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (m.find()) {
                assertEquals(IMAGES, Integer.parseInt(m.group(2)), line);
                shown++;
            }
        }
        assertTrue(shown > 0, "done/total lines of the IWAE pass:\n" + String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("IwaeBenchmarkJob: iwae-benchmark: IWAE-20 on test: done, " + IMAGES
                + " examples in ")), String.join("\n", lines));
    }
}
