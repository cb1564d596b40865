package org.vaespark.jobs.eval;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.eval.Summary;
import org.vaespark.core.eval.posterior.AggregatePosterior;
import org.vaespark.core.eval.posterior.EncodedExample;
import org.vaespark.core.eval.posterior.GaussianMixtureDensity;
import org.vaespark.core.eval.posterior.PosteriorConfig;
import org.vaespark.core.eval.posterior.PosteriorEncoder;
import org.vaespark.core.eval.posterior.SampledPosterior;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.train.NativeThreads;
import org.vaespark.jobs.progress.SparkProgress;
import org.vaespark.jobs.train.TaskGpu;
import scala.Tuple2;

/**
 * "ELBO surgery" (Hoffman &amp; Johnson 2016) over a split, distributed over Spark partitions:
 * E_x KL(q(z|x) || p(z)) = I_q(x; z) + KL(q(z) || p(z)), with the aggregated posterior
 * q(z) = (1/M) sum_m q(z|x_m) over a seeded sample of M encoder outputs. Pass 1 encodes every
 * example (moments, one sample z, log q(z|x), log p(z), KL); the M-sample is collected and
 * broadcast; pass 2 evaluates log q(z_n) for every example's sample. Also: active units (Burda
 * et al. 2016) from the variance of the encoder means (MLlib Summarizer), KL per dimension, and a
 * post-hoc mixture prior ({@link PosthocMixture}). Examples are evaluated in fixed id blocks and
 * summaries are taken over per-example values sorted by id, so figures do not depend on partitioning
 * (the MLlib reductions only up to the order of floating-point sums). Flow posteriors and the HVAE
 * get per-layer figures from {@link LayeredStatistics} instead; other kinds (M2) get every figure
 * absent with the reason. Each pass over the examples prints its progress lines ({@link ExampleProgress}).
 */
public final class PosteriorStatistics {
    private static final Logger LOG = LoggerFactory.getLogger(PosteriorStatistics.class);
    /** Stream of the uniform keys that rank examples for the M-sample and the mixture comparison. */
    static final long SAMPLE_STREAM = 0x5A3F_1E2D_2016L;
    /** Queries per log q(z) block in pass 2 (a block is an id range, so its composition is fixed). */
    private static final long QUERY_BLOCK = 256;

    private PosteriorStatistics() {
    }

    /** What each task needs. */
    public record Job(VaeConfig model, NamedArrays parameters, EvalConfig eval, Binarization binarization, int threads,
                      PosteriorConfig posterior) implements Serializable {
    }

    /** The per-example terms of the decomposition for one example's sample z. */
    private record Terms(long id, double logQzx, double logQz, double logPz, double kl) implements Serializable {
    }

    /** As {@link #compute(SparkSession, Dataset, Job, int, ExampleProgress)} with the split's own number of partitions. */
    public static PosteriorReport compute(SparkSession spark, Dataset<Row> split, VaeConfig model, NamedArrays parameters,
                                          EvalConfig eval, Binarization binarization, int threads, PosteriorConfig posterior,
                                          ExampleProgress progress) {
        return compute(spark, split, new Job(model, parameters, eval, binarization, threads, posterior),
                Math.max(1, split.javaRDD().getNumPartitions()), progress);
    }

