package org.vaespark.prep.source;

/**
 * Converts the channel-planar pixel layout of CIFAR-10 (Krizhevsky 2009) and of the downsampled
 * ImageNet pickles (Chrabaszcz et al. 2017): all red bytes, then all green, then all blue, each plane
 * row-major; into the row-major, channels-last (HWC) layout of the Parquet datasets.
 */
final class Planar {
    private Planar() {
    }

    /** The {@code 3 * side * side} planar bytes of {@code src} starting at {@code offset}, as HWC. */
    static byte[] toHwc(byte[] src, int offset, int side) {
        int plane = side * side;
        byte[] out = new byte[3 * plane];
        for (int p = 0; p < plane; p++) {
            out[3 * p] = src[offset + p];
            out[3 * p + 1] = src[offset + plane + p];
            out[3 * p + 2] = src[offset + 2 * plane + p];
        }
        return out;
    }
}
