package org.vaespark.core.eval;

import com.typesafe.config.Config;
import java.io.Serializable;
import org.vaespark.core.config.Keys;
import org.vaespark.core.cpu.Backend;
import org.vaespark.core.errors.Errors;

/**
 * The evaluation protocol's settings ({@code eval.*}): IWAE-k with k importance samples
 * (Burda et al. 2016; k = 5000 is the standard), streamed in chunks, with seeded noise.
 *
 * @param k           importance samples per example
 * @param chunk       samples per chunk (bounds memory independently of k)
 * @param batchSize   examples evaluated together
 * @param seed        noise seed
 * @param split       dataset split
 * @param maxExamples evaluate only N examples, the {@link ExampleSubset} of that size; null = all
 * @param backend     the requested executor ({@code model.backend}), as in training
 */
public record EvalConfig(int k, int chunk, int batchSize, long seed, String split, Integer maxExamples, Backend backend)
        implements Serializable {

    public EvalConfig {
        if (k <= 0) {
            throw Errors.badConfigValue("eval.k", k, "an integer > 0 (5000 is the standard protocol)");
        }
        if (chunk <= 0) {
            throw Errors.badConfigValue("eval.chunk", chunk, "an integer > 0");
        }
        if (batchSize <= 0) {
            throw Errors.badConfigValue("eval.batch-size", batchSize, "an integer > 0");
        }
        if (split == null || split.isBlank()) {
            throw Errors.badConfigValue("eval.split", split, "a split name such as test");
        }
        if (backend == null) {
            throw Errors.badConfigValue("model.backend", null, "auto, graph or cpu");
        }
    }

    /** The examples of the split evaluated: all of them, or the hash subset of {@code maxExamples}. */
    public ExampleSubset subset() {
        return ExampleSubset.of(maxExamples);
    }

    /** Settings on the executor {@code model.backend = auto} picks. */
    public EvalConfig(int k, int chunk, int batchSize, long seed, String split, Integer maxExamples) {
        this(k, chunk, batchSize, seed, split, maxExamples, Backend.AUTO);
    }

    /** The same settings on the executor {@code backend} asks for. */
    public EvalConfig withBackend(Backend backend) {
        return new EvalConfig(k, chunk, batchSize, seed, split, maxExamples, backend);
    }

    public static EvalConfig from(Config c) {
        return new EvalConfig(Keys.intValue(c, "eval.k"), Keys.intValue(c, "eval.chunk"), Keys.intValue(c, "eval.batch-size"),
                Keys.longValue(c, "eval.seed"), Keys.string(c, "eval.split"), Keys.optionalPositiveInt(c, "eval.max-examples"),
                Backend.from(c));
    }
}
