package org.vaespark.prep.source;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.errors.Errors;
import org.vaespark.prep.ImageSchema;

/**
 * A generic labelled image dataset laid out as {@code <input>/<split>/<class>/<image>.png|jpg|jpeg}
 * with split folders {@code train}, {@code valid} and {@code test} (whichever exist). The label of an
 * image is the index of its class folder in the sorted class names of all splits, so labels are the
 * same on every run; the class names are logged. All images must be 8-bit grey or 8-bit RGB of one
 * size; ids follow the sorted {@code class/file} names within each split.
 */
public final class ImageFolderSource {
    static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");
    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderSource.class);
    private static final String FIX = "store every image of the dataset as 8-bit grey or 8-bit RGB (no alpha, no "
            + "palette) of one common size";

    private ImageFolderSource() {
    }

    /** Lists the folders and returns the rows to write; {@code name} becomes the manifest source. */
    public static PreparedRows read(SparkSession spark, FileSystem fs, Path in, String name, int perTask) {
        Listing.requireDirectory(fs, in);
        List<String> splits = new ArrayList<>();
        TreeSet<String> classes = new TreeSet<>();
        for (String split : List.of(ImageSchema.TRAIN, ImageSchema.VALID, ImageSchema.TEST)) {
            Path dir = new Path(in, split);
            if (Listing.isDirectory(fs, dir)) {
                splits.add(split);
                for (FileStatus s : Listing.list(fs, dir)) {
                    if (s.isDirectory()) {
                        classes.add(s.getPath().getName());
                    }
                }
            }
        }
        if (splits.isEmpty()) {
            throw Errors.missingInput(new Path(in, "train").toString(), "split folders train/, valid/ or test/, each "
                    + "with one folder of images per class");
        }
        List<String> classList = new ArrayList<>(classes);
        LOG.info("Image folder {}: classes (label = index) {}", Errors.redact(in.toString()), classList);
        List<InputUnit> units = new ArrayList<>();
        for (String split : splits) {
            Path dir = new Path(in, split);
            List<String> files = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            for (String cls : classList) {
                Path clsDir = new Path(dir, cls);
                if (Listing.isDirectory(fs, clsDir)) {
                    for (String f : Listing.filesEndingWith(fs, clsDir, EXTENSIONS)) {
                        files.add(cls + "/" + f);
                        labels.add(classList.indexOf(cls));
                    }
                }
            }
            if (files.isEmpty()) {
                throw Errors.missingInput(dir.toString(), "images (" + String.join(", ", EXTENSIONS) + ") in class "
                        + "folders of " + split + "/, which holds none");
            }
            units.addAll(ImageShards.of(dir.toString(), split, files, labels, perTask));
        }
        ImageDecoding decoding = new ImageDecoding(0, List.of(1, 3), FIX);
        UnitReader reader = new UnitReader(new HadoopConf(spark.sparkContext().hadoopConfiguration()), null, decoding);
        return PreparedRows.of(ParallelRead.read(spark, units, reader), name, null);
    }
}
