package org.vaespark.prep.source;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.errors.Errors;
import org.vaespark.prep.ImageSchema;

/**
 * ImageNet downsampled to 64x64 RGB, in its two published versions, which are differently
 * downsampled and NOT comparable in bits/dim, so one run reads exactly one of them and the manifest
 * says which ({@code source = imagenet64}, {@code dataset_version} below):
 * <ul>
 *   <li>{@code van-den-oord-2016}: van den Oord, Kalchbrenner &amp; Kavukcuoglu (2016), "Pixel
 *       Recurrent Neural Networks": folders {@code train_64x64/} and {@code valid_64x64/} of 64x64 RGB
 *       PNG files, without labels (label null); ids follow sorted file names. The published bits/dim
 *       are measured on {@code valid_64x64}, so it becomes the {@code test} split.</li>
 *   <li>{@code chrabaszcz-2017}: Chrabaszcz, Loshchilov &amp; Hutter (2017), "A Downsampled Variant of
 *       ImageNet as an Alternative to the CIFAR datasets": pickles {@code train_data_batch_1..10}
 *       ({@code train}) and {@code val_data} ({@code test}), as extracted files or inside
 *       {@code Imagenet64_train_part1.zip}, {@code Imagenet64_train_part2.zip} and
 *       {@code Imagenet64_val.zip}; the stored labels 1..1000 are written as 0..999.</li>
 * </ul>
 */
public final class ImageNet64Source {
    public static final String SOURCE = "imagenet64";
    public static final String PNG_VERSION = "van-den-oord-2016";
    public static final String PICKLE_VERSION = "chrabaszcz-2017";
    public static final String TRAIN_FOLDER = "train_64x64";
    public static final String VALID_FOLDER = "valid_64x64";
    public static final List<String> ZIPS = List.of("Imagenet64_train_part1.zip", "Imagenet64_train_part2.zip",
            "Imagenet64_val.zip");
    static final int SIDE = 64;
    static final int TRAIN_BATCHES = 10;
    static final String TRAIN_BATCH = "train_data_batch_";
    static final String VAL_DATA = "val_data";
    private static final String PNG_FIX = "use the 64x64 RGB PNG files of van den Oord et al. (2016) as published "
            + "(8-bit RGB, no alpha, no palette); convert or remove this file";
    private static final String PICKLE_FIX = "the file is damaged or not a Chrabaszcz et al. (2017) Imagenet64 "
            + "batch: download it again from https://image-net.org/download-images";

    private ImageNet64Source() {
    }

    /** van den Oord et al. (2016) PNG folders; {@code perTask} images per Spark task. */
    public static PreparedRows readPng(SparkSession spark, FileSystem fs, Path in, int perTask) {
        Listing.requireDirectory(fs, in);
        List<InputUnit> units = new ArrayList<>();
        units.addAll(folder(fs, in, TRAIN_FOLDER, ImageSchema.TRAIN, perTask));
        units.addAll(folder(fs, in, VALID_FOLDER, ImageSchema.TEST, perTask));
        ImageDecoding decoding = new ImageDecoding(SIDE, List.of(3), PNG_FIX);
        UnitReader reader = new UnitReader(new HadoopConf(spark.sparkContext().hadoopConfiguration()), null, decoding);
        return PreparedRows.of(ParallelRead.read(spark, units, reader), SOURCE, PNG_VERSION);
    }

    /** Chrabaszcz et al. (2017) pickles, extracted or inside the original zips (each zip is one task). */
    public static PreparedRows readPickle(SparkSession spark, FileSystem fs, Path in) {
        Listing.requireDirectory(fs, in);
        List<InputUnit> units = new ArrayList<>();
        for (String zip : ZIPS) {
            if (Listing.isFile(fs, new Path(in, zip))) {
                units.add(InputUnit.archive(InputUnit.Kind.ZIP, new Path(in, zip).toString()));
            }
        }
        for (String name : expectedFiles()) {
            Path p = Listing.find(fs, in, name, "Imagenet64_train_part1", "Imagenet64_train_part2", "Imagenet64_val");
            if (p != null) {
                units.add(InputUnit.file(p.toString(), splitOf(name)));
            }
        }
        if (units.isEmpty()) {
            throw Errors.missingInput(in.toString(), "the Chrabaszcz et al. (2017) Imagenet64 files: " + ZIPS
                    + " or the extracted " + TRAIN_BATCH + "1.." + TRAIN_BATCHES + " and " + VAL_DATA
                    + hint(fs, in, TRAIN_FOLDER, "imagenet64-png"));
        }
        PlanarPickleDecoder decoder = new PlanarPickleDecoder(SIDE, 1, 999, new Names(), PICKLE_FIX);
        UnitReader reader = new UnitReader(new HadoopConf(spark.sparkContext().hadoopConfiguration()), decoder, null);
        ParallelRead.Result r = ParallelRead.read(spark, units, reader);
        for (String name : expectedFiles()) {
            if (!r.partNames().getOrDefault(splitOf(name), List.of()).contains(name)) {
                throw Errors.missingInput(new Path(in, name).toString(), "the Imagenet64 file " + name
                        + " (extracted, or inside " + ZIPS + "); all " + TRAIN_BATCHES + " training batches and "
                        + VAL_DATA + " are needed");
            }
        }
        return PreparedRows.of(r, SOURCE, PICKLE_VERSION);
    }

    static List<String> expectedFiles() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= TRAIN_BATCHES; i++) {
            names.add(TRAIN_BATCH + i);
        }
        names.add(VAL_DATA);
        return names;
    }

    static String splitOf(String name) {
        if (name.equals(VAL_DATA)) {
            return ImageSchema.TEST;
        }
        if (name.startsWith(TRAIN_BATCH) && name.substring(TRAIN_BATCH.length()).matches("[1-9][0-9]*")) {
            return ImageSchema.TRAIN;
        }
        return null;
    }

    private static List<InputUnit> folder(FileSystem fs, Path in, String name, String split, int perTask) {
        Path dir = new Path(in, name);
        if (!Listing.isDirectory(fs, dir)) {
            throw Errors.missingInput(dir.toString(), "the folder " + name + "/ of 64x64 PNG files (van den Oord et al. "
                    + "2016)" + hint(fs, in, ZIPS.get(0), "imagenet64-pickle"));
        }
        List<String> pngs = Listing.filesEndingWith(fs, dir, List.of(".png"));
        if (pngs.isEmpty()) {
            throw Errors.missingInput(dir.toString(), "64x64 RGB PNG files in " + name + "/, which holds none");
        }
        return ImageShards.of(dir.toString(), split, pngs, null, perTask);
    }

    /** Points at the other version when its files are what the input holds: the two are never mixed. */
    private static String hint(FileSystem fs, Path in, String otherVersionFile, String otherSource) {
        return Listing.isFile(fs, new Path(in, otherVersionFile)) || Listing.isDirectory(fs, new Path(in, otherVersionFile))
                ? " (the input holds " + otherVersionFile + " of the other ImageNet 64x64 version: set prepare.source="
                        + otherSource + " to read it)" : "";
    }

    /** Maps Imagenet64 pickle names to their split. */
    record Names() implements PlanarPickleDecoder.SplitNames {
        @Override
        public String splitOf(String baseName) {
            return ImageNet64Source.splitOf(baseName);
        }
    }
}
