package org.vaespark.prep.source;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.vaespark.core.errors.Errors;
import org.vaespark.prep.ImageSchema;

/**
 * CIFAR-10 (Krizhevsky 2009, "Learning Multiple Layers of Features from Tiny Images"): 32x32 RGB
 * images with labels 0..9, split {@code train} ({@code data_batch_1..5}) and {@code test}
 * ({@code test_batch}). Both published versions are read and give identical rows: the binary one
 * ({@code cifar-10-binary.tar.gz} or its extracted {@code *.bin} files) and the python one
 * ({@code cifar-10-python.tar.gz} or its extracted pickles). The manifest source is {@code cifar10}
 * for both. Each file (or the tarball) is read by one Spark task.
 */
public final class Cifar10Source {
    public static final String SOURCE = "cifar10";
    public static final String BINARY_TARBALL = "cifar-10-binary.tar.gz";
    public static final String PYTHON_TARBALL = "cifar-10-python.tar.gz";
    static final String BINARY_DIR = "cifar-10-batches-bin";
    static final String PYTHON_DIR = "cifar-10-batches-py";
    static final String BINARY_SUFFIX = ".bin";
    private static final String FIX = "the file is damaged or not a CIFAR-10 python batch: download "
            + "cifar-10-python.tar.gz again from https://www.cs.toronto.edu/~kriz/cifar.html";

    private Cifar10Source() {
    }

    /**
     * Lists the input and returns the rows to write. {@code trainFiles} and {@code testFiles} are base
     * names without extension ({@code data_batch_1}, {@code test_batch}); the binary version adds {@code .bin}.
     */
    public static PreparedRows read(SparkSession spark, FileSystem fs, Path in, boolean binary, List<String> trainFiles,
                                    List<String> testFiles) {
        Listing.requireDirectory(fs, in);
        String suffix = binary ? BINARY_SUFFIX : "";
        List<String> train = trainFiles.stream().map(n -> n + suffix).toList();
        List<String> test = testFiles.stream().map(n -> n + suffix).toList();
        PartDecoder decoder = binary ? new CifarBinaryDecoder(train, test)
                : new PlanarPickleDecoder(CifarBinaryDecoder.SIDE, 0, CifarBinaryDecoder.MAX_LABEL,
                        new Names(train, test), FIX);
        String tarball = binary ? BINARY_TARBALL : PYTHON_TARBALL;
        Path tar = new Path(in, tarball);
        List<InputUnit> units = new ArrayList<>();
        if (Listing.isFile(fs, tar)) {
            units.add(InputUnit.archive(InputUnit.Kind.TAR, tar.toString()));
        } else {
            for (String name : train) {
                units.add(InputUnit.file(locate(fs, in, name, binary, tarball), ImageSchema.TRAIN));
            }
            for (String name : test) {
                units.add(InputUnit.file(locate(fs, in, name, binary, tarball), ImageSchema.TEST));
            }
        }
        UnitReader reader = new UnitReader(new HadoopConf(spark.sparkContext().hadoopConfiguration()), decoder, null);
        ParallelRead.Result r = ParallelRead.read(spark, units, reader);
        checkAllFound(r, train, ImageSchema.TRAIN, tar);
        checkAllFound(r, test, ImageSchema.TEST, tar);
        return PreparedRows.of(r, SOURCE, null);
    }

    static String splitOf(String name, List<String> train, List<String> test) {
        return train.contains(name) ? ImageSchema.TRAIN : test.contains(name) ? ImageSchema.TEST : null;
    }

    private static String locate(FileSystem fs, Path in, String name, boolean binary, String tarball) {
        Path p = Listing.find(fs, in, name, binary ? BINARY_DIR : PYTHON_DIR);
        if (p == null) {
            throw Errors.missingInput(new Path(in, name).toString(), "the CIFAR-10 " + (binary ? "binary" : "python")
                    + " file " + name + " (in the input directory or its " + (binary ? BINARY_DIR : PYTHON_DIR)
                    + "/ folder), or the tarball " + tarball + "; the names read are set by prepare.cifar10.train-files"
                    + " and prepare.cifar10.test-files");
        }
        return p.toString();
    }

    private static void checkAllFound(ParallelRead.Result r, List<String> expected, String split, Path tar) {
        List<String> found = r.partNames().getOrDefault(split, List.of());
        for (String name : expected) {
            if (!found.contains(name)) {
                throw Errors.missingInput(tar + "!" + name, "the CIFAR-10 " + split + " file " + name
                        + " inside the tarball (it holds " + found + " for " + split + ")");
            }
        }
    }

    /** Maps CIFAR-10 file names to their split. */
    record Names(List<String> train, List<String> test) implements PlanarPickleDecoder.SplitNames {
        @Override
        public String splitOf(String baseName) {
            return Cifar10Source.splitOf(baseName, train, test);
        }
    }
}
