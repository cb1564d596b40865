package org.vaespark.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.vaespark.core.config.Keys;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.Errors;
import org.vaespark.core.eval.EvalConfig;
import org.vaespark.core.linear.LinearVaeConfig;
import org.vaespark.core.linear.Moments;
import org.vaespark.core.linear.PpcaComparison;
import org.vaespark.core.linear.PpcaReport;
import org.vaespark.core.linear.Spectrum;
import org.vaespark.core.model.Binarization;
import org.vaespark.jobs.cli.JobCommand;
import org.vaespark.jobs.linear.CovarianceMoments;
import org.vaespark.jobs.train.RunDirectory;
import org.vaespark.prep.DatasetReader;
import org.vaespark.prep.ImageSchema;
import picocli.CommandLine.Command;

/**
 * Probabilistic PCA against a linear VAE on the same data (Tipping &amp; Bishop 1999; Lucas et al. 2019): the
 * moments of {@code data.train-split} and {@code eval.split} across the cluster ({@link CovarianceMoments}), then
 * {@link PpcaComparison} on the driver. Writes ppca.md, summary.csv, angles.csv, matching.csv and collapse.csv into
 * {@code ppca.output}, built in a sibling directory and renamed into place.
 */
@Command(name = "ppca", description = "Closed-form PPCA vs a trained linear VAE: exact log p(x), principal angles, identifiability, collapse. Needs data.path.")
public final class PpcaJob extends JobCommand {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PpcaJob.class);

    public static void main(String[] args) {
        JobCommand.main(new PpcaJob(), args);
    }

    @Override
    protected String appName() {
        return "vae-ppca";
    }

    @Override
    protected void run(SparkSession spark, Settings settings) throws Exception {
        PpcaReport report = compare(spark, settings);
        Path out = RunDirectory.local(Keys.string(settings.config(), "ppca.output"));
        write(report, out, "Linear VAE vs probabilistic PCA: " + Keys.string(settings.config(), "data.path"));
        System.out.println(report.markdown("Linear VAE vs probabilistic PCA"));
    }

    /** Reads the two splits, computes their moments and runs the comparison. */
    public static PpcaReport compare(SparkSession spark, Settings settings) {
        var c = settings.config();
        String data = Keys.requiredString(c, "data.path", "a prepared dataset of grey-level images, e.g. data-out/mnist");
        String trainSplit = Keys.string(c, "data.train-split");
        Binarization encoding = Keys.enumValue(c, "data.binarization", Binarization.class);
        EvalConfig eval = EvalConfig.from(c);
        LinearVaeConfig config = LinearVaeConfig.from(c);
        Dataset<Row> train = DatasetReader.read(spark, data, trainSplit);
        Integer maxTrain = Keys.optionalPositiveInt(c, "ppca.max-examples");
        if (maxTrain != null) {
            train = train.filter(functions.col(ImageSchema.ID).lt(maxTrain));
        }
        Dataset<Row> test = DatasetReader.read(spark, data, eval.split());
        if (eval.maxExamples() != null) {
            test = test.filter(functions.col(ImageSchema.ID).lt(eval.maxExamples()));
        }
        Moments trainMoments = CovarianceMoments.ofImages(train, encoding, eval.seed(), data + " split " + trainSplit);
        Moments testMoments = CovarianceMoments.ofImages(test, encoding, eval.seed(), data + " split " + eval.split());
        if (config.latentDim() >= trainMoments.dimension()) {
            throw Errors.badConfigValue("ppca.latent-dim", config.latentDim(), "a value below the data's " + trainMoments.dimension() + " pixels");
        }
        LOG.info("ppca: moments of " + trainMoments.count() + " training and " + testMoments.count() + " held-out examples, D = "
                + trainMoments.dimension() + "; training the linear VAE (" + config.steps() + " steps, then "
                + config.collapseActive().size() + " fixed-sigma^2 runs)");
        return PpcaComparison.compare(trainMoments, testMoments, Spectrum.of(trainMoments), config);
    }

    /** Writes the page and the tables into a sibling directory, then renames it to {@code out}. */
    static void write(PpcaReport report, Path out, String title) throws java.io.IOException {
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, out.getFileName() + ".tmp-");
        Files.writeString(tmp.resolve("ppca.md"), report.markdown(title));
        Files.writeString(tmp.resolve("summary.csv"), report.summaryCsv());
        Files.writeString(tmp.resolve("angles.csv"), report.anglesCsv());
        Files.writeString(tmp.resolve("matching.csv"), report.matchingCsv());
        Files.writeString(tmp.resolve("collapse.csv"), report.collapseCsv());
        Path old = null;
        if (Files.exists(out)) {
            old = parent.resolve(out.getFileName() + ".old-" + System.nanoTime());
            Files.move(out, old);
        }
        Files.move(tmp, out);
        if (old != null) {
            try (Stream<Path> files = Files.walk(old)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
