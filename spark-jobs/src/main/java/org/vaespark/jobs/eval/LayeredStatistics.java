package org.vaespark.jobs.eval;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.eval.Summary;
import org.vaespark.core.eval.posterior.AggregatePosterior;
import org.vaespark.core.eval.posterior.LayerSample;
import org.vaespark.core.eval.posterior.SampledExample;
import org.vaespark.core.eval.posterior.SampledPosterior;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.train.NativeThreads;
import org.vaespark.jobs.progress.SparkProgress;
import org.vaespark.jobs.train.TaskGpu;
import scala.Tuple2;

/**
 * Posterior-collapse statistics of flow posteriors and of the HVAE's layers over a split, per
 * latent layer ({@link SampledPosterior} gives the per-example estimates): the mean KL per layer and
 * per dimension, active units (Burda et al. 2016) from Var_x(E_q[z_j|x]) less the Monte-Carlo
 * variance of the estimated E_q[z_j|x], and the mutual information I_q(x; z_l) = E[log q(z_l|x) -
 * log q(z_l)] with the aggregated posterior q(z_l) a mixture over a seeded sample of M examples
 * (Hoffman &amp; Johnson 2016), where q(z_l|x) has a density at arbitrary z. Figures that do not
 * apply are absent with the reason. Per-example values are summarised in id order. Each pass over the examples prints
 * its progress lines ({@link ExampleProgress}).
 */
final class LayeredStatistics {
    private static final Logger LOG = LoggerFactory.getLogger(LayeredStatistics.class);
    /** Queries per log q(z_l) block of the mutual-information pass: the tasks count a block when it is done. */
    private static final int QUERY_BLOCK = 256;
    /** The per-example values the driver summarises: the projection of a {@link SampledExample} without samples. */
    private record Slim(long id, double klTotal, double[] kl, double[][] klPerDim, double[][] mean, double[][] mcVariance)
            implements Serializable {
        static Slim of(SampledExample e) {
            int l = e.layers().length;
            double[] kl = new double[l];
            double[][] perDim = new double[l][];
            double[][] mean = new double[l][];
            double[][] mc = new double[l][];
            for (int i = 0; i < l; i++) {
                LayerSample s = e.layers()[i];
                kl[i] = s.kl();
                perDim[i] = s.klPerDim();
                mean[i] = s.posteriorMean();
                mc[i] = s.meanMcVariance();
            }
            return new Slim(e.id(), e.klTotal(), kl, perDim, mean, mc);
        }
    }

    private LayeredStatistics() {
    }

