package org.vaespark.core.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vaespark.core.config.Settings;
import org.vaespark.core.eval.ExampleEstimate;
import org.vaespark.core.eval.IwaeEstimator;
import org.vaespark.core.eval.MultimodalEvaluation;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.train.PartitionTrainer;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.Replica;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;

/**
 * A short MVAE training run (Wu &amp; Goodman 2018) on real MNIST rows (raw MNIST with its labels, dynamically
 * binarized), with a quarter of the examples unpaired, through the trainer's own replica on the CPU executor: the
 * training loss falls, and the joint ELBO of held-out test rows beats the untrained model's; the multimodal evaluation
 * ({@link MultimodalEvaluation}) sees the image predict the label, or the top half the bottom, better than before.
 */
class MultimodalTrainingTest {
    static Settings settings(String modalities) {
        return Settings.defaults("model.kind=mvae", "model.multimodal.modalities=" + modalities, "model.encoder.hidden=[200]",
                "model.decoder.hidden=[200]", "model.latent-dim=16", "model.multimodal.label-hidden=[64]",
                "model.multimodal.weights=" + (modalities.equals("image-label") ? "[1.0, 50.0]" : "[1.0, 1.0]"),
                "model.multimodal.unpaired-fraction=0.25", "data.binarization=dynamic", "train.batch-size=50",
                "train.learning-rate=0.001", "train.seed=3");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"image-label", "halves"})
    void theLossFallsAndTheJointElboBeatsTheUntrainedModel(String modalities) {
        Settings s = settings(modalities);
        VaeConfig c = VaeConfig.from(s.config(), new ImageShape(28, 28, 1));
        TrainConfig tc = TrainConfig.from(s.config());
        Shard train = MnistRows.raw("train", 1000, 0);
        Shard test = MnistRows.raw("t10k", 100, 0);
        Vae model = Vae.initialise(c, tc.seed());
        double untrained = meanElbo(model, test, tc);
        PartitionTrainer trainer = new PartitionTrainer(tc, train);
        double first;
        double last;
        try (Replica r = trainer.open(model, model.parameters(), AdamState.zeros(model.parameters()))) {
            Replica.Round start = r.run(10);
            first = start.elboSum() / start.examples();
            r.run(240);
            Replica.Round end = r.run(10);
            last = end.elboSum() / end.examples();
            model.setParameters(r.layout().parameters(r.pack()));
        }
        double trained = meanElbo(model, test, tc);
        Figures before = evaluate(Vae.initialise(c, tc.seed()), test, tc);
        Figures after = evaluate(model, test, tc);
        String figures = "before " + before + ", after " + after;
        assertTrue(last > first + 50, "training ELBO " + first + " -> " + last);
        assertTrue(trained > untrained + 50, "held-out joint ELBO " + untrained + " untrained, " + trained + " trained");
        assertTrue(trained < 0, "a joint ELBO of binary images is negative: " + trained);
        assertTrue(after.joint() > before.joint() + 50, figures);
        assertTrue(after.joint() > trained - 1, "IWAE-50 of the joint is not below its ELBO: " + figures + ", ELBO " + trained);
        if (modalities.equals("image-label")) {
            assertTrue(after.accuracy() > 0.5 && before.accuracy() < 0.3, "image -> label accuracy: " + figures);
            assertTrue(after.first() > after.joint(), "log p(image) >= log p(image, label): " + figures);
        } else {
            assertTrue(after.bottomMse() < 0.6 * before.bottomMse(), "bottom half from the top: " + figures);
        }
    }

    record Figures(double joint, double first, double second, double accuracy, double bottomMse) {
    }

    /** Means over the test rows of the multimodal evaluation's figures (IWAE-50). */
    static Figures evaluate(Vae model, Shard test, TrainConfig tc) {
        VaeConfig c = model.config();
        int n = test.size();
        float[] x = new float[n * c.inputDim()];
        for (int i = 0; i < n; i++) {
            PixelEncoding.encode(test.pixels(), i, c.inputDim(), test.ids()[i], tc.binarization(), 5, 0, x, i);
        }
        MultimodalEvaluation.Estimate[] e = new MultimodalEvaluation(c, model.parameters(), 50, 25, 17)
                .estimate(test.ids(), x, test.labels());
        double[] sums = new double[5];
        for (MultimodalEvaluation.Estimate v : e) {
            for (int m = 0; m < 3; m++) {
                sums[m] += v.iwae()[m] / n;
            }
            sums[3] += (v.label() == v.predicted() ? 1.0 : 0.0) / n;
            sums[4] += v.bottomMse() / n;
        }
        return new Figures(sums[0], sums[1], sums[2], sums[3], sums[4]);
    }

    /** The mean over the test rows of the joint ELBO (10 samples, evaluation noise). */
    static double meanElbo(Vae model, Shard test, TrainConfig tc) {
        VaeConfig c = model.config();
        int n = test.size();
        float[] x = new float[n * c.inputDim()];
        for (int i = 0; i < n; i++) {
            PixelEncoding.encode(test.pixels(), i, c.inputDim(), test.ids()[i], tc.binarization(), 5, 0, x, i);
        }
        ExampleEstimate[] e = new IwaeEstimator(model, 10, 10, 17, Backend.CPU).estimate(test.ids(), x, test.labels());
        double sum = 0;
        for (ExampleEstimate v : e) {
            sum += v.elbo();
        }
        return sum / n;
    }
}
