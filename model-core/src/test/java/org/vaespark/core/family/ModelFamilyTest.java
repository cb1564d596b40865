package org.vaespark.core.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.checkpoint.Checkpoint;
import org.vaespark.core.checkpoint.CheckpointIO;
import org.vaespark.core.checkpoint.CheckpointMetadata;
import org.vaespark.core.checkpoint.Versions;
import org.vaespark.core.config.Settings;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.samediff.ModelGraph;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.GradientCheck;
import org.vaespark.core.testing.Variant;
import org.vaespark.core.testing.VariantData;
import org.vaespark.core.testing.Variants;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.train.PartitionTrainer;
import org.vaespark.core.train.RoundResult;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;

/**
 * The same battery for every model variant (STYLE.md, point 10): a tiny fit on real MNIST rows
 * improves the ELBO without NaN; save, load and identical outputs; reverse-mode gradients of
 * the whole graph match finite differences in double precision.
 */
class ModelFamilyTest {

    static List<Variant> variants() {
        return Variants.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void aTinyFitImprovesTheElboWithoutNaN(Variant v) {
        Settings s = v.settings();
        TrainConfig tc = TrainConfig.from(s.config());
        Shard data = VariantData.train(v, 300);
        VaeConfig mc = VaeConfig.from(s.config(), VariantData.shape(v));
        PartitionTrainer trainer = new PartitionTrainer(tc, data);
        Vae model = VariantData.initialise(mc, tc, data);
        NamedArrays p = model.parameters();
        RoundResult first = trainer.run(model, p, AdamState.zeros(p), 5);
        RoundResult later = trainer.run(model, first.parameters(), first.adam(), 40);
        RoundResult last = trainer.run(model, later.parameters(), later.adam(), 5);
        double before = first.elboSum() / first.examples();
        double after = last.elboSum() / last.examples();
        assertTrue(Double.isFinite(after) && last.parameters().allFinite(), v + ": NaN in training");
        assertTrue(after > before + 10, v + ": ELBO did not improve: " + before + " -> " + after);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void saveLoadGivesIdenticalOutputs(Variant v, @TempDir Path dir) {
        Settings s = v.settings();
        TrainConfig tc = TrainConfig.from(s.config());
        Shard data = VariantData.train(v, 50);
        VaeConfig mc = VaeConfig.from(s.config(), VariantData.shape(v));
        Vae vae = VariantData.initialise(mc, tc, data);
        NamedArrays params = vae.parameters().map((n, a) -> {
            float[] c = a.clone();
            for (int i = 0; i < c.length; i++) {
                c[i] += 0.003f * (i % 5);
            }
            return c;
        });
        vae.setParameters(params);
        Path written = CheckpointIO.write(dir, new Checkpoint(new CheckpointMetadata(CheckpointMetadata.FORMAT_VERSION,
                s.toJson(), mc.inputDim(), mc.image(), "/data/x", "test", 1, 0, 0, 1, 0, params.size(), Versions.all(),
                "2026-11-21T00:00:00Z"), params, AdamState.zeros(params)));
        Checkpoint back = CheckpointIO.read(written);
        assertEquals(mc, back.modelConfig());
        Vae loaded = Vae.withParameters(back.modelConfig(), back.parameters());
        Vae.Feed feed = VariantData.feed(v, mc, data, 4, 3, DataType.FLOAT);
        String[] names = {VaeNames.LOG_PX_Z, VaeNames.LOG_PZ, VaeNames.LOG_QZ_X, VaeNames.LOG_W};
        Map<String, INDArray> a = vae.output(feed, names);
        Map<String, INDArray> b = loaded.output(feed, names);
        for (String n : names) {
            assertEquals(a.get(n), b.get(n), v + ": " + n + " differs after save and load");
            for (double x : a.get(n).castTo(DataType.DOUBLE).dup().data().asDouble()) {
                assertTrue(Double.isFinite(x), v + ": " + n + " is not finite");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void gradientsMatchFiniteDifferencesInDoublePrecision(Variant v) {
        Settings s = v.settings().with(VariantData.tinyOverrides(v));
        TrainConfig tc = TrainConfig.from(s.config());
        Shard data = VariantData.train(v, 20);
        VaeConfig mc = VaeConfig.from(s.config(), VariantData.shape(v));
        NamedArrays params = VariantData.initialise(mc, tc, data).parameters();
        SameDiff sd = ModelGraph.build(mc, params, DataType.DOUBLE);
        Vae.Feed feed = VariantData.feed(v, mc, data, 3, 2, DataType.DOUBLE);
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(VaeNames.X, feed.x());
        ph.put(VaeNames.EPS, feed.eps());
        if (sd.hasVariable(VaeNames.BETA)) {
            ph.put(VaeNames.BETA, Nd4j.scalar(0.7));
        }
        if (sd.hasVariable(VaeNames.Y)) {
            ph.put(VaeNames.Y, feed.labels());
        }
        if (sd.hasVariable(VaeNames.LABELLED)) {
            ph.put(VaeNames.LABELLED, feed.labelled());
        }
        GradientCheck.check(sd, ph, VaeNames.LOSS, 4, 1e-4);
    }
}
