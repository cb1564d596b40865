package org.vaespark.core.model.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vaespark.core.config.Settings;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.VaeConfig;

/** Every component's count against a hand count of its layer shapes (2 x multiply-adds, forward, per example). */
class FlopsTest {
    private static final ImageShape MNIST = new ImageShape(28, 28, 1);
    /** Encoder 784-300-300 with mu and log-variance heads to 40. */
    private static final double REFERENCE_ENCODER = 2 * 784 * 300 + 2 * 300 * 300 + 2 * (2 * 300 * 40);   // 698,400
    /** Decoder 40-300-300-784. */
    private static final double REFERENCE_DECODER = 2 * 40 * 300 + 2 * 300 * 300 + 2 * 300 * 784;        // 674,400

    private static VaeConfig model(String... overrides) {
        return VaeConfig.from(Settings.defaults(overrides).config(), MNIST);
    }

    @Test
    void referenceMlp() {
        VaeConfig c = model();
        assertEquals(698_400, REFERENCE_ENCODER);
        assertEquals(674_400, REFERENCE_DECODER);
        assertEquals(Map.of("encoder", REFERENCE_ENCODER, "decoder", REFERENCE_DECODER), Flops.components(c, 100, 1));
        assertEquals(3 * (698_400 + 674_400), Flops.trainingFlopsPerExample(c, 100, 1));
        assertEquals(3 * (698_400 + 5 * 674_400), Flops.trainingFlopsPerExample(c, 100, 5), "the decoder runs once per sample");
        assertEquals(674_400, Flops.iwaeFlopsPerSample(c));
    }

    @Test
    void gatedLayersCountBothProducts() {
        VaeConfig c = model("model.architecture=gated");
        double encoder = 2 * (2 * 784 * 300) + 2 * (2 * 300 * 300) + 2 * (2 * 300 * 40);   // heads are plain dense
        double decoder = 2 * (2 * 40 * 300) + 2 * (2 * 300 * 300) + 2 * 300 * 784;         // so is the output layer
        assertEquals(1_348_800, encoder);
        assertEquals(878_400, decoder);
        assertEquals(Map.of("encoder", encoder, "decoder", decoder), Flops.components(c, 100, 1));
        assertEquals(decoder, Flops.iwaeFlopsPerSample(c));
    }

    @Test
    void convolutionsCountTheirOutputPositions() {
        VaeConfig c = model("model.architecture=conv", "model.conv.channels=[32, 64]", "model.conv.dense=256");
        // 4x4 kernels, stride 2: 28x28x1 -> 14x14x32 -> 7x7x64 -> dense 3136 -> 256 -> heads 40
        double encoder = 2.0 * 14 * 14 * 16 * 1 * 32 + 2.0 * 7 * 7 * 16 * 32 * 64 + 2.0 * 3136 * 256 + 2 * (2.0 * 256 * 40);
        // dense 40 -> 7x7x64; transposed 7x7x64 -> 14x14x32 and 14x14x32 -> 28x28x1, each counted at its input map
        double decoder = 2.0 * 40 * 3136 + 2.0 * 7 * 7 * 16 * 64 * 32 + 2.0 * 14 * 14 * 16 * 32 * 1;
        assertEquals(200_704 + 3_211_264 + 1_605_632 + 40_960, encoder);
        assertEquals(250_880 + 3_211_264 + 200_704, decoder);
        assertEquals(Map.of("encoder", encoder, "decoder", decoder), Flops.components(c, 100, 1));
        assertEquals(decoder, Flops.iwaeFlopsPerSample(c));
    }

    @Test
    void pixelCnnCountsTheFullMaskedKernel() {
        VaeConfig c = model("model.pixelcnn.layers=2", "model.pixelcnn.channels=8", "model.pixelcnn.kernel=3");
        // 28x28 positions (SAME padding), Bernoulli: one output per pixel
        double layer0 = 2.0 * 784 * 9 * 1 * 8 + 784 * (2.0 * 1 * 8);      // 3x3 mask A (full kernel) + 1x1 projection of the map
        double layer1 = 2.0 * 784 * 9 * 8 * 8 + 784 * (2.0 * 1 * 8);      // 3x3 mask B
        double out = 784 * (2.0 * 8 * 1);                                // 1x1 output layer
        assertEquals(112_896 + 12_544 + 903_168 + 12_544 + 12_544, layer0 + layer1 + out);
        assertEquals(Map.of("encoder", REFERENCE_ENCODER, "decoder", REFERENCE_DECODER + layer0 + layer1 + out), Flops.components(c, 100, 1));
        assertEquals(REFERENCE_DECODER + 1_053_696, Flops.iwaeFlopsPerSample(c));
    }

