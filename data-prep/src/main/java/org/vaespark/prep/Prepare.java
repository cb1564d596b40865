package org.vaespark.prep;

import java.time.Instant;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.Errors;
import org.vaespark.prep.source.BinarizedMnistSource;
import org.vaespark.prep.source.Cifar10Source;
import org.vaespark.prep.source.ImageFolderSource;
import org.vaespark.prep.source.ImageNet64Source;
import org.vaespark.prep.source.MnistSource;
import org.vaespark.prep.source.PreparedRows;
import org.vaespark.prep.source.SourceData;
import org.vaespark.prep.transform.DerivedDataset;

/**
 * The prepare job's body: reads and checks every raw file of the configured source (MNIST IDX,
 * LeCun et al. 1998; binarized MNIST .amat, Larochelle &amp; Murray 2011; both on the driver; or,
 * read in parallel by Spark executors, CIFAR-10, Krizhevsky 2009; ImageNet 64x64, van den Oord et
 * al. 2016 or Chrabaszcz et al. 2017; a generic image folder; or a prepared dataset to transform,
 * {@link DerivedDataset}), then writes the
 * Parquet dataset and its manifest atomically with {@link DatasetWriter}. Nothing is written unless
 * all input is valid, and an existing output is refused before any input is read unless
 * {@code prepare.overwrite} is set.
 */
public final class Prepare {
    private static final Logger LOG = LoggerFactory.getLogger(Prepare.class);

    private Prepare() {
    }

    /** Runs with the {@code prepare.*} keys of {@code settings}. */
    public static Manifest run(SparkSession spark, Settings settings) {
        return run(spark, PrepareConfig.from(settings.config()));
    }

    /** Reads, checks and writes the dataset; returns the manifest written at the output root. */
    public static Manifest run(SparkSession spark, PrepareConfig cfg) {
        FileSystem inFs = DatasetWriter.fileSystem(spark, cfg.input());
        Path in = inFs.makeQualified(new Path(cfg.input()));
        FileSystem outFs = DatasetWriter.fileSystem(spark, cfg.output());
        Path out = outFs.makeQualified(new Path(cfg.output()));
        checkSeparate(in, out, cfg);
        DatasetWriter.checkTarget(outFs, out, cfg.overwrite());

        long start = System.nanoTime();
        if (cfg.source().parallel()) {
            PreparedRows rows = readParallel(spark, inFs, in, cfg);
            LOG.info("Listed and checked {} from {}: splits {} in {} ms", cfg.source().id(), Errors.redact(in.toString()),
                    rows.manifest().counts(), (System.nanoTime() - start) / 1_000_000);
            Manifest written = DatasetWriter.write(spark, out.toString(), rows.rows(), rows.manifest(), cfg.overwrite());
            LOG.info("Prepared {} at {} in {} ms", cfg.source().id(), Errors.redact(out.toString()), (System.nanoTime() - start) / 1_000_000);
            return written;
        }
        SourceData data = switch (cfg.source()) {
            case MNIST -> MnistSource.read(inFs, in, cfg.validationSize());
            case BINARIZED_MNIST -> BinarizedMnistSource.read(inFs, in);
            default -> throw new IllegalStateException("not a driver-side source: " + cfg.source());
        };
        LOG.info("Read {} from {}: splits {} in {} ms", cfg.source().id(), Errors.redact(in.toString()), data.counts(),
                (System.nanoTime() - start) / 1_000_000);
        Manifest manifest = Manifest.of(data, Instant.now());
        Manifest written = DatasetWriter.write(spark, out.toString(), data.splits(), manifest, cfg.overwrite());
        LOG.info("Prepared {} at {} in {} ms", cfg.source().id(), Errors.redact(out.toString()), (System.nanoTime() - start) / 1_000_000);
        return written;
    }

    /** The sources read by Spark executors, one task per file, archive or shard of image files. */
    private static PreparedRows readParallel(SparkSession spark, FileSystem fs, Path in, PrepareConfig cfg) {
        return switch (cfg.source()) {
            case CIFAR10_BINARY -> Cifar10Source.read(spark, fs, in, true, cfg.cifarTrainFiles(), cfg.cifarTestFiles());
            case CIFAR10_PYTHON -> Cifar10Source.read(spark, fs, in, false, cfg.cifarTrainFiles(), cfg.cifarTestFiles());
            case IMAGENET64_PNG -> ImageNet64Source.readPng(spark, fs, in, cfg.imagesPerTask());
            case IMAGENET64_PICKLE -> ImageNet64Source.readPickle(spark, fs, in);
            case IMAGE_FOLDER -> ImageFolderSource.read(spark, fs, in, cfg.imageFolderName(), cfg.imagesPerTask());
            case TRANSFORM -> DerivedDataset.read(spark, fs, in, cfg.transform());
            default -> throw new IllegalStateException("not a parallel source: " + cfg.source());
        };
    }

    /**
     * The output may not be the input, above it (replacing it would delete the raw files) or inside it
     * (listing the input would pick up the output).
     */
    private static void checkSeparate(Path in, Path out, PrepareConfig cfg) {
        if (isSameOrBelow(in, out) || isSameOrBelow(out, in)) {
            throw Errors.badConfigValue(PrepareConfig.OUTPUT, Errors.redact(cfg.output()), "a path outside "
                    + PrepareConfig.INPUT + " (" + Errors.redact(cfg.input()) + "), neither inside it nor a directory above it");
        }
    }

    private static boolean isSameOrBelow(Path path, Path dir) {
        for (Path p = path; p != null; p = p.getParent()) {
            if (p.equals(dir)) {
                return true;
            }
        }
        return false;
    }
}
