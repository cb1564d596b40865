package org.vaespark.prep.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.source.SourceData;
import org.vaespark.prep.source.SourceKind;

/** Small generated datasets for write and commit tests, so no test needs a real dataset to overwrite. */
public final class TinyDatasets {
    private TinyDatasets() {
    }

    /** Train and test splits of {@code perSplit} random 28x28 grey images with labels 0..9, seeded. */
    public static SourceData mnistShaped(long seed, int perSplit) {
        Random random = new Random(seed);
        Map<String, List<ImageRecord>> splits = new LinkedHashMap<>();
        for (String split : List.of("train", "test")) {
            List<ImageRecord> records = new ArrayList<>();
            for (int i = 0; i < perSplit; i++) {
                byte[] pixels = new byte[784];
                random.nextBytes(pixels);
                records.add(new ImageRecord(i, split, i % 10, 28, 28, 1, pixels));
            }
            splits.put(split, records);
        }
        return new SourceData(SourceKind.MNIST, 28, 28, 1, splits, List.of());
    }
}
