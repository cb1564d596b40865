package org.vaespark.prep;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.List;
import org.vaespark.core.config.Keys;
import org.vaespark.core.errors.Errors;
import org.vaespark.prep.source.SourceKind;
import org.vaespark.prep.transform.ImageTransform;

/**
 * The settings of one prepare run (keys under {@code prepare} in data-prep's reference.conf):
 * which raw format to read, from where, where to write the Parquet dataset, how many MNIST
 * training images to hold out as {@code valid}, whether an existing dataset may be replaced, which
 * CIFAR-10 files make the train and test splits, how many image files one Spark task reads, and the
 * dataset name of an image folder, and the transform of a derived dataset ({@code source = transform}). Validated on construction; every message names the configuration key.
 */
public record PrepareConfig(SourceKind source, String input, String output, int validationSize, boolean overwrite,
                            List<String> cifarTrainFiles, List<String> cifarTestFiles, int imagesPerTask,
                            String imageFolderName, ImageTransform transform) {
    public static final String SOURCE = "prepare.source";
    public static final String INPUT = "prepare.input";
    public static final String OUTPUT = "prepare.output";
    public static final String VALIDATION_SIZE = "prepare.validation-size";
    public static final String OVERWRITE = "prepare.overwrite";
    public static final String CIFAR_TRAIN_FILES = "prepare.cifar10.train-files";
    public static final String CIFAR_TEST_FILES = "prepare.cifar10.test-files";
    public static final String IMAGES_PER_TASK = "prepare.images-per-task";
    public static final String IMAGE_FOLDER_NAME = "prepare.image-folder.name";

    private static final String SOURCES = "one of: mnist, binarized-mnist, cifar10-binary, cifar10-python, "
            + "imagenet64-png, imagenet64-pickle, image-folder, transform";
    private static final String FILE_NAME = "[A-Za-z0-9][A-Za-z0-9._-]*";

    public PrepareConfig {
        if (source == null) {
            throw Errors.badConfigValue(SOURCE, null, SOURCES + " (the key is required)");
        }
        if (input == null || input.isBlank()) {
            throw Errors.badConfigValue(INPUT, input, "the directory holding the raw files (the key is required)");
        }
        if (output == null || output.isBlank()) {
            throw Errors.badConfigValue(OUTPUT, output, "the dataset root to write, a local path, hdfs:// or s3a:// URI "
                    + "(the key is required)");
        }
        if (validationSize < 0) {
            throw Errors.badConfigValue(VALIDATION_SIZE, validationSize, "an integer >= 0");
        }
        if (validationSize > 0 && source != SourceKind.MNIST) {
            throw Errors.badConfigValue(VALIDATION_SIZE, validationSize, "0 for " + source.id()
                    + ", which has its own splits (the key applies to mnist only)");
        }
        cifarTrainFiles = fileNames(CIFAR_TRAIN_FILES, cifarTrainFiles);
        cifarTestFiles = fileNames(CIFAR_TEST_FILES, cifarTestFiles);
        if (cifarTrainFiles.isEmpty() && cifarTestFiles.isEmpty()) {
            throw Errors.badConfigValue(CIFAR_TEST_FILES, cifarTestFiles, "at least one file name in "
                    + CIFAR_TRAIN_FILES + " or " + CIFAR_TEST_FILES);
        }
        if (imagesPerTask <= 0) {
            throw Errors.badConfigValue(IMAGES_PER_TASK, imagesPerTask, "an integer > 0");
        }
        if (imageFolderName == null || !imageFolderName.matches("[a-z0-9][a-z0-9._-]*")) {
            throw Errors.badConfigValue(IMAGE_FOLDER_NAME, imageFolderName,
                    "a dataset name of lower-case letters, digits, '.', '_' and '-', e.g. celeba-64");
        }
        if (source == SourceKind.TRANSFORM && transform.identity()) {
            throw Errors.badConfigValue(ImageTransform.GREY, false, "at least one of " + ImageTransform.GREY + "=true, "
                    + ImageTransform.CROP + "=[h, w] or " + ImageTransform.BINARIZE + "=true with prepare.source=transform");
        }
        if (source != SourceKind.TRANSFORM) {
            checkUnused(transform.grey(), ImageTransform.GREY, source);
            checkUnused(transform.cropHeight() > 0, ImageTransform.CROP, source);
            checkUnused(transform.binarize(), ImageTransform.BINARIZE, source);
        }
    }

    private static void checkUnused(boolean set, String key, SourceKind source) {
        if (set) {
            throw Errors.badConfigValue(key, "set", "unset with prepare.source=" + source.id()
                    + " (the prepare.transform.* keys apply to prepare.source=transform only)");
        }
    }

    private static List<String> fileNames(String key, List<String> names) {
        if (names == null || names.stream().anyMatch(n -> n == null || !n.matches(FILE_NAME))
                || new java.util.HashSet<>(names).size() != names.size()) {
            throw Errors.badConfigValue(key, names, "a list of distinct file names without extension or folder, "
                    + "e.g. [data_batch_1, data_batch_2]");
        }
        return List.copyOf(names);
    }

    /** Reads the {@code prepare.*} keys of a resolved configuration (e.g. {@code Settings.config()}). */
    public static PrepareConfig from(Config c) {
        SourceKind source = c.getIsNull(SOURCE) ? null : Keys.enumValue(c, SOURCE, SourceKind.class);
        return new PrepareConfig(source, Keys.optionalString(c, INPUT), Keys.optionalString(c, OUTPUT),
                Keys.nonNegativeInt(c, VALIDATION_SIZE), Keys.bool(c, OVERWRITE), stringList(c, CIFAR_TRAIN_FILES),
                stringList(c, CIFAR_TEST_FILES), Keys.intValue(c, IMAGES_PER_TASK), Keys.string(c, IMAGE_FOLDER_NAME),
                transform(c));
    }

    private static ImageTransform transform(Config c) {
        List<Integer> crop = Keys.positiveIntList(c, ImageTransform.CROP);
        if (crop.size() != 0 && crop.size() != 2) {
            throw Errors.badConfigValue(ImageTransform.CROP, crop, "[] (no crop) or [height, width], e.g. [28, 28]");
        }
        return new ImageTransform(Keys.bool(c, ImageTransform.GREY), crop.isEmpty() ? 0 : crop.get(0),
                crop.isEmpty() ? 0 : crop.get(1), Keys.bool(c, ImageTransform.BINARIZE), Keys.longValue(c, ImageTransform.SEED));
    }

    private static List<String> stringList(Config c, String key) {
        try {
            return c.getStringList(key);
        } catch (ConfigException.WrongType e) {
            throw Errors.badConfigValue(key, c.getValue(key).unwrapped(), "a list of file names, e.g. [test_batch]");
        }
    }
}
