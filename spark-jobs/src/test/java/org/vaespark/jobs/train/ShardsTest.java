package org.vaespark.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.train.LabelledSubset;
import org.vaespark.core.train.Shard;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.ImageSchema;
import org.vaespark.prep.testing.SparkTestSession;

/** Shards carry the label column of the Parquet data, and hide labels exactly as LabelledSubset does. */
class ShardsTest {

    @Test
    void shardsCarryLabelsAndHideTheSameOnesAsTheLocalSelection(@TempDir Path dir) {
        SparkSession spark = SparkTestSession.get();
        List<ImageRecord> records = new ArrayList<>();
        long[] ids = new long[40];
        int[] labels = new int[40];
        for (int i = 0; i < 40; i++) {
            long id = (i * 17L) % 40;              // ids in scrambled order
            Integer label = id % 7 == 3 ? null : (int) ((id * 5) % 3);
            records.add(new ImageRecord(id, "train", label, 2, 2, 1, new byte[]{(byte) id, 1, 2, 3}));
            ids[i] = id;
            labels[i] = label == null ? Shard.NO_LABEL : label;
        }
        spark.createDataFrame(ImageSchema.toRows(records), ImageSchema.SCHEMA).repartition(3).write().parquet(dir.resolve("train").toString());
        Dataset<Row> split = spark.read().parquet(dir.resolve("train").toString());

        Map<Long, Integer> all = labelsById(Shards.of(split, 2, 4).collect());
        assertEquals(40, all.size());
        for (int i = 0; i < 40; i++) {
            assertEquals(labels[i], all.get(ids[i]), "label of id " + ids[i]);
        }

        Map<Long, Integer> hidden = labelsById(Shards.of(split, 2, 4, 3).collect());
        int[] expected = LabelledSubset.select(ids, labels, 3);
        int kept = 0;
        for (int i = 0; i < 40; i++) {
            assertEquals(expected[i], hidden.get(ids[i]), "label of id " + ids[i] + " with 3 per class");
            kept += expected[i] == Shard.NO_LABEL ? 0 : 1;
        }
        assertEquals(9, kept);
    }

    private static Map<Long, Integer> labelsById(List<Shard> shards) {
        Map<Long, Integer> out = new HashMap<>();
        for (Shard s : shards) {
            for (int i = 0; i < s.size(); i++) {
                assertEquals((byte) s.ids()[i], s.pixels()[i * 4], "pixels travel with their id");
                out.put(s.ids()[i], s.labels()[i]);
            }
        }
        return out;
    }
}
