package org.vaespark.prep.validate;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.errors.Errors;
import org.vaespark.prep.DatasetReader;
import org.vaespark.prep.Manifest;
import org.vaespark.prep.io.Checksums;
import scala.Tuple2;

/**
 * Checks a prepared dataset against its manifest and lists every difference: splits present,
 * row counts, ids exactly 0..n-1 per split, image shape, pixel values allowed by the pixel
 * encoding, the content hash of the rows, and (given the raw input directory) the size and
 * SHA-256 of every source file.
 */
public final class DatasetValidator {
    private DatasetValidator() {
    }

    /** The differences found; empty when the dataset matches its manifest. */
    public record Report(Manifest manifest, Map<String, Long> rowsPerSplit, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * Validates the dataset at {@code root}; with {@code input} (may be null) also re-hashes the
     * raw source files named in the manifest.
     */
    public static Report validate(SparkSession spark, String root, String input) {
        Manifest m = DatasetReader.manifest(spark, root);
        List<String> problems = new ArrayList<>();
        Dataset<Row> rows = DatasetReader.read(spark, root);
        int pixels = m.dimension();
        int h = m.height();
        int w = m.width();
        int c = m.channels();
        boolean binary = m.binarized();
        Map<String, SplitStats> stats = new TreeMap<>(rows.javaRDD().mapPartitionsToPair((Iterator<Row> it) -> {
            Map<String, SplitStats> local = new TreeMap<>();
            while (it.hasNext()) {
                Row r = it.next();
                SplitStats s = local.computeIfAbsent(r.getString(1), k -> new SplitStats());
                long id = r.getLong(0);
                s.addId(id);
                String where = "split " + r.getString(1) + ", id " + id;
                if (r.getInt(3) != h || r.getInt(4) != w || r.getInt(5) != c) {
                    s.bad(where + ": shape " + r.getInt(3) + "x" + r.getInt(4) + "x" + r.getInt(5) + ", manifest " + h + "x" + w + "x" + c);
                    continue;
                }
                byte[] px = (byte[]) r.get(6);
                if (px == null || px.length != pixels) {
                    s.bad(where + ": " + (px == null ? "no" : px.length) + " pixel bytes, expected " + pixels);
                } else if (binary) {
                    for (int i = 0; i < px.length; i++) {
                        if (px[i] != 0 && px[i] != 1) {
                            s.bad(where + ": pixel " + i + " is " + (px[i] & 0xFF) + " in a binary-0-1 dataset");
                            break;
                        }
                    }
                }
                if (!r.isNullAt(2) && r.getInt(2) < 0) {
                    s.bad(where + ": negative label " + r.getInt(2));
                }
            }
            List<Tuple2<String, SplitStats>> out = new ArrayList<>();
            local.forEach((k, v) -> out.add(new Tuple2<>(k, v)));
            return out.iterator();
        }).reduceByKey(SplitStats::merge).collectAsMap());

        Map<String, Long> counts = new TreeMap<>();
        stats.forEach((split, s) -> counts.put(split, s.count));
        for (Map.Entry<String, Long> e : m.counts().entrySet()) {
            SplitStats s = stats.get(e.getKey());
            long found = s == null ? 0 : s.count;
            if (found != e.getValue()) {
                problems.add("split " + e.getKey() + ": " + found + " rows, manifest says " + e.getValue());
            }
            if (s != null && !s.idsAreZeroToCountMinusOne()) {
                problems.add("split " + e.getKey() + ": ids are not exactly 0.." + (s.count - 1) + " (min " + s.minId + ", max " + s.maxId
                        + ", duplicates or gaps)");
            }
            if (s != null && s.badRows > 0) {
                problems.add("split " + e.getKey() + ": " + s.badRows + " rows break the manifest, e.g. " + String.join("; ", s.examples));
            }
        }
        for (String split : stats.keySet()) {
            if (!m.counts().containsKey(split)) {
                problems.add("split " + split + ": present in the data but not in the manifest");
            }
        }
        if (m.contentSha256() == null) {
            problems.add("the manifest has no content_sha256 (written by an older version): re-run the prepare job to get one");
        } else {
            String actual = ContentHash.of(rows);
            if (!actual.equals(m.contentSha256())) {
                problems.add("content hash differs: manifest " + m.contentSha256() + ", rows " + actual);
            }
        }
        if (input != null) {
            problems.addAll(checkSources(spark, m, input));
        }
        return new Report(m, counts, problems);
    }

    private static List<String> checkSources(SparkSession spark, Manifest m, String input) {
        List<String> problems = new ArrayList<>();
        try {
            Path dir = new Path(input);
            FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
            for (Manifest.SourceFile f : m.sourceFiles()) {
                Path p = new Path(dir, f.name());
                if (!fs.exists(p) && f.name().equals(Manifest.LEGACY_FILE_NAME)) {
                    p = new Path(dir, Manifest.FILE_NAME); // an input dataset migrated since: same bytes, new name
                }
                if (!fs.exists(p)) {
                    problems.add("source file " + f.name() + ": not found in " + Errors.redact(input));
                    continue;
                }
                long size = fs.getFileStatus(p).getLen();
                String sha;
                try (InputStream in = fs.open(p)) {
                    sha = Checksums.sha256(in, p.toString());
                }
                if (size != f.bytes() || !sha.equals(f.sha256())) {
                    problems.add("source file " + f.name() + ": " + size + " bytes, sha256 " + sha + "; manifest " + f.bytes()
                            + " bytes, sha256 " + f.sha256());
                }
            }
        } catch (IOException e) {
            throw Errors.jobFailed(input, "cannot read the source files: " + e.getMessage(), "check the input path", e);
        }
        return problems;
    }
}
