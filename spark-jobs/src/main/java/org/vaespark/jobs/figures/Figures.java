package org.vaespark.jobs.figures;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.checkpoint.Checkpoint;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.samediff.DecoderGraph;
import org.vaespark.core.model.PriorKind;
import org.vaespark.core.samediff.PriorSampler;
import org.vaespark.core.noise.NoiseSource;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.samediff.Labels;
import org.vaespark.core.train.PixelEncoding;
import org.vaespark.core.train.Shard;
import org.vaespark.prep.ImageSchema;
import org.vaespark.prep.io.DirectoryCommit;

/**
 * The decoder-side pictures of a trained model, as PNG files (Kingma &amp; Welling 2014, Figs. 4-5;
 * Tomczak &amp; Welling 2018, Fig. 3): samples from the prior (decoder means of z ~ p(z)),
 * reconstructions of test images, linear interpolations in z between the posterior means of two test
 * images of different classes (or far apart in z), and the VampPrior's pseudo-inputs. Test images are a
 * seeded sample of the split (ordered by a hash of (figures.seed, id), the same for every model), not
 * its first by id, which are often all one digit. Each image is scaled up to about
 * {@code figures.tile-pixels} so that it reads on screen. The directory
 * is written through the Hadoop FileSystem API under a temporary name and renamed into place
 * ({@link DirectoryCommit}), so it may be local, hdfs:// or s3a://. A picture that does not apply to
 * the model is returned absent with the reason; none is ever faked.
 */
public final class Figures {
    public static final String SAMPLES = "samples";
    public static final String RECONSTRUCTIONS = "reconstructions";
    public static final String INTERPOLATIONS = "interpolations";
    public static final String PSEUDO_INPUTS = "pseudo-inputs";
    /** Noise stream of z1 given z2 in an HVAE's prior samples. */
    public static final long LOWER_STREAM = 0x5A3FL;

    private Figures() {
    }

    /** The pictures of a checkpoint, inputs encoded with its training binarization. */
    public static List<Figure> write(SparkSession spark, Checkpoint checkpoint, Dataset<Row> testSplit, Path outDir,
                                     FigureConfig cfg) {
        return write(spark, checkpoint.modelConfig(), checkpoint.parameters(), checkpoint.trainConfig().binarization(),
                testSplit, outDir, cfg);
    }

    /** The pictures of a model with given parameters; written in one directory commit. */
    public static List<Figure> write(SparkSession spark, VaeConfig model, NamedArrays params, Binarization binarization,
                                     Dataset<Row> testSplit, Path outDir, FigureConfig cfg) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        List<Figure> figures = new ArrayList<>();
        ImageShape shape = model.image();
        if (shape.channels() != 1 && shape.channels() != 3) {
            String reason = "pictures need grey or RGB images; these have " + shape.channels() + " channels";
            for (String name : List.of(SAMPLES, RECONSTRUCTIONS, INTERPOLATIONS, PSEUDO_INPUTS)) {
                figures.add(Figure.absent(name, reason));
            }
            return figures;
        }
        String decoderReason = DecoderGraph.unavailable(model);
        DecoderGraph decoder = decoderReason == null ? new DecoderGraph(model, params) : null;
        figures.add(decoder == null ? Figure.absent(SAMPLES, decoderReason) : samples(model, params, decoder, cfg, files, outDir));

