package org.vaespark.jobs.linear;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.linalg.Matrix;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.linalg.distributed.RowMatrix;
import org.apache.spark.mllib.stat.MultivariateStatisticalSummary;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.linear.Moments;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.ImageSchema;

/**
 * The {@link Moments} (N, x̄, S) of a data set across the cluster, with MLlib's {@link RowMatrix}: the mean from
 * its column summary and the covariance from {@code computeCovariance} (a treeAggregate of the Gram matrix;
 * divisor N − 1, rescaled to N in {@link Moments#fromSampleCovariance}). Pixels become values through
 * {@link PixelEncoding}, the one place pixel scaling is defined.
 */
public final class CovarianceMoments {
    private CovarianceMoments() {
    }

    /** Moments of rows of the {@link ImageSchema} layout, pixels encoded with {@code encoding} (none or dequantize). */
    public static Moments ofImages(Dataset<Row> rows, Binarization encoding, long seed, String where) {
        if (encoding.binary()) {
            throw Errors.badConfigValue("data.binarization", encoding.name().toLowerCase(java.util.Locale.ROOT),
                    "none or dequantize: PPCA and the linear VAE are Gaussian models of real-valued pixels (" + where + ")");
        }
        JavaRDD<Vector> vectors = rows.javaRDD().map(row -> {
            ImageRecord r = ImageSchema.fromRow(row);
            int dim = r.pixels().length;
            float[] x = new float[dim];
            PixelEncoding.encode(r.pixels(), 0, dim, r.id(), encoding, seed, 0, x, 0);
            double[] v = new double[dim];
            for (int i = 0; i < dim; i++) {
                v[i] = x[i];
            }
            return Vectors.dense(v);
        });
        return of(vectors, where);
    }

    /** Moments of the given vectors. */
    public static Moments of(JavaRDD<Vector> vectors, String where) {
        vectors = vectors.cache();
        try {
            RowMatrix matrix = new RowMatrix(vectors.rdd());
            MultivariateStatisticalSummary summary = matrix.computeColumnSummaryStatistics();
            long n = summary.count();
            if (n < 2) {
                throw Errors.missingInput(where, "at least 2 examples for a covariance, found " + n);
            }
            Matrix cov = matrix.computeCovariance();
            int dim = cov.numRows();
            double[][] s = new double[dim][dim];
            for (int i = 0; i < dim; i++) {
                for (int j = 0; j < dim; j++) {
                    s[i][j] = cov.apply(i, j);
                }
            }
            return Moments.fromSampleCovariance(n, summary.mean().toArray(), s);
        } finally {
            vectors.unpersist(false);
        }
    }
}
