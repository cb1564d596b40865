package org.vaespark.core.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.eval.ExampleEstimate;
import org.vaespark.core.eval.IwaeEstimator;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.TestConfigs;
import org.vaespark.core.testing.Variant;
import org.vaespark.core.testing.VariantData;
import org.vaespark.core.testing.Variants;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.train.PartitionTrainer;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.RoundResult;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;

/**
 * Training and IWAE-k evaluation on the CPU executor: the estimates of both executors agree at
 * k = 5000 on real rows, the executor is chosen visibly, and training stays deterministic and
 * resumes bit-exactly.
 */
class CpuTrainingTest {
    static List<Variant> iwaeVariants() {
        return Variants.cpuExtras().stream().filter(v -> List.of("cpu-gaussian-learned", "cpu-hvae-mog", "cpu-hvae-vamp-gated", "cpu-pixelcnn-rgb-random")
                .contains(v.name())).toList();
    }

    static List<Variant> familyVariants() {
        return Variants.all().stream().filter(v -> List.of("vamp", "mog", "hvae", "gated", "m2", "iaf", "flow-prior", "logistic", "conv-bernoulli", "pixelcnn").contains(v.name())).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"iwaeVariants", "familyVariants"})
    void iwae5000AgreesWithTheGraph(Variant v) {
        VaeConfig c = VaeConfig.from(v.settings().config(), VariantData.shape(v));
        TrainConfig tc = TrainConfig.from(v.settings().config());
        Shard data = VariantData.train(v, 30);
        Vae model = VariantData.initialise(c, tc, data);
        model.setParameters(CpuExecutorTest.moved(model.parameters(), 11));
        int n = 2;
        long[] ids = {data.ids()[0], data.ids()[1]};
        float[] x = new float[n * c.inputDim()];
        for (int i = 0; i < n; i++) {
            PixelEncoding.encode(data.pixels(), i, c.inputDim(), ids[i], tc.binarization(), 5, 0, x, i);
        }
        IwaeEstimator cpu = new IwaeEstimator(model, 5000, 500, 17, Backend.CPU);
        IwaeEstimator graph = new IwaeEstimator(model, 5000, 500, 17, Backend.GRAPH);
        assertTrue(cpu.executor().cpu(), cpu.executor().describe());
        ExampleEstimate[] a = cpu.estimate(ids, x);
        ExampleEstimate[] b = graph.estimate(ids, x);
        for (int i = 0; i < n; i++) {
            double tolerance = Math.max(1e-3, 1e-5 * Math.abs(b[i].logLikelihood()));
            assertEquals(b[i].logLikelihood(), a[i].logLikelihood(), tolerance, v + " IWAE-5000 of example " + i);
            assertEquals(b[i].elbo(), a[i].elbo(), Math.max(1e-3, 1e-5 * Math.abs(b[i].elbo())), v + " ELBO of example " + i);
        }
    }

    @Test
    void trainingIsDeterministicAndResumesBitExactly() {
        Variant v = Variants.cpuExtras().stream().filter(x -> x.name().equals("cpu-hvae-vamp-gated")).findFirst().orElseThrow();
        VaeConfig c = VaeConfig.from(v.settings().config(), VariantData.shape(v));
        TrainConfig tc = TrainConfig.from(v.settings().config()).withBackend(Backend.CPU);
        Shard data = VariantData.train(v, 100);
        Vae model = VariantData.initialise(c, tc, data);
        NamedArrays p = model.parameters();
        PartitionTrainer trainer = new PartitionTrainer(tc, data);
        assertTrue(trainer.executor(c).cpu());
        RoundResult whole = trainer.run(model, p, AdamState.zeros(p), 12);
        RoundResult again = new PartitionTrainer(tc, data).run(model, p, AdamState.zeros(p), 12);
        RoundResult half = trainer.run(model, p, AdamState.zeros(p), 6);
        RoundResult resumed = trainer.run(model, half.parameters(), half.adam(), 6);
        assertTrue(whole.parameters().identicalTo(again.parameters()), "a retried task gives the same bits");
        assertTrue(whole.parameters().identicalTo(resumed.parameters()), "6 + 6 steps give the bits of 12");
        assertEquals(whole.adam().step(), resumed.adam().step());
        assertTrue(whole.elboSum() / whole.examples() > -1000 && whole.parameters().allFinite());
    }

    @Test
    void aCheckpointOfOneExecutorTrainsOnTheOther() {
        Variant v = Variants.all().stream().filter(x -> x.name().equals("vamp")).findFirst().orElseThrow();
        VaeConfig c = VaeConfig.from(v.settings().config(), VariantData.shape(v));
        TrainConfig tc = TrainConfig.from(v.settings().config());
        Shard data = VariantData.train(v, 200);
        Vae model = VariantData.initialise(c, tc, data);
        NamedArrays p = model.parameters();
        RoundResult graph = new PartitionTrainer(tc.withBackend(Backend.GRAPH), data).run(model, p, AdamState.zeros(p), 20);
        RoundResult cpu = new PartitionTrainer(tc.withBackend(Backend.CPU), data).run(model, graph.parameters(), graph.adam(), 30);
        RoundResult back = new PartitionTrainer(tc.withBackend(Backend.GRAPH), data).run(model, cpu.parameters(), cpu.adam(), 5);
        assertEquals(55, back.adam().step());
        assertTrue(back.parameters().allFinite());
        assertTrue(cpu.elboSum() / cpu.examples() > graph.elboSum() / graph.examples(), "training went on improving");
    }

    @Test
    void theChoiceIsVisibleAndAnUnknownBackendIsAConfigError() {
        VaeConfig pixel = VaeConfig.from(TestConfigs.small("model.pixelcnn.layers=1", "model.pixelcnn.channels=4").config(),
                new org.vaespark.core.model.ImageShape(28, 28, 1));
        ExecutorChoice cpu = ExecutorChoice.of(pixel, Backend.CPU);
        assertEquals(ExecutorChoice.CPU, cpu.executor());
        assertTrue(cpu.describe().contains("model.backend = cpu"), cpu.describe());
        assertEquals(ExecutorChoice.CPU, ExecutorChoice.of(pixel, Backend.AUTO).executor());
        assertEquals(ExecutorChoice.GRAPH, ExecutorChoice.of(pixel, Backend.GRAPH).executor());
        VaeException e = assertThrows(VaeException.class, () -> TrainConfig.from(TestConfigs.small("model.backend=gpu").config()));
        assertTrue(e.getMessage().contains("model.backend"), e.getMessage());
        VaeException dl4j = assertThrows(VaeException.class,
                () -> TrainConfig.from(TestConfigs.small("model.backend=cpu", "train.engine=dl4j").config()));
        assertTrue(dl4j.getMessage().contains("train.engine = dl4j"), dl4j.getMessage());
    }
}