    @Test
    void rgbPixelCnnFirstLayerReadsThreeChannelsAndProjectsTheMixtureOutputs() {
        ImageShape cifar = new ImageShape(32, 32, 3);
        VaeConfig conv = VaeConfig.from(Settings.load(java.util.List.of("../conf/models/conv-logistic-cifar10.conf"),
                java.util.List.of()).config(), cifar);
        VaeConfig pixel = VaeConfig.from(Settings.load(java.util.List.of("../conf/models/pixelcnn-logistic-cifar10.conf"),
                java.util.List.of()).config(), cifar);
        // 32x32 positions (SAME padding); 10 logistics x (weight, 3 means, 3 scales, 3 coefficients) = 100 outputs per pixel
        double projection = 1024 * (2.0 * 100 * 32);                    // 1x1 projection of the decoder map into each layer
        double layer0 = 2.0 * 1024 * 25 * 3 * 32 + projection;          // 5x5 mask A over the 3 image channels (full kernel)
        double layer1 = 2.0 * 1024 * 25 * 32 * 32 + projection;         // 5x5 mask B, 32 maps in and out
        double out = 1024 * (2.0 * 32 * 100);                           // 1x1 output layer to the 100 mixture outputs
        assertEquals(4_915_200 + 6_553_600, layer0);
        assertEquals(52_428_800 + 6_553_600, layer1);
        assertEquals(135_987_200, layer0 + 2 * layer1 + out);
        assertEquals(Flops.iwaeFlopsPerSample(conv) + 135_987_200, Flops.iwaeFlopsPerSample(pixel));
        assertEquals(Flops.components(conv, 100, 1).get("decoder") + 135_987_200, Flops.components(pixel, 100, 1).get("decoder"));
        assertEquals(Flops.components(conv, 100, 1).get("encoder"), Flops.components(pixel, 100, 1).get("encoder"));
    }

    @Test
    void vampPriorEncodesItsPseudoInputsOncePerMinibatch() {
        VaeConfig c = model("model.prior.kind=vamp", "model.prior.components=500");
        double pseudo = 500.0 / 100 * REFERENCE_ENCODER;   // K = 500 encoder rows per minibatch of B = 100
        double mixture = 2.0 * 500 * (2 * 40);            // [S B, 2d] x [2d, K], per sample
        assertEquals(3_492_000, pseudo);
        assertEquals(80_000, mixture);
        assertEquals(Map.of("encoder", REFERENCE_ENCODER, "decoder", REFERENCE_DECODER, "prior_mixture", mixture, "prior_pseudo_inputs", pseudo),
                Flops.components(c, 100, 1));
        assertEquals(3 * (REFERENCE_ENCODER + REFERENCE_DECODER + mixture + pseudo), Flops.trainingFlopsPerExample(c, 100, 1));
        assertEquals(3 * (REFERENCE_ENCODER + REFERENCE_DECODER + mixture + 500.0 / 50 * REFERENCE_ENCODER),
                Flops.trainingFlopsPerExample(c, 50, 1), "half the batch, twice the pseudo-input share");
        assertEquals(REFERENCE_DECODER + mixture, Flops.iwaeFlopsPerSample(c), "pseudo-inputs are once per chunk, not per sample");
    }

    @Test
    void mixtureOfGaussiansIsOneGemmPerSample() {
        VaeConfig c = model("model.prior.kind=mog", "model.prior.components=50");
        assertEquals(REFERENCE_DECODER + 2.0 * 50 * 80, Flops.iwaeFlopsPerSample(c));
    }

