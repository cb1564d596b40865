package org.vaespark.jobs.batch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.eval.ExampleSubset;

/**
 * The identity of one evaluation: which checkpoint (run, name and creation time, so a
 * re-trained run with the same names is a different checkpoint), on which data, with which
 * protocol settings and diagnostics. Evaluations with equal keys give the same values (the
 * noise is a function of the seed and example ids), so a key is evaluated at most once. The
 * chunk size is not part of it: it changes memory, not values. Nor is the executor
 * ({@code model.backend}): the executors agree within the equivalence tests' tolerance, and each
 * row records the one that ran ({@code evaluate.force} re-runs an evaluation on another).
 *
 * <p>The examples evaluated are part of it: a partial evaluation is keyed by its
 * {@link ExampleSubset#label()} ({@code hash-subset n=1000 seed=21}), so no batch takes an
 * evaluation of the first N ids (keyed "1000" before subsets existed) for the subset of N. A whole
 * split keeps the identity it always had ("null"), so full evaluations already done stay valid.
 *
 * @param path the evaluation's directory under {@code evaluations/}: {@code <run>/<checkpoint>/<split>-k<k>-<hash>}
 */
public record EvaluationKey(String path) {

    public static EvaluationKey of(CheckpointRef ref, String data, EvalConfig eval, List<String> diagnostics) {
        String identity = String.join("\n", ref.run(), ref.name(), ref.createdAt(), String.valueOf(data), eval.split(),
                Integer.toString(eval.k()), Long.toString(eval.seed()), Integer.toString(eval.batchSize()),
                selection(eval), String.join(",", diagnostics.stream().sorted().toList()));
        return new EvaluationKey(ref.run() + "/" + ref.name() + "/" + eval.split() + "-k" + eval.k() + "-" + sha256(identity).substring(0, 12));
    }

    /** How the key names the examples evaluated. */
    static String selection(EvalConfig eval) {
        return eval.subset().isAll() ? "null" : eval.subset().label();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
