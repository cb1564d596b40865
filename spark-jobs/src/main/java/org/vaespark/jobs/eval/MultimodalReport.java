package org.vaespark.jobs.eval;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.vaespark.core.checkpoint.Checkpoint;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.eval.MultimodalEvaluation;
import org.vaespark.core.eval.Summary;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.model.Modalities;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.train.NativeThreads;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.jobs.figures.ImageGrid;
import org.vaespark.prep.ImageSchema;
import scala.Tuple2;

/**
 * The {@code multimodal} diagnostic of an evaluation, for an MVAE (Wu &amp; Goodman 2018), distributed over the split
 * in the id blocks of {@link ExampleBlocks}: the mean ± s.e. of IWAE-k of the joint and of each modality alone, the
 * image → label accuracy (image and label) or the mean squared error of the bottom half predicted from the top
 * (halves); the per-example values as Parquet in {@code multimodal/}; the pictures {@code figures/mvae-label-to-image.png}
 * (decoder means at z ~ q(z|y), one column per class) or {@code figures/mvae-bottom-from-top.png} (test images, their
 * top halves, the completions). Another model kind gets every figure absent with the reason.
 */
public final class MultimodalReport {
    static final String DIR = "multimodal";
    /** The metric of IWAE-k of the joint model, also the leaderboard's. */
    public static final String IWAE_JOINT = "mvae_iwae_joint";
    /** The prefix of each modality's IWAE-k metric, followed by the modality's name (image, label, top, bottom). */
    public static final String IWAE_PREFIX = "mvae_iwae_";
    /** Image and label: the fraction of test images whose label is predicted right from the image alone. */
    public static final String LABEL_ACCURACY = "mvae_label_accuracy";
    /** Halves: mean squared error per value of the bottom half predicted from the top. */
    public static final String BOTTOM_MSE = "mvae_bottom_mse";
    static final String LABEL_PICTURE = "mvae-label-to-image.png";
    static final String HALVES_PICTURE = "mvae-bottom-from-top.png";
    /** Rows of label samples, and test images completed, in the pictures. */
    static final int PICTURE_ROWS = 8;
    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("iwae_joint", DataTypes.DoubleType, false)
            .add("iwae_modality_0", DataTypes.DoubleType, false)
            .add("iwae_modality_1", DataTypes.DoubleType, false)
            .add("label", DataTypes.IntegerType, true)
            .add("predicted", DataTypes.IntegerType, true)
            .add("bottom_mse", DataTypes.DoubleType, true);

    private MultimodalReport() {
    }

    /** What each task needs. */
    record Job(VaeConfig model, NamedArrays parameters, EvalConfig eval, Binarization binarization, int threads)
            implements java.io.Serializable {
    }

    static List<MetricValue> compute(SparkSession spark, CheckpointEvaluation.Request r, Dataset<Row> split, Path dir) {
        Checkpoint c = r.checkpoint();
        VaeConfig model = c.modelConfig();
        if (model.kind() != ModelKind.MVAE) {
            String why = "not computed: model.kind=" + model.kind().name().toLowerCase() + " is not a multimodal VAE (mvae)";
            return List.of(MetricValue.absent(IWAE_JOINT, why), MetricValue.absent(LABEL_ACCURACY, why),
                    MetricValue.absent(BOTTOM_MSE, why));
        }
        EvalConfig eval = r.eval();
        Job job = new Job(model, c.parameters(), eval, c.trainConfig().binarization(), r.threadsPerTask());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<Job> b = sc.broadcast(job);
        List<MultimodalEvaluation.Estimate> all;
        try {
            all = ExampleBlocks.keyed(split, eval.batchSize(), Math.max(1, sc.defaultParallelism()))
                    .mapPartitions(rows -> evaluate(b.value(), rows)).collect().stream()
                    .sorted(Comparator.comparingLong(MultimodalEvaluation.Estimate::id)).toList();
        } finally {
            b.destroy();
        }
        String[] names = model.structure().multimodal().modalities().names();
        if (all.isEmpty()) {
            return List.of(MetricValue.absent(IWAE_JOINT, "not computed: no examples"));
        }
        Summary joint = new Summary();
        Summary[] single = {new Summary(), new Summary()};
        Summary correct = new Summary();
        Summary mse = new Summary();
        boolean label = model.structure().multimodal().modalities() == Modalities.IMAGE_LABEL;
        List<Row> rows = new ArrayList<>();
        for (MultimodalEvaluation.Estimate e : all) {
            joint.add(e.iwae()[0]);
            single[0].add(e.iwae()[1]);
            single[1].add(e.iwae()[2]);
            if (label) {
                correct.add(e.label() == e.predicted() ? 1 : 0);
            } else {
                mse.add(e.bottomMse());
            }
            rows.add(RowFactory.create(e.id(), e.iwae()[0], e.iwae()[1], e.iwae()[2], label ? e.label() : null,
                    label ? e.predicted() : null, label ? null : e.bottomMse()));
        }
        spark.createDataFrame(rows, SCHEMA).coalesce(1).write().parquet(new Path(dir, DIR).toString());
        int k = eval.k();
        List<MetricValue> out = new ArrayList<>();
        out.add(metric(IWAE_JOINT, joint, k, "IWAE-" + k + " of p(" + names[0] + ", " + names[1]
                + ") with the product of experts q(z|" + names[0] + ", " + names[1] + ") as the proposal"));
        for (int m = 0; m < 2; m++) {
            out.add(metric(IWAE_PREFIX + names[m], single[m], k, "IWAE-" + k + " of p(" + names[m] + ") with q(z|" + names[m]
                    + ") = its expert times the prior as the proposal"));
        }
        if (label) {
            out.add(metric(LABEL_ACCURACY, correct, null, "argmax_y p(y|z) at z the mean of q(z|image), the image alone"));
            out.add(MetricValue.absent(BOTTOM_MSE, "not computed: model.multimodal.modalities = image-label has no halves"));
            write(spark, new Path(dir, "figures/" + LABEL_PICTURE), labelPicture(job));
        } else {
            out.add(metric(BOTTOM_MSE, mse, null, "mean squared error per value of the bottom half, the decoder's mean at z "
                    + "the mean of q(z|top), against the binarized test image"));
            out.add(MetricValue.absent(LABEL_ACCURACY, "not computed: model.multimodal.modalities = halves has no label"));
            write(spark, new Path(dir, "figures/" + HALVES_PICTURE), halvesPicture(job, split));
        }
        return out;
    }