    @Test
    void hvaeCountsBothStochasticLayers() {
        VaeConfig c = model("model.kind=hvae", "model.latent-dim=40", "model.hierarchy.top-latent-dim=40", "model.hierarchy.hidden=[300, 300]");
        double qZ1 = 2 * (300 + 40) * 300 + 2 * 300 * 300 + 2 * (2 * 300 * 40);   // on [encoder features, z2]
        double pZ1 = 2 * 40 * 300 + 2 * 300 * 300 + 2 * (2 * 300 * 40);          // on z2
        double decoder = 2 * (40 + 40) * 300 + 2 * 300 * 300 + 2 * 300 * 784;    // on [z1, z2]
        assertEquals(432_000, qZ1);
        assertEquals(252_000, pZ1);
        assertEquals(698_400, decoder);
        assertEquals(Map.of("encoder", REFERENCE_ENCODER, "q_z1", qZ1, "p_z1", pZ1, "decoder", decoder), Flops.components(c, 100, 1));
        assertEquals(1_382_400, Flops.iwaeFlopsPerSample(c));
        assertEquals(3 * (REFERENCE_ENCODER + 2 * 1_382_400), Flops.trainingFlopsPerExample(c, 100, 2));
    }

    @Test
    void mvaeCountsBothExpertsAndTheDecodersOfItsThreeTerms() {
        VaeConfig c = model("model.kind=mvae", "model.multimodal.label-hidden=[50]");
        double labelExpert = 2 * 10 * 50 + 2 * (2 * 50 * 40);
        double labelDecoder = 2 * 40 * 50 + 2 * 50 * 10;
        assertEquals(Map.of("expert_0", REFERENCE_ENCODER, "expert_1", labelExpert, "decoder", 2 * REFERENCE_DECODER,
                "label_decoder", 2 * labelDecoder), Flops.components(c, 100, 1));
        VaeConfig halves = model("model.kind=mvae", "model.multimodal.modalities=halves");
        double halfExpert = 2 * 392 * 300 + 2 * 300 * 300 + 2 * (2 * 300 * 40);
        assertEquals(Map.of("expert_0", halfExpert, "expert_1", halfExpert, "decoder", 3 * REFERENCE_DECODER),
                Flops.components(halves, 100, 1));
    }

    @Test
    void iafCountsItsMadeStepsPerSample() {
        VaeConfig c = model("model.posterior.kind=iaf", "model.posterior.length=2", "model.posterior.iaf.hidden=[320]",
                "model.posterior.iaf.context=100");
        double context = 2 * 300 * 100;                                          // encoder features -> h, once per example
        double step = 2 * 40 * 320 + 2 * 100 * 320 + 2 * (2 * 320 * 40);          // masked 40 -> 320, h -> 320, heads m and s
        assertEquals(140_800, step);
        assertEquals(Map.of("encoder", REFERENCE_ENCODER, "flow_context", context, "decoder", REFERENCE_DECODER, "flow", 2 * step),
                Flops.components(c, 100, 1));
        assertEquals(REFERENCE_DECODER + 281_600, Flops.iwaeFlopsPerSample(c));
    }

    @Test
    void planarHeadsRunOncePerExample() {
        VaeConfig c = model("model.posterior.kind=planar", "model.posterior.length=4");
        double heads = 4 * (2 * (2 * 300 * 40) + 2 * 300 * 1);   // u, w [300 -> 40] and b [300 -> 1] per step
        assertEquals(Map.of("encoder", REFERENCE_ENCODER, "flow_context", heads, "decoder", REFERENCE_DECODER), Flops.components(c, 100, 1));
        assertEquals(REFERENCE_DECODER, Flops.iwaeFlopsPerSample(c), "the planar steps themselves are elementwise");
    }

    @Test
    void flowPriorRunsItsMadesPerSample() {
        VaeConfig c = model("model.prior.kind=flow", "model.prior.flow.steps=2", "model.prior.flow.hidden=[200]");
        double step = 2 * 40 * 200 + 2 * (2 * 200 * 40);
        assertEquals(REFERENCE_DECODER + 2 * step, Flops.iwaeFlopsPerSample(c));
    }
}
