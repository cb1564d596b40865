package org.vaespark.jobs.eval;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.ImageSchema;

/**
 * The training-set mean of each model input, where non-amortized imputation (Agarwal et al. 2023) starts the missing
 * pixels: one pass over the training split, each image encoded by {@link PixelEncoding} as at evaluation (dynamic
 * binarization: one draw per example seeded by {@code seed}, so the mean estimates the grey level's mean), summed per
 * partition in double precision and merged by a tree aggregate. Its cost is one read of the split with no model
 * pass, against the refinement's hundreds of decoder passes per evaluated image.
 */
final class TrainingMean {
    private TrainingMean() {
    }

    /** The mean of every input over {@code rows} of the {@link ImageSchema} layout. */
    static float[] of(Dataset<Row> rows, int dim, Binarization encoding, long seed, String where) {
        double[] sum = rows.javaRDD().treeAggregate(new double[dim + 1], (acc, row) -> {
            ImageRecord r = ImageSchema.fromRow(row);
            float[] x = new float[dim];
            PixelEncoding.encode(r.pixels(), 0, dim, r.id(), encoding, seed, 0, x, 0);
            for (int i = 0; i < dim; i++) {
                acc[i] += x[i];
            }
            acc[dim] += 1;
            return acc;
        }, (a, b) -> {
            for (int i = 0; i <= dim; i++) {
                a[i] += b[i];
            }
            return a;
        });
        if (sum[dim] == 0) {
            throw Errors.missingInput(where, "at least one training example for the training-set mean of each pixel");
        }
        float[] mean = new float[dim];
        for (int i = 0; i < dim; i++) {
            mean[i] = (float) (sum[i] / sum[dim]);
        }
        return mean;
    }
}
