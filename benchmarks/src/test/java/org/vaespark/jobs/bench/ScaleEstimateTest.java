package org.vaespark.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.NetworkSpec;
import org.vaespark.core.testing.SharedData;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.cost.Flops;

/** The hand counts of docs/scale.md against model-core's own counts where the model builds the same thing. */
class ScaleEstimateTest {
    private static final ImageShape MNIST = new ImageShape(28, 28, 1);

    @Test
    void pixelCnnAtOneChannelIsWhatFlopsAndTheLayoutCount() {
        VaeConfig plain = ScaleEstimate.model(MNIST);
        VaeConfig pixel = ScaleEstimate.model(MNIST, "model.pixelcnn.layers=3", "model.pixelcnn.channels=32", "model.pixelcnn.kernel=5");
        int k = ScaleEstimate.perPixel(plain);
        assertEquals(1, k);
        assertEquals(Flops.iwaeFlopsPerSample(pixel) - Flops.iwaeFlopsPerSample(plain),
                ScaleEstimate.pixelCnnFlops(28, 28, 1, 3, 32, 5, k));
        assertEquals(ScaleEstimate.parameters(pixel) - ScaleEstimate.parameters(plain), ScaleEstimate.pixelCnnParameters(1, 3, 32, 5, k));
    }

    @Test
    void theRgbPixelCnnModelFileOn64x64IsWhatTheHandCountGives() {
        Path root = SharedData.projectRoot();
        ImageShape imagenet = new ImageShape(64, 64, 3);
        VaeConfig conv = ScaleEstimate.modelFile(root, ScaleEstimate.CONV_MODEL, imagenet);
        VaeConfig pixel = ScaleEstimate.modelFile(root, "conf/models/pixelcnn-logistic-cifar10.conf", imagenet);
        assertEquals(Flops.iwaeFlopsPerSample(pixel) - Flops.iwaeFlopsPerSample(conv),
                ScaleEstimate.pixelCnnFlops(64, 64, 3, 3, 32, 5, ScaleEstimate.perPixel(conv)));
        assertEquals(ScaleEstimate.parameters(pixel) - ScaleEstimate.parameters(conv),
                ScaleEstimate.pixelCnnParameters(3, 3, 32, 5, ScaleEstimate.perPixel(conv)));
    }

    @Test
    void pixelCnnFirstLayerReadsEveryChannel() {
        // one layer 3x3 of 4 maps on 2x2x3 with 2 outputs per pixel: 2*4*9*3*4 + 2*4*2*4 + 2*4*4*2
        assertEquals(864 + 64 + 64, ScaleEstimate.pixelCnnFlops(2, 2, 3, 1, 4, 3, 2));
        assertEquals(9 * 3 * 4 + 4 + 2 * 4 + 4 * 2 + 2, ScaleEstimate.pixelCnnParameters(3, 1, 4, 3, 2));
    }

    @Test
    void iwaeRunsTheEncoderOnceAndTheDecoderPerSample() {
        VaeConfig c = ScaleEstimate.model(MNIST);
        assertEquals(698_400 + 5000 * 674_400.0, ScaleEstimate.iwaeFlopsPerImage(c, 5000, 0));
        assertEquals(698_400 + 10 * (674_400.0 + 7), ScaleEstimate.iwaeFlopsPerImage(c, 10, 7));
    }

    @Test
    void everySliceCrossesEachLinkTwiceWithTheScalarsOnce() {
        long floats = 3 * 688_464;
        for (int n : new int[]{1, 2, 3, 16, 64, 256}) {
            long sum = 0;
            for (int r = 0; r < n; r++) {
                sum += ScaleEstimate.collectiveBytesSent(floats, n, r);
            }
            assertEquals(ScaleEstimate.collectiveBytesPerRound(floats, n), sum, "n = " + n);
        }
        assertEquals(0, ScaleEstimate.collectiveBytesPerRound(floats, 1));
        // two tasks: each sends the other half of its vector and 6 doubles, then its mean half
        assertEquals(4 * floats / 2 + 48 + 4 * floats / 2, ScaleEstimate.collectiveBytesSent(floats, 2, 0));
        assertEquals(4 * 3 + 48 + 4 * 4, ScaleEstimate.collectiveBytesSent(7, 2, 1), "odd length: rank 1 owns [3, 7)");
    }

    @Test
    void theModelFilesGiveThePagesNetworks() {
        Path root = SharedData.projectRoot();
        VaeConfig conv = ScaleEstimate.modelFile(root, ScaleEstimate.CONV_MODEL, new ImageShape(64, 64, 3));
        assertEquals(List.of(64, 128), conv.network().convChannels());
        assertEquals(100, ScaleEstimate.perPixel(conv), "10 logistics x (weight, 3 means, 3 scales, 3 coefficients)");
        // 4x4 stride 2: 64x64x3 -> 32x32x64 -> 16x16x128 -> 512 -> heads 64
        double encoder = 2.0 * 32 * 32 * 16 * 3 * 64 + 2.0 * 16 * 16 * 16 * 64 * 128 + 2.0 * 16 * 16 * 128 * 512 + 2 * (2.0 * 512 * 64);
        assertEquals(encoder, Flops.components(conv, 1, 1).get("encoder"));
        NetworkSpec pixel = ScaleEstimate.modelFile(root, ScaleEstimate.PIXELCNN_MODEL, MNIST).network();
        assertEquals(List.of(3, 32, 5), List.of(pixel.pixelCnnLayers(), pixel.pixelCnnChannels(), pixel.pixelCnnKernel()));
    }

    @Test
    void badArgumentsNameTheArgument() {
        VaeException e = assertThrows(VaeException.class, () -> ScaleEstimate.positive("fast", "core GFLOP/s"));
        assertTrue(e.getMessage().contains("core GFLOP/s") && e.getMessage().contains("fast"), e.getMessage());
        assertThrows(VaeException.class, () -> ScaleEstimate.positive("0", "link GB/s"));
        assertThrows(VaeException.class, () -> ScaleEstimate.main(new String[]{"1", "2"}));
        assertEquals(2.5, ScaleEstimate.positive("2.5", "x"));
    }

    @Test
    void stateIsParametersAndTwoMoments() {
        assertEquals(3 * 688_464L, ScaleEstimate.stateFloats(688_464));
        assertEquals(688_464, ScaleEstimate.parameters(ScaleEstimate.model(MNIST)));
    }
}
