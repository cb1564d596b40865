package org.vaespark.prep.source;

import java.io.InputStream;
import java.io.Serializable;
import java.util.function.Consumer;
import org.vaespark.prep.ImageRecord;

/**
 * Decodes one part of the raw input (a whole file, or one entry of an archive) into images, on a
 * Spark executor. Implementations are small immutable, serializable values.
 */
interface PartDecoder extends Serializable {
    /** The split an archive entry with this base name belongs to, or null when the entry is not data. */
    String splitOf(String entryName);

    /**
     * Reads {@code in} (not closed) and passes each image to {@code out} in file order, with ids
     * {@code firstId, firstId + 1, ...}; returns the number of images. Failures name {@code name}
     * and the record.
     */
    long decode(InputStream in, String name, String split, long firstId, Consumer<ImageRecord> out);
}
