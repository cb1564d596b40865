package org.vaespark.core.cpu;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.vaespark.core.config.Settings;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.MnistRows;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.train.PartitionTrainer;
import org.vaespark.core.train.RoundResult;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;

/**
 * Opt-in speed check of the CPU executor against the graph on full-size models of the family, one
 * process, the machine's threads: {@code mvn -o -q -pl model-core -am test -Dtest=CpuTrainBenchmark
 * -Dvaespark.bench=true -Dsurefire.failIfNoSpecifiedTests=false}. Prints examples/s of each executor and the speed-up.
 */
@EnabledIfSystemProperty(named = "vaespark.bench", matches = "true")
class CpuTrainBenchmark {
    @Test
    void examplesPerSecond() {
        Shard data = MnistRows.binarized("train", 5000, 0);
        List<List<String>> models = List.of(
                List.of("model.architecture=gated", "model.prior.kind=vamp", "model.prior.components=500"),
                List.of("model.kind=hvae", "model.architecture=gated", "model.prior.kind=vamp", "model.prior.components=500"),
                List.of("model.kind=hvae", "model.architecture=gated", "model.prior.kind=mog", "model.prior.components=500"),
                List.of("model.activation=tanh", "model.encoder.hidden=[200, 200]", "model.decoder.hidden=[200, 200]",
                        "model.latent-dim=50", "model.objective.kind=iwae", "train.samples=5"),
                List.of("model.architecture=conv"),
                List.of("model.pixelcnn.layers=3"));
        for (List<String> o : models) {
            Settings s = Settings.defaults(o.toArray(new String[0]));
            TrainConfig tc = TrainConfig.from(s.config());
            VaeConfig c = VaeConfig.from(s.config(), new org.vaespark.core.model.ImageShape(28, 28, 1));
            boolean slow = c.network().pixelCnnLayers() > 0 || c.network().architecture() == org.vaespark.core.model.Architecture.CONV;
            Vae model = Vae.initialise(c, 1);
            NamedArrays p = model.parameters();
            double cpu = rate(new PartitionTrainer(tc.withBackend(Backend.CPU), data), model, p, slow ? 20 : 200, slow ? 30 : 300);
            double graph = rate(new PartitionTrainer(tc.withBackend(Backend.GRAPH), data), model, p, slow ? 1 : 5, slow ? 2 : 20);
            System.out.printf("%s%n  cpu %.0f ex/s, graph %.0f ex/s, speed-up %.1fx%n", c.describe(), cpu, graph, cpu / graph);
        }
    }

    private static double rate(PartitionTrainer t, Vae model, NamedArrays p, int warm, int steps) {
        RoundResult w = t.run(model, p, AdamState.zeros(p), warm);
        long t0 = System.nanoTime();
        RoundResult r = t.run(model, w.parameters(), w.adam(), steps);
        return r.examples() / ((System.nanoTime() - t0) / 1e9);
    }
}