        String encodeReason = decoderReason != null ? decoderReason : model.kind() == ModelKind.M2
                ? "M2 encodes q(z|x, y) per class y: no single posterior mean to decode" : null;
        TestImages test = encodeReason == null ? TestImages.sample(testSplit,
                Math.max(cfg.reconstructions(), cfg.interpolationCandidates()), model.inputDim(), binarization, cfg.seed()) : null;
        if (test != null && test.size() == 0) {
            encodeReason = "the test split is empty";
        }
        if (encodeReason == null) {
            Map<String, INDArray> out = encode(model, params, test);
            figures.add(reconstructions(model, test, out.get(VaeNames.X_MEAN), cfg, files, outDir));
            figures.add(interpolations(model, decoder, test, out.get(VaeNames.Z_MEAN), cfg, files, outDir));
        } else {
            figures.add(Figure.absent(RECONSTRUCTIONS, encodeReason));
            figures.add(Figure.absent(INTERPOLATIONS, encodeReason));
        }
        figures.add(model.prior().kind() == PriorKind.VAMP ? pseudoInputs(model, params, cfg, files, outDir)
                : Figure.absent(PSEUDO_INPUTS, "the model has no VampPrior (model.prior.kind="
                + model.prior().kind().name().toLowerCase() + ")"));
        commit(spark, outDir, files);
        return figures;
    }

    private static Figure samples(VaeConfig model, NamedArrays params, DecoderGraph decoder, FigureConfig cfg,
                                  Map<String, byte[]> files, Path outDir) {
        int n = cfg.grid() * cfg.grid();
        INDArray z = new PriorSampler(model, params).sample(n, cfg.seed());
        INDArray lower = null;
        String note = "decoder means of " + n + " draws z ~ p(z) (" + model.prior().kind().name().toLowerCase()
                + " prior, seed " + cfg.seed() + ")";
        if (model.kind() == ModelKind.HVAE) {
            int width = DecoderGraph.lowerNoiseDim(model);
            float[] eps = new float[n * width];
            NoiseSource.fill(eps, cfg.seed(), LOWER_STREAM, rowIds(n), 0, 1, width);
            lower = Nd4j.create(eps, new long[]{n, width}, 'c');
            note += model.structure().hierarchy().layers() == 2 ? ", z1 ~ p(z1|z2)" : ", z_k ~ p(z_k|.) below the top";
        }
        int[] labels = null;
        if (Labels.needed(model)) {
            labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = (i / cfg.grid()) % model.structure().classes();
            }
            note += "; row r is decoded with class r mod " + model.structure().classes();
        }
        return put(files, outDir, SAMPLES, tiles(decoder.mean(z, lower, labels)), model.image(), cfg.grid(), cfg, note);
    }

    private static Figure reconstructions(VaeConfig model, TestImages test, INDArray xMean, FigureConfig cfg,
                                          Map<String, byte[]> files, Path outDir) {
        int n = Math.min(cfg.reconstructions(), test.size());
        if (n == 0) {
            return Figure.absent(RECONSTRUCTIONS, "the test split is empty");
        }
        List<float[]> recon = tiles(xMean.reshape(xMean.size(1), xMean.size(2)));
        int columns = Math.min(n, 8);
        List<float[]> tiles = new ArrayList<>();
        for (int start = 0; start < n; start += columns) {
            int end = Math.min(n, start + columns);
            for (int i = start; i < start + columns; i++) {
                tiles.add(i < end ? test.image(i) : blank(model));
            }
            for (int i = start; i < start + columns; i++) {
                tiles.add(i < end ? recon.get(i) : blank(model));
            }
        }
        return put(files, outDir, RECONSTRUCTIONS, tiles, model.image(), columns, cfg, "rows of " + n
                + " test images (a sample seeded by figures.seed = " + cfg.seed() + "), each followed by a row of their reconstructions: the decoder mean at z = "
                + (model.posterior().kind().name().equals("GAUSSIAN") ? "the posterior mean" : "the flow applied to the posterior mean")
                + (model.kind() == ModelKind.HVAE ? " (z2 and z1 at the means of q)" : ""));
    }

    private static Figure interpolations(VaeConfig model, DecoderGraph decoder, TestImages test, INDArray zMean, FigureConfig cfg,
                                         Map<String, byte[]> files, Path outDir) {
        int candidates = Math.min(cfg.interpolationCandidates(), test.size());
        double[][] means = zMean.castTo(DataType.DOUBLE).toDoubleMatrix();
        InterpolationPairs chosen = InterpolationPairs.choose(java.util.Arrays.copyOf(test.labels(), candidates),
                java.util.Arrays.copyOf(means, candidates), cfg.interpolationPairs());
        int pairs = chosen.pairs().length;
        if (pairs == 0) {
            return Figure.absent(INTERPOLATIONS, "the test split has fewer than two images");
        }
        int steps = cfg.interpolationSteps();
        int d = model.priorDim();
        float[] z = new float[pairs * steps * d];
        int[] labels = Labels.needed(model) ? new int[pairs * steps] : null;
        StringBuilder ends = new StringBuilder();
        for (int p = 0; p < pairs; p++) {
            int from = chosen.pairs()[p][0];
            int to = chosen.pairs()[p][1];
            double[] a = means[from];
            double[] b = means[to];
            for (int s = 0; s < steps; s++) {
                double t = s / (double) (steps - 1);
                for (int j = 0; j < d; j++) {
                    z[(p * steps + s) * d + j] = (float) ((1 - t) * a[j] + t * b[j]);
                }
                if (labels != null) {
                    labels[p * steps + s] = test.label(from);
                }
            }
            ends.append(p == 0 ? "" : ", ").append("id ").append(test.ids()[from])
                    .append(chosen.byLabel() ? " (label " + test.label(from) + ")" : "").append(" → id ").append(test.ids()[to])
                    .append(chosen.byLabel() ? " (label " + test.label(to) + ")" : "");
        }
        INDArray decoded = decoder.mean(Nd4j.create(z, new long[]{(long) pairs * steps, d}, 'c'), null, labels);
        String note = pairs + " rows of " + steps + " decoder means, z moving linearly between the posterior means of two test images "
                + (chosen.byLabel() ? "with different labels" : "of the unlabelled split, spread out in z by farthest-point sampling")
                + " among " + candidates + " seeded candidates: " + ends
                + (model.posterior().kind().name().equals("GAUSSIAN") ? "" : " (the encoder's Gaussian means, before the posterior flow)")
                + (model.kind() == ModelKind.HVAE ? " (z2; z1 at the mean of p(z1|z2))" : "")
                + (labels != null ? "; each row decoded with the class of its first image" : "");
        return put(files, outDir, INTERPOLATIONS, tiles(decoded), model.image(), steps, cfg, note);
    }

    private static Figure pseudoInputs(VaeConfig model, NamedArrays params, FigureConfig cfg, Map<String, byte[]> files, Path outDir) {
        INDArray u = PriorSampler.pseudoInputs(model, params);
        int k = (int) u.size(0);
        int n = Math.min(cfg.pseudoInputs(), k);
        List<float[]> all = tiles(u);
        int columns = (int) Math.ceil(Math.sqrt(n));
        return put(files, outDir, PSEUDO_INPUTS, all.subList(0, n), model.image(), columns, cfg, "the first " + n + " of " + k
                + " VampPrior pseudo-inputs u_k, " + (model.prior().hardTanh() ? "through hardtanh to [0, 1]" : "clipped to [0, 1]"));
    }

    private static Map<String, INDArray> encode(VaeConfig model, NamedArrays params, TestImages test) {
        int n = test.size();
        INDArray x = Vae.matrix(test.x(), n, model.inputDim());
        INDArray eps = Nd4j.zeros(DataType.FLOAT, 1, n, model.noiseDim());
        Vae vae = Vae.withParameters(model, params);
        Vae.Feed feed = Labels.feed(model, x, eps, model.beta(), test.ids(), Labels.needed(model) ? test.labels() : null);
        return vae.output(feed, VaeNames.X_MEAN, VaeNames.Z_MEAN);
    }

    private static Figure put(Map<String, byte[]> files, Path outDir, String name, List<float[]> tiles, ImageShape shape,
                              int columns, FigureConfig cfg, String note) {
        String file = name + ".png";
        files.put(file, ImageGrid.png(tiles, shape, columns, cfg.scale(shape.height(), shape.width())));
        return Figure.written(name, new Path(outDir, file).toString(), note);
    }

    private static void commit(SparkSession spark, Path outDir, Map<String, byte[]> files) {
        try {
            FileSystem fs = outDir.getFileSystem(spark.sparkContext().hadoopConfiguration());
            DirectoryCommit.write(fs, outDir, tmp -> {
                fs.mkdirs(tmp);
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    try (OutputStream out = fs.create(new Path(tmp, f.getKey()), false)) {
                        out.write(f.getValue());
                    }
                }
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<float[]> tiles(INDArray rows) {
        float[][] m = rows.castTo(DataType.FLOAT).toFloatMatrix();
        return new ArrayList<>(List.of(m));
    }

    private static float[] blank(VaeConfig model) {
        float[] b = new float[model.inputDim()];
        java.util.Arrays.fill(b, 0.5f);
        return b;
    }

    private static long[] rowIds(int n) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        return ids;
    }

    /** A seeded sample of {@code n} test images (ordered by xxhash64(seed, id), then id), encoded as model inputs. */
    private record TestImages(long[] ids, float[] x, int[] labels, int dim) {
        static TestImages sample(Dataset<Row> split, int n, int dim, Binarization binarization, long seed) {
            List<Row> rows = split.select(ImageSchema.ID, ImageSchema.PIXELS, ImageSchema.LABEL)
                    .orderBy(functions.xxhash64(functions.lit(seed), functions.col(ImageSchema.ID)), functions.col(ImageSchema.ID))
                    .limit(n).collectAsList();
            long[] ids = new long[rows.size()];
            int[] labels = new int[rows.size()];
            float[] x = new float[rows.size() * dim];
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                ids[i] = r.getLong(0);
                labels[i] = r.isNullAt(2) ? Shard.NO_LABEL : r.getInt(2);
                PixelEncoding.encode((byte[]) r.get(1), 0, dim, ids[i], binarization, seed, 0, x, i);
            }
            return new TestImages(ids, x, labels, dim);
        }

        int size() {
            return ids.length;
        }

        float[] image(int i) {
            return java.util.Arrays.copyOfRange(x, i * dim, (i + 1) * dim);
        }

        int label(int i) {
            return labels[i];
        }
    }
}
