package org.vaespark.jobs.bench;

import org.apache.spark.sql.SparkSession;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.eval.ExampleSubset;
import org.vaespark.core.train.LabelledSubset;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.jobs.train.DriverRows;
import org.vaespark.prep.DatasetReader;
import org.vaespark.prep.Manifest;

/** The training rows (labels hidden as the experiment asks) and the evaluation split of one experiment's dataset, on the driver. */
public record FamilyData(Shard train, Shard test, Manifest manifest) {

    public static FamilyData load(SparkSession spark, Settings s) {
        var c = s.config();
        String path = Keys.requiredString(c, "data.path", "a dataset written by PrepareJob");
        Manifest m = DatasetReader.manifest(spark, path);
        Shard train = DriverRows.collect(spark, path, Keys.string(c, "data.train-split"), m.dimension());
        return new FamilyData(LabelledSubset.apply(train, TrainConfig.from(c).labelledPerClass()),
                DriverRows.collect(spark, path, EvalConfig.from(c).split(), m.dimension()), m);
    }

    /** The {@code n} evaluation rows of the {@link ExampleSubset} of that size (all when there are fewer), in id order. */
    public Shard evaluated(int n) {
        return test.subset(ExampleSubset.of(n).select(test.ids()));
    }

    /** The rows of {@link #evaluated(int)} encoded as model inputs, [rows, D] row-major. */
    public float[] testInputs(int n, TrainConfig train, EvalConfig eval) {
        Shard rows = evaluated(n);
        int dim = manifest.dimension();
        float[] x = new float[rows.size() * dim];
        for (int i = 0; i < rows.size(); i++) {
            PixelEncoding.encode(rows.pixels(), i, dim, rows.ids()[i], train.binarization(), eval.seed(), 0, x, i);
        }
        return x;
    }
}
