package org.vaespark.jobs.eval;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.vaespark.core.eval.ExampleEstimate;

/**
 * The per-example results table written by EvaluateJob: one row per evaluated example with
 * its IWAE-k log-likelihood estimate and ELBO terms, in nats; {@code kl_z1} / {@code kl_z2}, the
 * KL of the first two stochastic layers of a hierarchical VAE, and {@code kl_layers}, the KL of every
 * layer z_1..z_K, are null for one-layer models. {@code executor} names the executor that evaluated the row
 * ("cpu" or "graph"; null in tables written before it was recorded).
 */
public final class PerExampleSchema {
    public static final String ID = "id";
    public static final String LOG_LIKELIHOOD = "log_likelihood";
    public static final String ELBO = "elbo";
    public static final String RECONSTRUCTION = "reconstruction";
    public static final String KL = "kl";
    public static final String KL_Z1 = "kl_z1";
    public static final String KL_Z2 = "kl_z2";
    public static final String EXECUTOR = "executor";
    public static final String KL_LAYERS = "kl_layers";
    public static final List<String> COLUMNS = List.of(ID, LOG_LIKELIHOOD, ELBO, RECONSTRUCTION, KL, KL_Z1, KL_Z2, EXECUTOR,
            KL_LAYERS);

    public static final StructType SCHEMA = new StructType()
            .add(ID, DataTypes.LongType, false)
            .add(LOG_LIKELIHOOD, DataTypes.DoubleType, false)
            .add(ELBO, DataTypes.DoubleType, false)
            .add(RECONSTRUCTION, DataTypes.DoubleType, false)
            .add(KL, DataTypes.DoubleType, false)
            .add(KL_Z1, DataTypes.DoubleType, true)
            .add(KL_Z2, DataTypes.DoubleType, true)
            .add(EXECUTOR, DataTypes.StringType, true)
            .add(KL_LAYERS, DataTypes.createArrayType(DataTypes.DoubleType, false), true);

    private PerExampleSchema() {
    }

    /** The row of {@code e}, evaluated on {@code executor}. */
    public static Row toRow(ExampleEstimate e, String executor) {
        return RowFactory.create(e.id(), e.logLikelihood(), e.elbo(), e.reconstruction(), e.kl(), e.klZ1(), e.klZ2(), executor,
                e.layerKl() == null ? null : e.layerKl().clone());
    }

    /**
     * Reads a row; tables written before the per-layer columns existed read as one-layer estimates, those written
     * before {@code kl_layers} existed as two-layer ones.
     */
    public static ExampleEstimate fromRow(Row r) {
        double[] layers = null;
        if (r.length() > 8 && !r.isNullAt(8)) {
            layers = r.<Double>getList(8).stream().mapToDouble(Double::doubleValue).toArray();
        } else if (r.length() > 6 && !r.isNullAt(5) && !r.isNullAt(6)) {
            layers = new double[]{r.getDouble(5), r.getDouble(6)};
        }
        return new ExampleEstimate(r.getLong(0), r.getDouble(1), r.getDouble(2), r.getDouble(3), r.getDouble(4), layers);
    }
}
