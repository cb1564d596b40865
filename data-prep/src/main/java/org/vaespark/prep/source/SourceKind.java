package org.vaespark.prep.source;

import java.util.Locale;

/**
 * The raw dataset formats the prepare job reads, with what their pixels mean: grey levels
 * 0..255 for MNIST (LeCun et al. 1998), 0/1 for the statically binarized MNIST of
 * Larochelle &amp; Murray (2011). The configuration names are the lower-case, dashed forms.
 */
public enum SourceKind {
    MNIST("uint8-grey-0-255", false),
    BINARIZED_MNIST("binary-0-1", true);

    private final String pixelEncoding;
    private final boolean binarized;

    SourceKind(String pixelEncoding, boolean binarized) {
        this.pixelEncoding = pixelEncoding;
        this.binarized = binarized;
    }

    /** The name used in configuration and in manifest.json: {@code mnist} or {@code binarized-mnist}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** How pixel bytes are to be read: {@code uint8-grey-0-255} or {@code binary-0-1}. */
    public String pixelEncoding() {
        return pixelEncoding;
    }

    /** True when every pixel is already 0 or 1. */
    public boolean binarized() {
        return binarized;
    }
}
