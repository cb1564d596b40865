package org.vaespark.prep.source;

import java.io.Serializable;
import java.util.List;

/**
 * One piece of raw input that one Spark task reads: a whole file (a CIFAR-10 batch, a pickle), an
 * archive read as a stream (tar, tar.gz or zip; its entries are the parts), or a shard of image
 * files of one split folder. The driver builds units from file listings only, never reading pixels.
 *
 * @param kind   what {@code path} is
 * @param path   the file or archive; for {@link Kind#IMAGES} the split folder the images are under
 * @param split  the split of a {@link Kind#FILE} or {@link Kind#IMAGES} unit; null for archives,
 *               whose entries are assigned to splits by name
 * @param images for {@link Kind#IMAGES}: file names relative to {@code path}, in id order; else empty
 * @param labels for {@link Kind#IMAGES}: the label of each image, or null when the source has none
 * @param firstId for {@link Kind#IMAGES}: the id of the first image; else 0 (ids come from the scan pass)
 */
record InputUnit(Kind kind, String path, String split, List<String> images, List<Integer> labels, long firstId)
        implements Serializable {

    enum Kind { FILE, TAR, ZIP, IMAGES }

    static InputUnit file(String path, String split) {
        return new InputUnit(Kind.FILE, path, split, List.of(), null, 0);
    }

    static InputUnit archive(Kind kind, String path) {
        return new InputUnit(kind, path, null, List.of(), null, 0);
    }

    static InputUnit images(String folder, String split, List<String> images, List<Integer> labels, long firstId) {
        return new InputUnit(Kind.IMAGES, folder, split, List.copyOf(images), labels == null ? null : List.copyOf(labels),
                firstId);
    }
}
