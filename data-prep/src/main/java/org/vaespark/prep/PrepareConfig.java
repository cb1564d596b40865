package org.vaespark.prep;

import com.typesafe.config.Config;
import org.vaespark.core.config.Keys;
import org.vaespark.core.errors.Errors;
import org.vaespark.prep.source.SourceKind;

/**
 * The settings of one prepare run (keys under {@code prepare} in data-prep's reference.conf):
 * which raw format to read, from where, where to write the Parquet dataset, how many MNIST
 * training images to hold out as {@code valid}, and whether an existing dataset may be replaced.
 * Validated on construction; every message names the configuration key.
 */
public record PrepareConfig(SourceKind source, String input, String output, int validationSize, boolean overwrite) {
    public static final String SOURCE = "prepare.source";
    public static final String INPUT = "prepare.input";
    public static final String OUTPUT = "prepare.output";
    public static final String VALIDATION_SIZE = "prepare.validation-size";
    public static final String OVERWRITE = "prepare.overwrite";

    private static final String SOURCES = "one of: mnist, binarized-mnist";

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
                    + ", which has its own valid split (the key applies to mnist only)");
        }
    }

    /** Reads the {@code prepare.*} keys of a resolved configuration (e.g. {@code Settings.config()}). */
    public static PrepareConfig from(Config c) {
        SourceKind source = c.getIsNull(SOURCE) ? null : Keys.enumValue(c, SOURCE, SourceKind.class);
        return new PrepareConfig(source, Keys.optionalString(c, INPUT), Keys.optionalString(c, OUTPUT),
                Keys.nonNegativeInt(c, VALIDATION_SIZE), Keys.bool(c, OVERWRITE));
    }
}