    static PosteriorReport compute(SparkSession spark, Dataset<Row> split, PosteriorStatistics.Job job, int partitions,
                                   ExampleProgress progress) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<PosteriorStatistics.Job> jobB = sc.broadcast(job);
        int dim = job.model().inputDim();
        JavaRDD<SampledExample> encoded = null;
        try {
            List<Slim> slim;
            try (SparkProgress p = progress.pass(sc.sc(), LOG, "posterior statistics: encoding")) {
                LongAccumulator done = p.accumulator();
                encoded = ExampleBlocks.keyed(split, job.eval().batchSize(), partitions)
                        .mapPartitions(rows -> encode(jobB.value(), rows, dim, done))
                        .persist(StorageLevel.MEMORY_AND_DISK());
                slim = new ArrayList<>(encoded.map(Slim::of).collect());
                p.finish();
            }
            if (slim.isEmpty()) {
                return PosteriorReport.absent("the split has no examples");
            }
            slim.sort(Comparator.comparingLong(Slim::id));
            return report(sc, job, encoded, slim, progress);
        } finally {
            if (encoded != null) {
                encoded.unpersist();
            }
            jobB.destroy();
        }
    }

    private static Iterator<SampledExample> encode(PosteriorStatistics.Job job, Iterator<Tuple2<Long, ExampleBlocks.Example>> rows,
                                                   int dim, LongAccumulator done) {
        if (!rows.hasNext()) {
            return java.util.Collections.emptyIterator();
        }
        NativeThreads.configure(job.threads());
        TaskGpu.bind();
        SampledPosterior q = new SampledPosterior(Vae.withParameters(job.model(), job.parameters()), job.eval().seed(),
                job.posterior().mcSamples());
        return ExampleBlocks.each(rows, dim, job.binarization(), job.eval().seed(), done,
                (ids, x, labels) -> List.of(q.encode(ids, x, labels)));
    }

    private static PosteriorReport report(JavaSparkContext sc, PosteriorStatistics.Job job, JavaRDD<SampledExample> encoded,
                                          List<Slim> slim, ExampleProgress progress) {
        VaeConfig c = job.model();
        List<String> layers = SampledPosterior.layers(c);
        int s = job.posterior().mcSamples();
        long n = slim.size();
        List<MetricValue> metrics = new ArrayList<>();
        Summary total = new Summary();
        slim.forEach(e -> total.add(e.klTotal()));
        metrics.add(figure(PosteriorReport.AVG_KL, total, "E_x KL(q(z|x) || p(z)) over every layer, Monte Carlo: mean over S = " + s
                + " samples of log q(z|x) - log p(z)" + (layers.size() == 1 ? ", log q_K = log q_0(z_0) - log|det dz_K/dz_0|" : "")));
        List<String> dimLayers = new ArrayList<>();
        List<Double> klPerDim = new ArrayList<>();
        List<Double> variance = new ArrayList<>();
        String klNote = null;
        int activeTotal = 0;
        Summary gap = new Summary();
        for (Slim e : slim) {
            double sum = 0;
            for (double k : e.kl()) {
                sum += k;
            }
            gap.add(e.klTotal() - sum);
        }
        for (int l = 0; l < layers.size(); l++) {
            String layer = layers.get(l);
            int d = slim.get(0).mean()[l].length;
            Summary kl = new Summary();
            for (Slim e : slim) {
                kl.add(e.kl()[l]);
            }
            boolean factorised = slim.get(0).klPerDim()[l] != null;
            metrics.add(figure(PosteriorReport.ofLayer(PosteriorReport.AVG_KL, layer), kl, layerKlNote(layers, l, factorised, s)));
            double[] v = activeVariance(slim, l, d);
            int active = 0;
            for (int j = 0; j < d; j++) {
                active += v[j] > job.posterior().activeThreshold() ? 1 : 0;
                dimLayers.add(layer);
                variance.add(v[j]);
                double k = Double.NaN;
                if (factorised) {
                    k = 0;
                    for (Slim e : slim) {
                        k += e.klPerDim()[l][j] / n;
                    }
                }
                klPerDim.add(k);
            }
            if (!factorised) {
                klNote = layer + ": " + (layers.size() == 1 ? "q_K(z|x) of a flow is not factorised over dimensions"
                        : "the prior p(" + layers.get(0) + ") is not N(0, I) (model.prior.kind=" + c.prior().kind().name().toLowerCase() + ")");
            }
            activeTotal += active;
            metrics.add(MetricValue.of(PosteriorReport.ofLayer(PosteriorReport.ACTIVE_UNITS, layer), active, null, n, null,
                    "dimensions of " + layer + " (of " + d + ") with Var_x(E_q[z_j|x]) - E_x[MC variance of E_q[z_j|x]] > "
                            + job.posterior().activeThreshold() + (layers.size() > 1 && l == 0 ? " (E_q exact)" : " (E_q over S = " + s + " samples)")));
            metrics.add(mutualInformation(sc, job, encoded, l, layer, progress, n));
        }
        metrics.add(MetricValue.of(PosteriorReport.ACTIVE_UNITS, activeTotal, null, n, null, "active units summed over the layers "
                + layers));
        if (layers.size() > 1) {
            metrics.add(figure(PosteriorReport.LAYER_KL_GAP, gap, "avg_kl - sum of the per-layer avg_kl_*: zero up to Monte-Carlo "
                    + "error (the per-layer figures integrate part of it in closed form)"));
        }
        String why = layers.size() == 1 ? "model.posterior.kind=" + c.posterior().kind().name().toLowerCase()
                + ": q_K(z|x) has no density at another example's z (the flow's inverse is not computed), so there is no log q(z)"
                : "model.kind=hvae: see the per-layer figures (" + String.join(", ", layers) + "); log p(z1) has no closed form";
        for (String name : List.of(PosteriorReport.MUTUAL_INFORMATION, PosteriorReport.MARGINAL_KL, PosteriorReport.SURGERY_GAP)) {
            metrics.add(MetricValue.absent(name, why));
        }
        String posthoc = "the post-hoc mixture prior is fitted for one-layer models with a diagonal Gaussian q(z|x) only";
        for (String name : List.of(PosteriorReport.POSTHOC_GMM_IWAE, PosteriorReport.MODEL_PRIOR_IWAE, PosteriorReport.POSTHOC_GMM_GAIN)) {
            metrics.add(MetricValue.absent(name, posthoc));
        }
        return new PosteriorReport(List.copyOf(metrics), klPerDim.stream().mapToDouble(Double::doubleValue).toArray(), klNote,
                variance.stream().mapToDouble(Double::doubleValue).toArray(), null, layers.size() > 1 ? List.copyOf(dimLayers) : null);
    }

    /** How layer {@code l} of {@code layers} (top first; one layer: a flow posterior) has its KL estimated. */
    private static String layerKlNote(List<String> layers, int l, boolean factorised, int s) {
        String layer = layers.get(l);
        if (layers.size() == 1) {
            return "E_x KL(q_K(z|x) || p(z)), Monte Carlo over S = " + s + " samples (log q_K from the flow's log-det)";
        }
        if (l == 0) {
            return "E_x KL(q(" + layer + "|x) || p(" + layer + ")), "
                    + (factorised ? "closed form (N(0, I) prior)" : "Monte Carlo over S = " + s + " samples");
        }
        String above = l == 1 ? layers.get(0) : layers.get(l - 1) + ".." + layers.get(0);
        return "E_x E_{q(" + above + "|x)} KL(q(" + layer + "|x, " + above + ") || p(" + layer + "|" + above
                + ")): closed form per dimension inside, Monte Carlo over S = " + s + " samples of " + above + " outside";
    }

    /** Var_x(E_q[z_j|x]) (unbiased) less the mean Monte-Carlo variance of the estimated E_q[z_j|x]. */
    private static double[] activeVariance(List<Slim> slim, int l, int d) {
        double[] mean = new double[d];
        double[] mc = new double[d];
        int n = slim.size();
        for (Slim e : slim) {
            for (int j = 0; j < d; j++) {
                mean[j] += e.mean()[l][j] / n;
                mc[j] += e.mcVariance()[l][j] / n;
            }
        }
        double[] v = new double[d];
        for (Slim e : slim) {
            for (int j = 0; j < d; j++) {
                double diff = e.mean()[l][j] - mean[j];
                v[j] += diff * diff / Math.max(1, n - 1);
            }
        }
        for (int j = 0; j < d; j++) {
            v[j] -= mc[j];
        }
        return v;
    }

    /** I_q(x; z_l) = E[log q(z_l|x) - log q(z_l)], q(z_l) a mixture over the layer's Gaussians of M sampled examples. */
    private static MetricValue mutualInformation(JavaSparkContext sc, PosteriorStatistics.Job job, JavaRDD<SampledExample> encoded,
                                                 int l, String layer, ExampleProgress progress, long n) {
        String name = PosteriorReport.ofLayer(PosteriorReport.MUTUAL_INFORMATION, layer);
        if (encoded.first().layers()[l].componentMean() == null) {
            return MetricValue.absent(name, "q_K(z|x) of a flow has no density at another example's z (the flow's inverse is not "
                    + "computed), so the aggregated posterior q(z) cannot be evaluated");
        }
        List<Long> ids = encoded.map(SampledExample::id).takeOrdered(job.posterior().sampleSize(),
                new PosteriorStatistics.IdOrder(job.eval().seed()));
        java.util.Set<Long> chosen = new java.util.HashSet<>(ids);
        List<LayerSample> sample = encoded.filter(e -> chosen.contains(e.id())).map(e -> e.layers()[l]).collect();
        double[][] means = new double[sample.size()][];
        double[][] logvars = new double[sample.size()][];
        for (int m = 0; m < means.length; m++) {
            means[m] = sample.get(m).componentMean();
            logvars[m] = sample.get(m).componentLogvar();
        }
        Broadcast<double[][][]> qB = sc.broadcast(new double[][][]{means, logvars});
        List<double[]> values = new ArrayList<>(progress.collect(sc.sc(), LOG, "posterior statistics: log q(" + layer + ")", n,
                done -> encoded.mapPartitions(rows -> mi(qB.value(), rows, l, done))));
        qB.destroy();
        values.sort(Comparator.comparingDouble(v -> v[0]));
        Summary s = new Summary();
        values.forEach(v -> s.add(v[1]));
        List<String> all = SampledPosterior.layers(job.model());
        boolean lower = all.size() > 1 && l > 0;
        String above = l == 1 ? all.get(0) : all.size() > 1 && l > 1 ? all.get(l - 1) + ".." + all.get(0) : "";
        String nested = lower ? "log q(" + layer + "|x) the nested mixture over the S samples of " + above + ", " : "";
        return figure(name, s, "E[log q(" + layer + "|x) - log q(" + layer + ")], " + nested + "log q(" + layer
                + ") a log-mean-exp over M = " + means.length + " examples' Gaussians"
                + (lower ? " q(" + layer + "|x_m, " + above + "_m)" : "") + " (at most log M = " + String.format("%.4f", Math.log(means.length)) + ")");
    }

    private static Iterator<double[]> mi(double[][][] moments, Iterator<SampledExample> rows, int l, LongAccumulator done) {
        List<SampledExample> examples = new ArrayList<>();
        rows.forEachRemaining(examples::add);
        if (examples.isEmpty()) {
            return java.util.Collections.emptyIterator();
        }
        double[][] z = new double[examples.size()][];
        for (int i = 0; i < z.length; i++) {
            z[i] = examples.get(i).layers()[l].z();
        }
        AggregatePosterior q = new AggregatePosterior(moments[0], moments[1]);
        List<double[]> out = new ArrayList<>();
        for (int from = 0; from < z.length; from += QUERY_BLOCK) {
            int to = Math.min(z.length, from + QUERY_BLOCK);
            double[] logQz = q.logDensity(java.util.Arrays.copyOfRange(z, from, to));
            for (int i = from; i < to; i++) {
                out.add(new double[]{examples.get(i).id(), examples.get(i).layers()[l].logQzx() - logQz[i - from]});
            }
            done.add(to - from);
        }
        return out.iterator();
    }

    private static MetricValue figure(String name, Summary s, String note) {
        if (!Double.isFinite(s.mean())) {
            return MetricValue.absent(name, "not finite over " + s.n() + " examples: " + note);
        }
        return MetricValue.of(name, s.mean(), Double.isFinite(s.standardError()) ? s.standardError() : null, s.n(), 1, note);
    }
}
