package org.vaespark.prep.source;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.Manifest;

/**
 * Everything read from one raw dataset, checked and ready to write: the records of each split
 * (in split order train, valid, test), the common image shape, and the source files it came from.
 */
public record SourceData(SourceKind kind, int height, int width, int channels,
                         Map<String, List<ImageRecord>> splits, List<Manifest.SourceFile> files) {

    public SourceData {
        splits = Collections.unmodifiableMap(new LinkedHashMap<>(splits));
        files = List.copyOf(files);
    }

    /** Number of records per split, in split order. */
    public Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        splits.forEach((split, records) -> counts.put(split, (long) records.size()));
        return counts;
    }
}
