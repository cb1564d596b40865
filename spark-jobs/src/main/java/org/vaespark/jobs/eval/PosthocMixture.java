package org.vaespark.jobs.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.clustering.GaussianMixture;
import org.apache.spark.ml.clustering.GaussianMixtureModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.stat.distribution.MultivariateGaussian;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.eval.Summary;
import org.vaespark.core.eval.posterior.EncodedExample;
import org.vaespark.core.eval.posterior.GaussianMixtureDensity;
import org.vaespark.core.eval.posterior.PosthocPriorIwae;
import org.vaespark.core.eval.posterior.PriorComparison;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.train.NativeThreads;
import org.vaespark.jobs.train.TaskGpu;
import org.vaespark.prep.ImageSchema;

/**
 * A Gaussian mixture prior fitted after training (the aggregated posterior is the optimal prior,
 * Hoffman &amp; Johnson 2016): Spark MLlib's GaussianMixture (full covariances, EM) on the encoder
 * means mu(x), each component then widened by the mean posterior variance E_x[sigma^2(x)], so the
 * mixture approximates q(z) = E_x N(z; mu(x), sigma^2(x)) rather than the distribution of mu alone
 * (a collapsed unit has Var_x mu_j near 0 but sigma_j near 1). Its IWAE-k is compared with the
 * model's own prior on the same samples ({@link PosthocPriorIwae}).
 */
final class PosthocMixture {
    private static final Logger LOG = LoggerFactory.getLogger(PosthocMixture.class);
    /** The mixture is fitted on a fixed hash partitioning by id, so the fit does not depend on the caller's partitioning. */
    private static final int FIT_PARTITIONS = 4;

    private PosthocMixture() {
    }

    /** Fits the mixture on the encoder means of {@code encoded} and widens it by {@code meanPosteriorVariance}. */
    static GaussianMixtureDensity fit(SparkSession spark, JavaRDD<EncodedExample> encoded, int components, int maxIter, long seed,
                                      double[] meanPosteriorVariance) {
        StructType schema = new StructType().add(ImageSchema.ID, DataTypes.LongType).add("features", SQLDataTypes.VectorType());
        Dataset<Row> means = spark.createDataFrame(encoded.map(e -> RowFactory.create(e.id(), Vectors.dense(e.mean()))), schema)
                .repartition(FIT_PARTITIONS, functions.col(ImageSchema.ID))
                .sortWithinPartitions(ImageSchema.ID);
        GaussianMixtureModel model = new GaussianMixture().setK(components).setMaxIter(maxIter).setSeed(seed).setFeaturesCol("features").fit(means);
        MultivariateGaussian[] gaussians = model.gaussians();
        int d = meanPosteriorVariance.length;
        double[][] mu = new double[components][];
        double[][][] cov = new double[components][d][d];
        for (int c = 0; c < components; c++) {
            mu[c] = gaussians[c].mean().toArray();
            double[] column = gaussians[c].cov().toArray();      // column-major, symmetric
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    cov[c][i][j] = 0.5 * (column[j * d + i] + column[i * d + j]);
                }
                cov[c][i][i] += meanPosteriorVariance[i];
            }
        }
        return new GaussianMixtureDensity(normalised(model.weights()), mu, cov);
    }

    private static double[] normalised(double[] w) {
        double total = 0;
        for (double v : w) {
            total += v;
        }
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = w[i] / total;
        }
        return out;
    }

    /** IWAE-k with the model's prior and with the mixture for the examples {@code ids}, sorted by id; progress lines per batch. */
    static List<PriorComparison> compare(JavaSparkContext sc, Dataset<Row> split, PosteriorStatistics.Job job,
                                         GaussianMixtureDensity mixture, List<Long> ids, int partitions, ExampleProgress progress) {
        Set<Long> chosen = new HashSet<>(ids);
        Broadcast<Set<Long>> chosenB = sc.broadcast(chosen);
        Broadcast<PosteriorStatistics.Job> jobB = sc.broadcast(job);
        Broadcast<GaussianMixtureDensity> mixtureB = sc.broadcast(mixture);
        int dim = job.model().inputDim();
        String pass = "posterior statistics: IWAE-" + job.posterior().gmmK() + " with the post-hoc mixture prior";
        List<PriorComparison> out = new ArrayList<>(progress.collect(sc.sc(), LOG, pass, ids.size(), done -> ExampleBlocks
                .keyed(split, job.eval().batchSize(), partitions)
                .filter(r -> chosenB.value().contains(r._2().id()))
                .mapPartitions(rows -> {
                    PosteriorStatistics.Job j = jobB.value();
                    if (!rows.hasNext()) {
                        return java.util.Collections.emptyIterator();
                    }
                    NativeThreads.configure(j.threads());
                    TaskGpu.bind();
                    PosthocPriorIwae estimator = new PosthocPriorIwae(Vae.withParameters(j.model(), j.parameters()), mixtureB.value(),
                            j.posterior().gmmK(), j.eval().chunk(), j.eval().seed());
                    return ExampleBlocks.each(rows, dim, j.binarization(), j.eval().seed(), done,
                            (batchIds, x, labels) -> List.of(estimator.estimate(batchIds, x, labels)));
                })));
        chosenB.destroy();
        jobB.destroy();
        mixtureB.destroy();
        out.sort(Comparator.comparingLong(PriorComparison::id));
        return out;
    }

    /** The three figures of the comparison. */
    static List<MetricValue> metrics(List<PriorComparison> rows, int components, int k) {
        Summary own = new Summary();
        Summary posthoc = new Summary();
        Summary gain = new Summary();
        for (PriorComparison r : rows) {
            own.add(r.modelPrior());
            posthoc.add(r.posthoc());
            gain.add(r.gain());
        }
        String fit = components + "-component full-covariance Gaussian mixture (Spark MLlib EM) fitted to the encoder means, "
                + "widened by the mean posterior variance";
        return List.of(
                figure(PosteriorReport.POSTHOC_GMM_IWAE, posthoc, k, "IWAE-" + k + " with the " + fit + " as prior"),
                figure(PosteriorReport.MODEL_PRIOR_IWAE, own, k, "IWAE-" + k + " with the model's prior on the same samples"),
                figure(PosteriorReport.POSTHOC_GMM_GAIN, gain, k, "paired per-example difference: mixture prior minus model prior"));
    }

    private static MetricValue figure(String name, Summary s, int k, String note) {
        if (s.n() == 0 || !Double.isFinite(s.mean())) {
            return MetricValue.absent(name, "no finite estimate (" + s.n() + " examples): " + note);
        }
        return MetricValue.of(name, s.mean(), Double.isFinite(s.standardError()) ? s.standardError() : null, s.n(), k, note);
    }
}
