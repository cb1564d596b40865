package org.vaespark.prep.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.ImageSchema;
import org.vaespark.prep.Manifest;
import org.vaespark.prep.io.AmatReader;
import org.vaespark.prep.io.Compression;

/**
 * The statically binarized MNIST of Larochelle &amp; Murray (2011), the benchmark of the IWAE
 * (Burda et al. 2016) and VampPrior (Tomczak &amp; Welling 2018) papers:
 * {@code binarized_mnist_train.amat}, {@code _valid.amat} and {@code _test.amat} (gzip or plain),
 * giving splits train 50000, valid 10000 and test 10000 of unlabelled 28x28 0/1 images.
 */
public final class BinarizedMnistSource {
    public static final String PREFIX = "binarized_mnist_";
    public static final String SUFFIX = ".amat";

    private BinarizedMnistSource() {
    }

    /** Reads and checks the three files of {@code dir}; fails before returning anything if one is bad. */
    public static SourceData read(FileSystem fs, Path dir) {
        RawFiles raw = new RawFiles(fs, dir);
        Map<String, Path> paths = new LinkedHashMap<>();
        for (String split : List.of(ImageSchema.TRAIN, ImageSchema.VALID, ImageSchema.TEST)) {
            paths.put(split, raw.locate(PREFIX + split + SUFFIX, "the binarized MNIST " + split + " split"));
        }
        List<Manifest.SourceFile> files = new ArrayList<>();
        for (Path p : paths.values()) {
            files.add(raw.describe(p));
        }
        Map<String, List<ImageRecord>> splits = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : paths.entrySet()) {
            Path p = e.getValue();
            try (InputStream in = raw.open(p)) {
                splits.put(e.getKey(), AmatReader.read(in, p.toString(), e.getKey()));
            } catch (IOException ex) {
                throw Compression.readFailure(p.toString(), "close", ex);
            }
        }
        return new SourceData(SourceKind.BINARIZED_MNIST, AmatReader.SIDE, AmatReader.SIDE, 1, splits, files);
    }
}
