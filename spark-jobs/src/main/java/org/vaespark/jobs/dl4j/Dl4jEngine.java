package org.vaespark.jobs.dl4j;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.optim.AdamState;
import org.vaespark.core.train.Shard;
import org.vaespark.core.train.TrainConfig;
import org.vaespark.jobs.train.RoundLog;
import org.vaespark.jobs.train.RunDirectory;
import org.vaespark.jobs.train.TrainingRun;
import org.vaespark.jobs.train.SparkTrainer;

/**
 * {@code train.engine = dl4j}: the model graph as a {@link Dl4jVaeLayer} in a one-layer
 * {@link ComputationGraph}, trained by DL4J's {@link SparkComputationGraph} with a
 * {@link ParameterAveragingTrainingMaster} (parameter averaging, McDonald et al. 2010; Adam
 * moments averaged too): {@code train.partitions} workers, minibatches of
 * {@code train.batch-size}, an average every {@code train.averaging-frequency} minibatches.
 * One {@code fit} per epoch over that epoch's minibatches ({@link Dl4jBatches}, DL4J exports and
 * repartitions them itself). After each epoch the driver appends a metrics.jsonl line, feeds the epoch's
 * averaging rounds to the progress lines of the other engine ({@link RoundLog}: a line every
 * {@code progress.interval-seconds} that summarises the epochs since the last one; the train ELBO is the averaged
 * parameters' on the first rows of partition 0 at the end of each epoch) and, when a
 * multiple of {@code train.checkpoint-every-rounds} rounds was passed (and at the end), writes
 * our checkpoint, which EvaluateJob reads like any other.
 *
 * <p>Only {@code model.kind = vae}: DL4J feeds an output layer features and labels only, which
 * here carry x and the noise, leaving no room for class labels (CVAE, M2); the HVAE is refused
 * as untested. DL4J's scoreExamples is not implemented for SameDiff output layers: evaluation
 * stays on our estimators.
 */
public final class Dl4jEngine {
    /** Name of the one layer of the network. */
    public static final String LAYER = "vae";
    private static final int ELBO_ROWS = 500;

    private final TrainingRun out;
    private final VaeConfig model;
    private final TrainConfig train;
    private final RunDirectory run;

    public Dl4jEngine(TrainingRun out) {
        check(out.model());
        this.out = out;
        this.model = out.model();
        this.train = out.train();
        this.run = out.run();
    }

    /** Fails with a configuration error for models the DL4J engine cannot train. */
    public static void check(VaeConfig model) {
        if (model.kind() != ModelKind.VAE) {
            throw Errors.badConfigValue("train.engine", "dl4j", "samediff for model.kind = " + model.kind().name().toLowerCase(Locale.ROOT)
                    + " (the dl4j engine trains model.kind = vae only: DL4J feeds its output layer features and labels, "
                    + "which carry x and the noise, so no class labels reach the graph)");
        }
    }

