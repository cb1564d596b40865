package org.vaespark.prep.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.vaespark.core.errors.Errors;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.ImageSchema;
import org.vaespark.prep.Manifest;
import org.vaespark.prep.PrepareConfig;
import org.vaespark.prep.io.Compression;
import org.vaespark.prep.io.IdxReader;

/**
 * The original MNIST of LeCun et al. (1998) as distributed at http://yann.lecun.com/exdb/mnist/:
 * four IDX files (gzip or plain) giving a {@code train} split of 60000 and a {@code test} split of
 * 10000 labelled 28x28 grey-level images.
 *
 * <p>Optionally the last {@code validationSize} training images become a {@code valid} split
 * (a fixed, deterministic carve-out; ids restart at 0 in every split), leaving the first
 * {@code 60000 - validationSize} images as {@code train}.
 */
public final class MnistSource {
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    private static final String FROM = " (from http://yann.lecun.com/exdb/mnist/)";

    private MnistSource() {
    }

    /** Reads and checks all four files of {@code dir}; fails before returning anything if one is bad. */
    public static SourceData read(FileSystem fs, Path dir, int validationSize) {
        RawFiles raw = new RawFiles(fs, dir);
        Path trainImages = raw.locate(TRAIN_IMAGES, "the MNIST training images" + FROM);
        Path trainLabels = raw.locate(TRAIN_LABELS, "the MNIST training labels" + FROM);
        Path testImages = raw.locate(TEST_IMAGES, "the MNIST test images" + FROM);
        Path testLabels = raw.locate(TEST_LABELS, "the MNIST test labels" + FROM);
        List<Manifest.SourceFile> files = new ArrayList<>();
        for (Path p : List.of(trainImages, trainLabels, testImages, testLabels)) {
            files.add(raw.describe(p));
        }
        List<ImageRecord> train = readPair(raw, trainImages, trainLabels, ImageSchema.TRAIN);
        List<ImageRecord> test = readPair(raw, testImages, testLabels, ImageSchema.TEST);
        if (validationSize >= train.size()) {
            throw Errors.badConfigValue(PrepareConfig.VALIDATION_SIZE, validationSize, "an integer from 0 to "
                    + (train.size() - 1) + " (the training file holds " + train.size() + " images)");
        }
        ImageRecord first = train.get(0);
        Map<String, List<ImageRecord>> splits = new LinkedHashMap<>();
        int keep = train.size() - validationSize;
        splits.put(ImageSchema.TRAIN, train.subList(0, keep));
        if (validationSize > 0) {
            splits.put(ImageSchema.VALID, renumber(train.subList(keep, train.size()), ImageSchema.VALID));
        }
        splits.put(ImageSchema.TEST, test);
        checkShape(test, first, testImages);
        return new SourceData(SourceKind.MNIST, first.height(), first.width(), first.channels(), splits, files);
    }

    private static List<ImageRecord> readPair(RawFiles raw, Path images, Path labels, String split) {
        try (InputStream img = raw.open(images); InputStream lab = raw.open(labels)) {
            List<ImageRecord> records = IdxReader.read(img, images.toString(), lab, labels.toString(), split);
            if (records.isEmpty()) {
                throw Errors.corruptFile(images.toString(), "header", "the file holds no images",
                        "download the MNIST files again");
            }
            return records;
        } catch (IOException e) {
            throw Compression.readFailure(images.toString(), "close", e);
        }
    }

    private static List<ImageRecord> renumber(List<ImageRecord> records, String split) {
        List<ImageRecord> out = new ArrayList<>(records.size());
        for (ImageRecord r : records) {
            out.add(new ImageRecord(out.size(), split, r.label(), r.height(), r.width(), r.channels(), r.pixels()));
        }
        return out;
    }

    private static void checkShape(List<ImageRecord> test, ImageRecord trainShape, Path testImages) {
        ImageRecord t = test.get(0);
        if (t.height() != trainShape.height() || t.width() != trainShape.width()) {
            throw Errors.corruptFile(testImages.toString(), "header", "test images are " + t.height() + "x" + t.width()
                    + " but training images are " + trainShape.height() + "x" + trainShape.width(),
                    "use the train and t10k files of the same MNIST release");
        }
    }
}
