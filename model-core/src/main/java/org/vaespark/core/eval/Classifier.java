package org.vaespark.core.eval;

import java.io.Serializable;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.train.NativeMemory;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.Shard;

/**
 * Classification error of the semi-supervised M2 model (Kingma et al. 2014, Table 1): the
 * prediction is argmax_y q(y|x) (the {@link VaeNames#LOG_QY_X} output), the error the fraction of
 * labelled examples predicted wrong. Pixels are encoded as at evaluation: one fixed draw per
 * example for dynamic binarization, seeded by the evaluation seed.
 */
public final class Classifier {
    private final Vae model;

    public Classifier(Vae model) {
        if (model.config().kind() != ModelKind.M2) {
            throw Errors.badConfigValue("model.kind", model.config().kind().name().toLowerCase(),
                    "m2 to evaluate a classification error (only M2 has a classifier q(y|x))");
        }
        this.model = model;
    }

    /** Errors over examples, and the error rate (NaN when no example was labelled). */
    public record Result(long examples, long errors) implements Serializable {
        public double error() {
            return examples == 0 ? Double.NaN : (double) errors / examples;
        }

        public Result plus(Result o) {
            return new Result(examples + o.examples, errors + o.errors);
        }
    }

    /** log q(y|x) [n][classes] of model inputs x (row-major [n, D], already encoded). */
    public double[][] logProbabilities(float[] x, int n) {
        int dim = model.config().inputDim();
        INDArray xs = Vae.matrix(x, n, dim);
        INDArray eps = Nd4j.zeros(DataType.FLOAT, 1, n, model.config().noiseDim());
        Map<String, INDArray> out = model.output(Vae.Feed.of(xs, eps, model.config().beta()), VaeNames.LOG_QY_X);
        double[][] result = out.get(VaeNames.LOG_QY_X).castTo(DataType.DOUBLE).toDoubleMatrix();
        NativeMemory.release(xs, eps);
        NativeMemory.release(out.values());
        return result;
    }

    /** The error over every labelled example of {@code data}, evaluated {@code batch} at a time. */
    public Result evaluate(Shard data, Binarization binarization, long seed, int batch) {
        int dim = data.dim();
        Result total = new Result(0, 0);
        for (int start = 0; start < data.size(); start += batch) {
            int n = Math.min(batch, data.size() - start);
            float[] x = new float[n * dim];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                PixelEncoding.encode(data.pixels(), start + i, dim, data.ids()[start + i], binarization, seed, 0, x, i);
                labels[i] = data.labels()[start + i];
            }
            total = total.plus(errors(logProbabilities(x, n), labels));
        }
        return total;
    }

    /** Errors of argmax_y (first maximum on ties) against labels; {@link Shard#NO_LABEL} rows are skipped. */
    public static Result errors(double[][] logProbs, int[] labels) {
        long examples = 0;
        long errors = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == Shard.NO_LABEL) {
                continue;
            }
            examples++;
            if (argmax(logProbs[i]) != labels[i]) {
                errors++;
            }
        }
        return new Result(examples, errors);
    }

    static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
