package org.vaespark.jobs.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vaespark.core.config.Settings;
import org.vaespark.prep.testing.LogLines;
import org.vaespark.prep.testing.SparkTestSession;

/**
 * Every per-example pass of the evaluation diagnostics prints done/total, rate and ETA lines and a closing line,
 * counted per batch by its tasks: one evaluation of a Gaussian-posterior run and a planar-flow run (aggregated-posterior
 * statistics of flows go through LayeredStatistics) on real binarized MNIST rows in {@code local[2]}, with a 0.05 s
 * interval so that every pass longer than that has lines.
 */
class DiagnosticsProgressTest {
    private static final int IMAGES = 12;
    private static final int GMM_EXAMPLES = 8;
    private static final int OOD_EXAMPLES = 10;
    private static final Pattern LINE = Pattern.compile("^\\w+: (.+): (\\d+)/(\\d+) examples \\(\\d+%\\), [0-9.]+ examples/s");

    @TempDir
    static Path dir;
    private static List<String> lines;

    @BeforeAll
    static void evaluate() {
        SparkSession spark = SparkTestSession.get();
        String data = SmallRuns.dataset(spark, dir, 40);
        Path runs = SmallRuns.gaussianAndPlanarRuns(spark, data, dir);
        Settings s = Settings.defaults("evaluate.runs=" + runs, "results.dir=" + dir.resolve("results"), "eval.k=10", "eval.chunk=10",
                "eval.max-examples=" + IMAGES, "evaluate.select=latest", "evaluate.diagnostics=[imputation, posterior, amortization, ood]",
                "progress.interval-seconds=0.05", "eval.imputation.iterations=2", "eval.imputation.non-amortized.steps=5",
                "eval.imputation.non-amortized.samples=10", "eval.amortization.steps=5", "eval.amortization.samples=2",
                "eval.posterior.sample-size=8", "eval.posterior.gmm-components=2", "eval.posterior.gmm-examples=" + GMM_EXAMPLES,
                "eval.posterior.gmm-k=10", "ood.dataset=" + data, "ood.split=valid", "ood.max-examples=" + OOD_EXAMPLES);
        try (LogLines log = new LogLines()) {
            new EvaluationBatch(spark, s).run();
            lines = log.lines();
        }
    }

    /** Each pass: the family it belongs to, the name its lines start with, and how many examples it covers. */
    static Stream<Arguments> passes() {
        return Stream.of(
                Arguments.of("imputation", "imputation of gauss round 2 on test", IMAGES),
                Arguments.of("imputation (pseudo-Gibbs alone)", "imputation of flow round 1 on test", IMAGES),
                Arguments.of("posterior statistics", "posterior statistics: encoding of gauss round 2 on test", IMAGES),
                Arguments.of("posterior statistics", "posterior statistics: log q(z) of gauss round 2 on test", IMAGES),
                Arguments.of("posterior statistics", "posterior statistics: IWAE-10 with the post-hoc mixture prior of gauss round 2 on test",
                        GMM_EXAMPLES),
                Arguments.of("layered statistics (flow)", "posterior statistics: encoding of flow round 1 on test", IMAGES),
                Arguments.of("amortization", "amortization gap of gauss round 2 on test", IMAGES),
                Arguments.of("OOD", "OOD scores (IWAE-10) of binarized-mnist/test (in-distribution)", IMAGES),
                Arguments.of("OOD", "OOD scores (IWAE-10) of binarized-mnist/valid (out-of-distribution)", OOD_EXAMPLES));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("passes")
    void passPrintsDoneOfTotalAndAClosingLine(String family, String pass, int total) {
        String all = String.join("\n", lines);
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (m.find() && m.group(1).equals(pass)) {
                assertEquals(total, Integer.parseInt(m.group(3)), "the pass's total: " + line);
                assertTrue(Integer.parseInt(m.group(2)) <= total, line);
            }
        }
        // a pass shorter than one interval ends before its first done/total line (the log q(z) pass takes ~40 ms here):
        // its closing line is then its only line; that lines appear while passes run is theInterimLinesAppear's check
        assertTrue(lines.stream().anyMatch(l -> l.contains(": " + pass + ": done, " + total + " examples in ")),
                "the closing line counts every example, batch by batch:\n" + all);
    }

    @Test
    void theInterimLinesAppear() {
        long passesWithInterimLines = passes().map(a -> (String) a.get()[1]).filter(pass -> lines.stream().anyMatch(l -> {
            Matcher m = LINE.matcher(l);
            return m.find() && m.group(1).equals(pass);
        })).count();
        assertTrue(passesWithInterimLines >= 3, "done/total lines while the passes run, in " + passesWithInterimLines
                + " of the passes:\n" + String.join("\n", lines));
    }

    @Test
    void theRefusedDiagnosticsRunNoPass() {
        // the planar flow has no amortization gap and no log q(z) of another example's z: no pass runs for them
        for (String refused : List.of("amortization gap of flow", "posterior statistics: log q(z) of flow")) {
            assertFalse(lines.stream().anyMatch(l -> l.contains(refused)), refused);
        }
    }
}
