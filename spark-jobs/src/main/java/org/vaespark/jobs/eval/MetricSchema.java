package org.vaespark.jobs.eval;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The diagnostics table of an evaluation ({@code metrics/} beside {@code summary/}): one row per
 * {@link MetricValue} — ELBO terms, aggregated-posterior statistics, application scores — keyed
 * by run, checkpoint and split. A metric that was not computed has a null mean and its reason
 * in {@code note}.
 */
public final class MetricSchema {
    public static final StructType SCHEMA = new StructType()
            .add("run", DataTypes.StringType, false)
            .add("checkpoint", DataTypes.StringType, false)
            .add("split", DataTypes.StringType, false)
            .add("metric", DataTypes.StringType, false)
            .add("mean", DataTypes.DoubleType, true)
            .add("stderr", DataTypes.DoubleType, true)
            .add("n", DataTypes.LongType, false)
            .add("k", DataTypes.IntegerType, true)
            .add("note", DataTypes.StringType, true)
            .add("evaluated_at", DataTypes.StringType, false);

    private MetricSchema() {
    }

    /** A metric with the evaluation it belongs to. */
    public record Entry(String run, String checkpoint, String split, MetricValue value, String evaluatedAt) {
    }

    public static Row toRow(Entry e) {
        MetricValue v = e.value();
        return RowFactory.create(e.run(), e.checkpoint(), e.split(), v.metric(), v.mean(), v.stderr(), v.n(), v.k(), v.note(),
                e.evaluatedAt());
    }

    public static Entry fromRow(Row r) {
        return new Entry(r.getString(0), r.getString(1), r.getString(2), new MetricValue(r.getString(3),
                r.isNullAt(4) ? null : r.getDouble(4), r.isNullAt(5) ? null : r.getDouble(5), r.getLong(6),
                r.isNullAt(7) ? null : r.getInt(7), r.isNullAt(8) ? null : r.getString(8)), r.getString(9));
    }

    public static List<String> columns() {
        return List.of(SCHEMA.fieldNames());
    }
}
