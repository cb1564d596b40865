package org.vaespark.prep.testing;

import java.util.List;
import org.vaespark.prep.Manifest;

/**
 * Names, sizes and SHA-256 of the reference dataset files in {@code ../shared/data}: the MNIST
 * values are the ones listed in that folder's README.md; the binarized MNIST .gz values were
 * computed with sha256sum (the README lists the checksums of the uncompressed files).
 */
public final class ReferenceFiles {
    /** The four official MNIST gz files, in the order the manifest lists them. */
    public static final List<Manifest.SourceFile> MNIST_GZ = List.of(
            new Manifest.SourceFile("train-images-idx3-ubyte.gz", 9912422,
                    "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
            new Manifest.SourceFile("train-labels-idx1-ubyte.gz", 28881,
                    "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
            new Manifest.SourceFile("t10k-images-idx3-ubyte.gz", 1648877,
                    "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
            new Manifest.SourceFile("t10k-labels-idx1-ubyte.gz", 4542,
                    "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"));

    /** The gz copies of binarized MNIST train, valid, test. */
    public static final List<Manifest.SourceFile> BINARIZED_GZ = List.of(
            new Manifest.SourceFile("binarized_mnist_train.amat.gz", 2196979,
                    "befcc06f6d51a24fdd21d109f082143a25f74d5ed776b77526c60874c3ef0bb4"),
            new Manifest.SourceFile("binarized_mnist_valid.amat.gz", 439647,
                    "74d2750411120d843a40edd4f8f57b8b3c2531192ba289ad333d28444eb58929"),
            new Manifest.SourceFile("binarized_mnist_test.amat.gz", 416828,
                    "faab096d723c5e61989614818a3c74ad7335b6b832516505898d5f394e5fe3a5"));

    /** SHA-256 of the official plain binarized_mnist_valid.amat (README.md). */
    public static final String BINARIZED_VALID_PLAIN_SHA256 =
            "1de3d397c40fe8eeb33dafd4099a1f665ec01e96d9be234aaeeac8a34930e2e2";

    private ReferenceFiles() {
    }
}