    private static Iterator<MultimodalEvaluation.Estimate> evaluate(Job job, Iterator<Tuple2<Long, ExampleBlocks.Example>> rows) {
        if (!rows.hasNext()) {
            return Collections.emptyIterator();
        }
        NativeThreads.configure(job.threads());
        MultimodalEvaluation evaluation = new MultimodalEvaluation(job.model(), job.parameters(), job.eval().k(),
                job.eval().chunk(), job.eval().seed());
        return ExampleBlocks.each(rows, job.model().inputDim(), job.binarization(), job.eval().seed(),
                (ids, x, labels) -> List.of(evaluation.estimate(ids, x, labels)));
    }

    private static MetricValue metric(String name, Summary s, Integer k, String note) {
        if (!Double.isFinite(s.mean())) {
            return MetricValue.absent(name, "not finite (" + s.mean() + "): " + note);
        }
        return MetricValue.of(name, s.mean(), s.standardError(), s.n(), k, note);
    }

    /** {@link #PICTURE_ROWS} rows of one decoded sample per class, class y in column y. */
    private static byte[] labelPicture(Job job) {
        int classes = job.model().structure().classes();
        int[] labels = new int[PICTURE_ROWS * classes];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % classes;
        }
        float[] images = evaluation(job).labelToImage(labels);
        return ImageGrid.png(tiles(images, labels.length, job.model().inputDim()), job.model().image(), classes, 3);
    }

    /** The first test images by id: the images, their top halves (bottom grey), and the completions. */
    private static byte[] halvesPicture(Job job, Dataset<Row> split) {
        int dim = job.model().inputDim();
        List<Row> first = split.select(ImageSchema.ID, ImageSchema.PIXELS).orderBy(ImageSchema.ID).limit(PICTURE_ROWS).collectAsList();
        int n = first.size();
        float[] x = new float[n * dim];
        for (int i = 0; i < n; i++) {
            PixelEncoding.encode((byte[]) first.get(i).get(1), 0, dim, first.get(i).getLong(0), job.binarization(),
                    job.eval().seed(), 0, x, i);
        }
        float[] completed = evaluation(job).bottomFromTop(x, n);
        int top = org.vaespark.core.model.structure.MultimodalVae.topValues(job.model());
        float[] masked = x.clone();
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(masked, i * dim + top, (i + 1) * dim, 0.5f);
        }
        List<float[]> tiles = new ArrayList<>(tiles(x, n, dim));
        tiles.addAll(tiles(masked, n, dim));
        tiles.addAll(tiles(completed, n, dim));
        return ImageGrid.png(tiles, job.model().image(), Math.max(1, n), 3);
    }

    private static MultimodalEvaluation evaluation(Job job) {
        return new MultimodalEvaluation(job.model(), job.parameters(), 1, 1, job.eval().seed());
    }

    private static List<float[]> tiles(float[] rows, int n, int dim) {
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(java.util.Arrays.copyOfRange(rows, i * dim, (i + 1) * dim));
        }
        return out;
    }

    private static void write(SparkSession spark, Path file, byte[] png) {
        try {
            FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
            fs.mkdirs(file.getParent());
            try (OutputStream out = fs.create(file, false)) {
                out.write(png);
            }
        } catch (IOException e) {
            throw Errors.jobFailed(file.toString(), "cannot write the MVAE picture: " + e.getMessage(),
                    "check that the results directory is writable", e);
        }
    }
}
