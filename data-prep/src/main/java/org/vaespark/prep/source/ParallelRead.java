package org.vaespark.prep.source;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.errors.VaeException;
import org.vaespark.prep.ImageSchema;
import org.vaespark.prep.Manifest;

/**
 * Reads raw input in parallel: one Spark task per {@link InputUnit}. A first pass checks and counts
 * every part and hashes every raw file; the driver then gives each part the id of its first image
 * (parts of a split in natural name order, images in file order, so ids are 0-based within a split
 * and the same on every run) and a second pass, run by the Parquet write, produces the rows.
 */
final class ParallelRead {
    private static final int DIGEST_BYTES = 32;

    /** The lazily computed rows plus what the manifest needs. Counts are in split order train, valid, test. */
    record Result(Dataset<Row> rows, Map<String, Long> counts, int height, int width, int channels,
                  List<Manifest.SourceFile> files, Map<String, List<String>> partNames) {
    }

    private ParallelRead() {
    }

    static Result read(SparkSession spark, List<InputUnit> units, UnitReader reader) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<UnitScan> scans;
        try {
            scans = jsc.parallelize(units, units.size()).map(reader::scan).collect();
        } catch (Exception e) {
            // collect() rethrows a failed task's error inside a SparkException, which is checked but not declared
            throw unwrap(e);
        }
        Map<String, List<UnitScan.Part>> bySplit = new LinkedHashMap<>();
        for (String split : List.of(ImageSchema.TRAIN, ImageSchema.VALID, ImageSchema.TEST)) {
            bySplit.put(split, new ArrayList<>());
        }
        for (UnitScan s : scans) {
            for (UnitScan.Part p : s.parts()) {
                bySplit.get(p.split()).add(p);
            }
        }
        HashMap<String, Long> offsets = new HashMap<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, List<String>> names = new LinkedHashMap<>();
        UnitScan.Part shape = null;
        for (Map.Entry<String, List<UnitScan.Part>> e : bySplit.entrySet()) {
            List<UnitScan.Part> parts = e.getValue();
            if (parts.isEmpty()) {
                continue;
            }
            parts.sort(Comparator.comparing(UnitScan.Part::name, ParallelRead::natural));
            long next = 0;
            List<String> partNames = new ArrayList<>();
            for (UnitScan.Part p : parts) {
                if (offsets.put(UnitReader.key(p.split(), p.name()), next) != null) {
                    throw Errors.jobFailed(p.name(), "the input holds two files named " + p.name() + " for split "
                            + p.split(), "keep only one copy of each raw file (an archive or its extracted files)", null);
                }
                shape = checkShape(shape, p);
                next += p.count();
                partNames.add(p.name());
            }
            counts.put(e.getKey(), next);
            names.put(e.getKey(), partNames);
        }
        if (shape == null) {
            throw Errors.missingInput(units.isEmpty() ? "input" : units.get(0).path(), "at least one image");
        }
        JavaRDD<Row> rdd = jsc.parallelize(units, units.size()).flatMap(u -> reader.rows(u, offsets));
        Dataset<Row> rows = spark.createDataFrame(rdd, ImageSchema.SCHEMA);
        return new Result(rows, counts, shape.height(), shape.width(), shape.channels(), files(units, scans), names);
    }

    private static UnitScan.Part checkShape(UnitScan.Part shape, UnitScan.Part p) {
        if (shape != null && !shape.shape().equals(p.shape())) {
            throw Errors.jobFailed(p.name(), "images of " + p.split() + " part " + p.name() + " are " + p.shape()
                    + " but those of " + shape.split() + " part " + shape.name() + " are " + shape.shape(),
                    "all images of a dataset must have the same size and channels: use the files of one dataset", null);
        }
        return shape == null ? p : shape;
    }

    /**
     * One entry per raw file; an image folder is one entry whose SHA-256 is that of its
     * {@code sha256sum} listing ({@code <hex>  <relative name>\n} per image, in id order) and whose
     * size is the total of its images.
     */
    private static List<Manifest.SourceFile> files(List<InputUnit> units, List<UnitScan> scans) {
        List<Manifest.SourceFile> files = new ArrayList<>();
        Map<String, MessageDigest> folders = new LinkedHashMap<>();
        Map<String, Long> folderBytes = new HashMap<>();
        Map<String, String> folderNames = new HashMap<>();
        for (int i = 0; i < units.size(); i++) {
            InputUnit u = units.get(i);
            UnitScan s = scans.get(i);
            if (u.kind() != InputUnit.Kind.IMAGES) {
                files.add(new Manifest.SourceFile(s.fileName(), s.fileBytes(), s.fileSha256()));
                continue;
            }
            MessageDigest md = folders.computeIfAbsent(u.path(), k -> UnitReader.sha256());
            folderBytes.merge(u.path(), s.fileBytes(), Long::sum);
            folderNames.put(u.path(), s.fileName() + "/");
            for (int j = 0; j < u.images().size(); j++) {
                String hex = HexFormat.of().formatHex(s.imageDigests(), j * DIGEST_BYTES, (j + 1) * DIGEST_BYTES);
                md.update((hex + "  " + u.images().get(j) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        folders.forEach((path, md) -> files.add(new Manifest.SourceFile(folderNames.get(path), folderBytes.get(path),
                HexFormat.of().formatHex(md.digest()))));
        return files;
    }

    /** The user-facing error inside a failed Spark job (a task's VaeException comes back as its cause). */
    static RuntimeException unwrap(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof VaeException v) {
                return v;
            }
        }
        return Errors.jobFailed("input", "reading the raw files failed (" + e + ")", "see the cause below", e);
    }

    /** Compares names with digit runs as numbers, so train_data_batch_10 follows train_data_batch_9. */
    static int natural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }
}