    /** The one-layer network with {@code params} and {@code adam} loaded. */
    public static ComputationGraph network(VaeConfig model, TrainConfig train, NamedArrays params, AdamState adam) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(train.seed())
                .dataType(DataType.FLOAT)
                .updater(new Adam(train.learningRate(), train.beta1(), train.beta2(), train.epsilon()))
                .graphBuilder()
                .addInputs("x")
                .setInputTypes(InputType.feedForward(model.inputDim()))
                .addLayer(LAYER, new Dl4jVaeLayer(model, train.samples(), train.seed()), "x")
                .setOutputs(LAYER)
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        Dl4jState.load(net, LAYER, params, adam);
        return net;
    }

    /** The training master of this configuration. */
    public static ParameterAveragingTrainingMaster master(TrainConfig train) {
        return new ParameterAveragingTrainingMaster.Builder(train.partitions(), train.batchSize())
                .batchSizePerWorker(train.batchSize())
                .averagingFrequency(train.averagingFrequency())
                .workerPrefetchNumBatches(0)
                .saveUpdater(true)
                .rddTrainingApproach(RDDTrainingApproach.Export)
                .rngSeed(train.seed())
                .build();
    }

    /** Trains from {@code start} until {@code totalRounds} averaging rounds ({@code train.epochs} epochs); returns the last checkpoint. */
    public Path train(JavaSparkContext sc, JavaRDD<Shard> shards, SparkTrainer.Start start, long totalRounds) {
        long trainExamples = shards.map(Shard::size).reduce(Integer::sum);
        long perRound = (long) train.batchSize() * train.averagingFrequency() * train.partitions();
        Shard elboRows = shards.map(Dl4jEngine::head).first();
        ComputationGraph net = network(model, train, start.parameters(), start.adam());
        SparkComputationGraph spark = new SparkComputationGraph(sc, net, master(train));
        long examplesSeen = start.examplesSeen();
        long firstEpoch = Math.round((double) examplesSeen / trainExamples);
        double wallBefore = start.wallSeconds();
        long t0 = System.nanoTime();
        long previousRounds = start.round();
        RoundLog progress = new RoundLog(previousRounds, totalRounds, out.progressSeconds());
        Path last = null;
        VaeConfig m = model;
        TrainConfig t = train;
        for (long epoch = firstEpoch; epoch < train.epochs(); epoch++) {
            long e = epoch;
            long epochStart = System.nanoTime();
            JavaRDD<DataSet> data = shards.flatMap(s -> Dl4jBatches.of(m, t, s, e).iterator());
            spark.fit(data);
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            examplesSeen += trainExamples;
            long rounds = Math.min(totalRounds, Math.max(1, ((epoch + 1) * trainExamples + perRound - 1) / perRound));
            NamedArrays params = Dl4jState.parameters(spark.getNetwork(), LAYER);
            AdamState adam = Dl4jState.adam(spark.getNetwork(), LAYER);
            double elbo = meanElbo(params, elboRows, epoch);
            double loss = spark.getScore();
            if (!params.allFinite() || !Double.isFinite(elbo)) {
                throw Errors.numericalFailure("epoch " + (epoch + 1), "the averaged parameters or the training ELBO are not finite",
                        "lower train.learning-rate or resume from the last checkpoint in " + run.checkpoints());
            }
            double wall = wallBefore + (System.nanoTime() - t0) / 1e9;
            progress.add(previousRounds + 1, rounds, trainExamples, seconds, elbo, (double) examplesSeen / trainExamples);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("round", rounds);
            line.put("epoch", (double) examplesSeen / trainExamples);
            line.put("adam_step", adam.step());
            line.put("examples_seen", examplesSeen);
            line.put("examples_per_second", trainExamples / seconds);
            line.put("train_elbo", elbo);
            line.put("train_loss", loss);
            line.put("replicas", train.partitions());
            line.put("wall_seconds", wall);
            line.put("engine", "dl4j");
            run.appendMetrics(List.of(line));
            boolean checkpoint = rounds / train.checkpointEvery() > previousRounds / train.checkpointEvery();
            if (checkpoint || epoch + 1 == train.epochs()) {
                last = out.checkpoint(rounds, params, adam, examplesSeen, wall, null);
            }
            previousRounds = rounds;
        }
        return last;
    }

    /**
     * The mean ELBO of the averaged parameters on the first {@value #ELBO_ROWS} rows of
     * partition 0, with the epoch's training noise: DL4J reports only the loss of each
     * worker's last minibatch, so the driver evaluates the same graph itself.
     */
    private double meanElbo(NamedArrays params, Shard rows, long epoch) {
        int[] all = new int[rows.size()];
        Arrays.setAll(all, i -> i);
        DataSet batch = Dl4jBatches.batch(model, train, rows, all, epoch, 1.0);
        org.nd4j.linalg.api.ndarray.INDArray eps = batch.getLabels()
                .get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, (long) train.samples() * model.noiseDim()))
                .dup('c').reshape(rows.size(), train.samples(), model.noiseDim()).permute(1, 0, 2).dup('c');
        Vae vae = Vae.withParameters(model, params);
        return Arrays.stream(Vae.elbo(vae.output(batch.getFeatures(), eps, vae.trainingOutputs()))).average().orElse(Double.NaN);
    }

    private static Shard head(Shard s) {
        int n = Math.min(ELBO_ROWS, s.size());
        return new Shard(s.partition(), Arrays.copyOf(s.ids(), n), Arrays.copyOf(s.pixels(), n * s.dim()), s.dim(),
                Arrays.copyOf(s.labels(), n));
    }
}