    /** The report, with progress lines per batch of each pass over the examples through {@code progress}. */
    public static PosteriorReport compute(SparkSession spark, Dataset<Row> split, Job job, int partitions, ExampleProgress progress) {
        String unsupported = PosteriorEncoder.unsupported(job.model());
        if (unsupported != null) {
            String sampled = SampledPosterior.unsupported(job.model());
            return sampled == null ? LayeredStatistics.compute(spark, split, job, partitions, progress)
                    : PosteriorReport.absent(unsupported + "; " + sampled);
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<Job> jobB = sc.broadcast(job);
        int dim = job.model().inputDim();
        JavaRDD<EncodedExample> encoded = null;
        try {
            long n;
            try (SparkProgress p = progress.pass(sc.sc(), LOG, "posterior statistics: encoding")) {
                LongAccumulator done = p.accumulator();
                encoded = ExampleBlocks.keyed(split, job.eval().batchSize(), partitions)
                        .mapPartitions(rows -> encode(jobB.value(), rows, dim, done))
                        .persist(StorageLevel.MEMORY_AND_DISK());
                n = encoded.count();
                p.finish();
            }
            if (n == 0) {
                return PosteriorReport.absent("the split has no examples");
            }
            List<EncodedExample> sample = encoded.takeOrdered(job.posterior().sampleSize(), new SampleOrder(job.eval().seed()));
            List<Terms> terms = surgery(sc, encoded, sample, partitions, progress, n);
            List<MetricValue> metrics = new ArrayList<>(decomposition(terms, sample.size(), PosteriorEncoder.factorisedPrior(job.model())));
            Moments moments = Moments.of(spark, encoded, PosteriorEncoder.factorisedPrior(job.model()));
            int active = 0;
            for (double v : moments.meanVariance()) {
                active += v > job.posterior().activeThreshold() ? 1 : 0;
            }
            metrics.add(MetricValue.of(PosteriorReport.ACTIVE_UNITS, active, null, n, null, "latent dimensions (of "
                    + job.model().latentDim() + ") with Var_x(E_q[z_j|x]) > " + job.posterior().activeThreshold()
                    + " (unbiased variance over " + n + " examples; Burda et al. 2016)"));
            metrics.addAll(posthoc(spark, sc, split, job, encoded, n, moments, partitions, progress));
            String klNote = moments.klPerDim() == null ? "prior is not factorised (model.prior.kind="
                    + job.model().prior().kind().name().toLowerCase() + "): no KL per dimension" : null;
            return new PosteriorReport(List.copyOf(metrics), moments.klPerDim(), klNote, moments.meanVariance(), null, null);
        } finally {
            if (encoded != null) {
                encoded.unpersist();
            }
            jobB.destroy();
        }
    }

    private static Iterator<EncodedExample> encode(Job job, Iterator<Tuple2<Long, ExampleBlocks.Example>> rows, int dim,
                                                   LongAccumulator done) {
        if (!rows.hasNext()) {
            return java.util.Collections.emptyIterator();
        }
        NativeThreads.configure(job.threads());
        TaskGpu.bind();
        PosteriorEncoder encoder = new PosteriorEncoder(Vae.withParameters(job.model(), job.parameters()), job.eval().seed());
        return ExampleBlocks.each(rows, dim, job.binarization(), job.eval().seed(), done,
                (ids, x, labels) -> List.of(encoder.encode(ids, x, labels)));
    }

    /** Pass 2: log q(z_n) of every example's sample against the broadcast M-sample; sorted by id. */
    private static List<Terms> surgery(JavaSparkContext sc, JavaRDD<EncodedExample> encoded, List<EncodedExample> sample,
                                       int partitions, ExampleProgress progress, long n) {
        double[][] means = new double[sample.size()][];
        double[][] logvars = new double[sample.size()][];
        for (int m = 0; m < sample.size(); m++) {
            means[m] = sample.get(m).mean();
            logvars[m] = sample.get(m).logvar();
        }
        Broadcast<double[][][]> momentsB = sc.broadcast(new double[][][]{means, logvars});
        List<Terms> terms = new ArrayList<>(progress.collect(sc.sc(), LOG, "posterior statistics: log q(z)", n, done -> encoded
                .mapToPair(e -> new Tuple2<>(e.id() / QUERY_BLOCK, e))
                .partitionBy(new HashPartitioner(partitions))
                .mapPartitions(rows -> logAggregate(momentsB.value(), rows, done))));
        momentsB.destroy();
        terms.sort(Comparator.comparingLong(Terms::id));
        return terms;
    }

    private static Iterator<Terms> logAggregate(double[][][] moments, Iterator<Tuple2<Long, EncodedExample>> rows, LongAccumulator done) {
        java.util.TreeMap<Long, java.util.TreeMap<Long, EncodedExample>> blocks = new java.util.TreeMap<>();
        rows.forEachRemaining(r -> blocks.computeIfAbsent(r._1(), k -> new java.util.TreeMap<>()).put(r._2().id(), r._2()));
        List<Terms> out = new ArrayList<>();
        if (blocks.isEmpty()) {
            return out.iterator();
        }
        AggregatePosterior q = new AggregatePosterior(moments[0], moments[1]);
        for (java.util.TreeMap<Long, EncodedExample> block : blocks.values()) {
            List<EncodedExample> examples = new ArrayList<>(block.values());
            double[][] z = new double[examples.size()][];
            for (int i = 0; i < z.length; i++) {
                z[i] = examples.get(i).z();
            }
            double[] logQz = q.logDensity(z);
            for (int i = 0; i < z.length; i++) {
                EncodedExample e = examples.get(i);
                out.add(new Terms(e.id(), e.logQzx(), logQz[i], e.logPz(), e.kl()));
            }
            done.add(z.length);
        }
        return out.iterator();
    }

    /** MI, marginal KL, average KL and the gap between the average KL and their sum. */
    private static List<MetricValue> decomposition(List<Terms> terms, int m, boolean analytic) {
        Summary mi = new Summary();
        Summary marginal = new Summary();
        Summary kl = new Summary();
        Summary gap = new Summary();
        for (Terms t : terms) {
            mi.add(t.logQzx() - t.logQz());
            marginal.add(t.logQz() - t.logPz());
            kl.add(t.kl());
            gap.add(t.kl() - (t.logQzx() - t.logPz()));
        }
        String q = "log q(z) = log-mean-exp over M = " + m + " encoder outputs (a seeded sample of the split, each example "
                + "counted in q(z) when sampled), one z ~ q(z|x) per example";
        String klHow = analytic ? "closed form -1/2 sum_j (1 + log sigma_j^2 - mu_j^2 - sigma_j^2) (N(0, I) prior)"
                : "Monte-Carlo log q(z'|x) - log p(z') with a second, independent sample z' (prior is not factorised)";
        return List.of(
                figure(PosteriorReport.MUTUAL_INFORMATION, mi, "I_q(x; z) = E[log q(z|x) - log q(z)] (at most log M = "
                        + String.format("%.4f", Math.log(m)) + "); " + q),
                figure(PosteriorReport.MARGINAL_KL, marginal, "KL(q(z) || p(z)) = E[log q(z) - log p(z)]; " + q),
                figure(PosteriorReport.AVG_KL, kl, "E_x KL(q(z|x) || p(z)), " + klHow),
                figure(PosteriorReport.SURGERY_GAP, gap, "avg_kl - (mutual_information + marginal_kl): zero up to Monte-Carlo "
                        + "error when the decomposition holds (Hoffman & Johnson 2016)"));
    }

    private static MetricValue figure(String name, Summary s, String note) {
        if (!Double.isFinite(s.mean())) {
            return MetricValue.absent(name, "not finite over " + s.n() + " examples: " + note);
        }
        return MetricValue.of(name, s.mean(), Double.isFinite(s.standardError()) ? s.standardError() : null, s.n(), 1, note);
    }

    private static List<MetricValue> posthoc(SparkSession spark, JavaSparkContext sc, Dataset<Row> split, Job job,
                                             JavaRDD<EncodedExample> encoded, long n, Moments moments, int partitions,
                                             ExampleProgress progress) {
        PosteriorConfig p = job.posterior();
        String reason = null;
        if (p.gmmExamples() == 0) {
            reason = "eval.posterior.gmm-examples = 0: the post-hoc prior comparison was skipped";
        } else if (n < p.gmmComponents()) {
            reason = "the split has " + n + " examples, fewer than eval.posterior.gmm-components = " + p.gmmComponents();
        }
        if (reason != null) {
            return List.of(MetricValue.absent(PosteriorReport.POSTHOC_GMM_IWAE, reason),
                    MetricValue.absent(PosteriorReport.MODEL_PRIOR_IWAE, reason), MetricValue.absent(PosteriorReport.POSTHOC_GMM_GAIN, reason));
        }
        GaussianMixtureDensity mixture = PosthocMixture.fit(spark, encoded, p.gmmComponents(), p.gmmMaxIter(), p.gmmSeed(),
                moments.meanPosteriorVariance());
        List<Long> ids = encoded.map(EncodedExample::id).takeOrdered(p.gmmExamples(), new IdOrder(p.gmmSeed()));
        return PosthocMixture.metrics(PosthocMixture.compare(sc, split, job, mixture, ids, partitions, progress), p.gmmComponents(),
                p.gmmK());
    }

    /**
     * Moments of the encoder outputs over the split with MLlib's Summarizer: Var_x(mu_j) (unbiased),
     * E_x[sigma_j^2] and, for the N(0, I) prior, E_x[KL_j].
     */
    record Moments(double[] meanVariance, double[] meanPosteriorVariance, double[] klPerDim) {
        static Moments of(SparkSession spark, JavaRDD<EncodedExample> encoded, boolean analytic) {
            StructType schema = new StructType().add("mu", SQLDataTypes.VectorType()).add("sigma2", SQLDataTypes.VectorType())
                    .add("kl", SQLDataTypes.VectorType());
            Dataset<Row> rows = spark.createDataFrame(encoded.map(e -> RowFactory.create(Vectors.dense(e.mean()),
                    Vectors.dense(e.variance()), Vectors.dense(analytic ? e.klPerDim() : new double[]{0}))), schema);
            Column mu = Summarizer.metrics("variance").summary(functions.col("mu"));
            Row r = rows.select(mu.as("mu"), Summarizer.mean(functions.col("sigma2")).as("sigma2"),
                    Summarizer.mean(functions.col("kl")).as("kl")).first();
            Vector variance = r.getStruct(0).getAs("variance");
            return new Moments(variance.toArray(), ((Vector) r.getAs("sigma2")).toArray(),
                    analytic ? ((Vector) r.getAs("kl")).toArray() : null);
        }
    }

    /** Ranks examples by a uniform key of (seed, id), ties by id: a seeded sample independent of partitioning. */
    record SampleOrder(long seed) implements Comparator<EncodedExample>, Serializable {
        @Override
        public int compare(EncodedExample a, EncodedExample b) {
            return IdOrder.compare(seed, a.id(), b.id());
        }
    }

    record IdOrder(long seed) implements Comparator<Long>, Serializable {
        @Override
        public int compare(Long a, Long b) {
            return compare(seed, a, b);
        }

        static int compare(long seed, long a, long b) {
            int c = Double.compare(NoiseSource.uniform(seed, SAMPLE_STREAM, a, 0), NoiseSource.uniform(seed, SAMPLE_STREAM, b, 0));
            return c != 0 ? c : Long.compare(a, b);
        }
    }
}
