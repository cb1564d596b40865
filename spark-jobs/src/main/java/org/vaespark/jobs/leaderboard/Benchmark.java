package org.vaespark.jobs.leaderboard;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The unit a leaderboard table is about: a dataset together with what makes its numbers
 * comparable. Static and dynamic binarization of MNIST are different benchmarks, and the two
 * ImageNet 64x64 versions (van den Oord et al. 2016; Chrabaszcz et al. 2017) are not
 * comparable (docs/math.md, Evaluation protocol), so both are part of the key.
 *
 * <p>Our {@value #BINARIZED_MNIST} dataset (Larochelle &amp; Murray 2011) is MNIST with static
 * binarization; {@value #MNIST} with binarization {@code dynamic} is dynamically binarized MNIST.
 *
 * @param dataset      dataset name as written in the results table
 * @param binarization static | dynamic | none, or null where the dataset is not MNIST
 * @param version      dataset version, or null where it has a single one
 */
public record Benchmark(String dataset, String binarization, String version) implements Comparable<Benchmark> {

    public static final String BINARIZED_MNIST = "binarized-mnist";
    public static final String MNIST = "mnist";
    public static final String CIFAR10 = "cifar10";
    public static final String IMAGENET64 = "imagenet64";
    /** The PNG version of downsampled ImageNet of van den Oord et al. (2016), the benchmark one. */
    public static final String IMAGENET64_VAN_DEN_OORD = "van-den-oord-2016";
    /** The pickled version of Chrabaszcz et al. (2017); not comparable in bits/dim. */
    public static final String IMAGENET64_CHRABASZCZ = "chrabaszcz-2017";

    private static final List<String> ORDER = List.of(BINARIZED_MNIST, MNIST, CIFAR10, IMAGENET64);
    private static final List<String> BINARIZATION_ORDER = List.of("static", "dynamic", "none");

    private static final Comparator<Benchmark> COMPARATOR = Comparator
            .comparingInt((Benchmark b) -> rank(ORDER, b.dataset))
            .thenComparing(Benchmark::dataset)
            .thenComparingInt(b -> rank(BINARIZATION_ORDER, b.binarization))
            .thenComparing(b -> b.version == null ? "" : b.version);

    /**
     * The normalised key: {@value #BINARIZED_MNIST} without a binarization is static, and "none"
     * on a dataset that is not MNIST is the same as no binarization.
     */
    public static Benchmark of(String dataset, String binarization, String version) {
        String b = binarization;
        if (b == null && BINARIZED_MNIST.equals(dataset)) {
            b = "static";
        } else if (("none".equals(b) || "dequantize".equals(b)) && !isMnist(dataset)) {
            b = null;
        }
        return new Benchmark(dataset, b, version);
    }

    /**
     * What a result on this dataset must state and does not (null when nothing is missing):
     * every MNIST result states its binarization, every ImageNet result its version.
     */
    public static String missingQualifier(String dataset, String binarization, String version) {
        if (isMnist(dataset) && !BINARIZED_MNIST.equals(dataset) && binarization == null) {
            return "an MNIST result must state its binarization (static | dynamic | none)";
        }
        if (dataset.toLowerCase(Locale.ROOT).startsWith("imagenet") && version == null) {
            return "an ImageNet result must state its dataset version ("
                    + IMAGENET64_VAN_DEN_OORD + " | " + IMAGENET64_CHRABASZCZ + ")";
        }
        return null;
    }

    static boolean isMnist(String dataset) {
        return dataset.toLowerCase(Locale.ROOT).contains("mnist");
    }

    /** True where the "binarization or version" column shows a binarization. */
    public boolean isMnist() {
        return isMnist(dataset);
    }

    /** The binarization, else the version, else null: the table's "binarization / version" cell. */
    public String qualifier() {
        return binarization != null ? binarization : version;
    }

    /** Heading of the table, e.g. "MNIST, static binarization (binarized-mnist)". */
    public String title() {
        String name = switch (dataset) {
            case BINARIZED_MNIST, MNIST -> "MNIST";
            case CIFAR10 -> "CIFAR-10";
            case IMAGENET64 -> "ImageNet 64x64";
            default -> dataset;
        };
        StringBuilder sb = new StringBuilder(name);
        if (binarization != null) {
            sb.append(", ").append("none".equals(binarization) ? "grey levels, no binarization"
                    : binarization + " binarization");
        }
        if (version != null) {
            sb.append(", version ").append(version);
        }
        return sb.append(" (").append(dataset).append(')').toString();
    }

    /** A file-name stem, e.g. "binarized-mnist_static", "imagenet64_van-den-oord-2016". */
    public String slug() {
        StringBuilder sb = new StringBuilder(dataset);
        if (binarization != null) {
            sb.append('_').append(binarization);
        }
        if (version != null) {
            sb.append('_').append(version);
        }
        return sb.toString().replaceAll("[^A-Za-z0-9._-]", "-");
    }

    @Override
    public int compareTo(Benchmark other) {
        return COMPARATOR.compare(this, other);
    }

    private static int rank(List<String> order, String value) {
        int i = value == null ? -1 : order.indexOf(value);
        return i < 0 ? order.size() : i;
    }
}
