package org.vaespark.jobs;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.train.Shard;
import org.vaespark.prep.DatasetWriter;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.Manifest;
import org.vaespark.prep.source.SourceData;
import org.vaespark.prep.source.SourceKind;

/** The small prepared dataset the benchmark jobs' tests run on. */
final class BenchData {
    private BenchData() {
    }

    /** train / valid / test splits of {@code perSplit} real binarized-MNIST rows each, written under {@code dir}. */
    static String binarizedMnist(SparkSession spark, Path dir, int perSplit) {
        Map<String, List<ImageRecord>> splits = new LinkedHashMap<>();
        for (String split : List.of("train", "valid", "test")) {
            Shard s = MnistRows.binarized(split, perSplit, 0);
            List<ImageRecord> records = new ArrayList<>();
            for (int i = 0; i < s.size(); i++) {
                records.add(new ImageRecord(i, split, null, 28, 28, 1, Arrays.copyOfRange(s.pixels(), i * 784, (i + 1) * 784)));
            }
            splits.put(split, records);
        }
        String out = dir.resolve("binarized-mnist").toString();
        DatasetWriter.write(spark, out, splits, Manifest.of(new SourceData(SourceKind.BINARIZED_MNIST, 28, 28, 1, splits, List.of()),
                Instant.now()), false);
        return out;
    }
}
