package org.vaespark.prep.source;

import java.io.InputStream;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.vaespark.core.errors.Errors;
import org.vaespark.prep.ImageRecord;
import org.vaespark.prep.pickle.NdArray;
import org.vaespark.prep.pickle.Pickles;
import org.vaespark.prep.pickle.SafeUnpickler;

/**
 * Pickled batches of square RGB images in channel planes: a dict whose {@code data} is an
 * N x (3 * side * side) uint8 array (red, green, blue planes per row) and whose {@code labels} is a
 * list of N integers. This is the CIFAR-10 python version (Krizhevsky 2009; Python 2 cPickle,
 * protocol 2, bytes keys) and the downsampled ImageNet of Chrabaszcz, Loshchilov &amp; Hutter (2017),
 * "A Downsampled Variant of ImageNet as an Alternative to the CIFAR datasets" (labels 1..1000).
 * Read with the restricted {@link SafeUnpickler}, never Python's general unpickling.
 *
 * @param side        image height and width
 * @param labelOffset subtracted from every stored label (1 for ImageNet's 1..1000, 0 for CIFAR)
 * @param maxLabel    the largest label after the offset (999 or 9)
 * @param splits      maps a file's base name to its split, or to null when the file is not data
 * @param fix         what to tell the user when a file is rejected
 */
record PlanarPickleDecoder(int side, int labelOffset, int maxLabel, SplitNames splits, String fix) implements PartDecoder {

    private static final java.util.Set<String> UINT8 = java.util.Set.of("uint8", "u1", "|u1", "<u1", ">u1", "=u1");

    /** Maps file base names to splits; serializable, unlike a plain {@link Function}. */
    interface SplitNames extends java.io.Serializable {
        String splitOf(String baseName);
    }

    @Override
    public String splitOf(String entryName) {
        return splits.splitOf(entryName);
    }

    @Override
    public long decode(InputStream in, String name, String split, long firstId, Consumer<ImageRecord> out) {
        Map<?, ?> dict = Pickles.dict(SafeUnpickler.load(in, name), name);
        NdArray data = Pickles.ndarray(dict, "data", name);
        long[] labels = Pickles.longs(Pickles.list(dict, "labels", name), "labels", name);
        int dim = 3 * side * side;
        long[] shape = data.shape();
        if (shape.length != 2 || shape[1] != dim) {
            throw Errors.corruptFile(name, "key 'data'", "the array has shape " + java.util.Arrays.toString(shape)
                    + ", expected [N, " + dim + "] (N images of 3 x " + side + " x " + side + " uint8)", fix);
        }
        if (shape[0] != labels.length) {
            throw Errors.corruptFile(name, "key 'labels'", "there are " + labels.length + " labels for " + shape[0]
                    + " images in 'data'", fix);
        }
        if (!UINT8.contains(data.dtype())) {
            throw Errors.corruptFile(name, "key 'data'", "the array has dtype " + data.dtype() + ", expected uint8", fix);
        }
        byte[] bytes = data.asUint8();
        for (int i = 0; i < labels.length; i++) {
            long label = labels[i] - labelOffset;
            if (label < 0 || label > maxLabel) {
                throw Errors.corruptFile(name, "key 'labels', record " + i, "label " + labels[i] + " is outside "
                        + labelOffset + ".." + (maxLabel + labelOffset), fix);
            }
            out.accept(new ImageRecord(firstId + i, split, (int) label, side, side, 3, Planar.toHwc(bytes, i * dim, side)));
        }
        return labels.length;
    }
}
