package org.vaespark.prep.source;

import java.util.Locale;

/**
 * The raw dataset formats the prepare job reads, with what their pixels mean: grey levels
 * 0..255 for MNIST (LeCun et al. 1998), 0/1 for the statically binarized MNIST of
 * Larochelle &amp; Murray (2011), 8-bit RGB for CIFAR-10 (Krizhevsky 2009, binary or python
 * version) and for ImageNet 64x64 (van den Oord et al. 2016 PNGs or Chrabaszcz et al. 2017 pickles),
 * and 8-bit grey or RGB for a generic image folder; {@code transform} derives a dataset from a prepared
 * one, whose manifest then says what its pixels are. The configuration names are the lower-case,
 * dashed forms.
 */
public enum SourceKind {
    MNIST("uint8-grey-0-255", false),
    BINARIZED_MNIST("binary-0-1", true),
    CIFAR10_BINARY("uint8-rgb-0-255", false),
    CIFAR10_PYTHON("uint8-rgb-0-255", false),
    IMAGENET64_PNG("uint8-rgb-0-255", false),
    IMAGENET64_PICKLE("uint8-rgb-0-255", false),
    /** Grey or RGB, whichever the images are; the manifest records the encoding found. */
    IMAGE_FOLDER("uint8-grey-or-rgb-0-255", false),
    /** A prepared dataset transformed row by row (grey-scale, crop, binarize); encoding as the transform gives. */
    TRANSFORM("derived", false);

    private final String pixelEncoding;
    private final boolean binarized;

    SourceKind(String pixelEncoding, boolean binarized) {
        this.pixelEncoding = pixelEncoding;
        this.binarized = binarized;
    }

    /** The name used in configuration (and in manifest.json for MNIST): e.g. {@code mnist}, {@code cifar10-binary}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** How pixel bytes are to be read: {@code uint8-grey-0-255}, {@code binary-0-1}, {@code uint8-rgb-0-255}. */
    public String pixelEncoding() {
        return pixelEncoding;
    }

    /** True when every pixel is already 0 or 1. */
    public boolean binarized() {
        return binarized;
    }

    /** True for the sources read in parallel by Spark executors (everything but the two MNIST formats). */
    public boolean parallel() {
        return this != MNIST && this != BINARIZED_MNIST;
    }
}
