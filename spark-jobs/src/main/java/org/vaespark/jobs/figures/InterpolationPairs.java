package org.vaespark.jobs.figures;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vaespark.core.train.Shard;

/**
 * The pairs of test images an interpolation figure runs between (Kingma &amp; Welling 2014, Fig. 4 shows
 * walks between different digits): chosen from the candidates, in their seeded order, so that the two
 * ends of each row show different things. Where the candidates carry labels, each pair joins two
 * different labels, and successive pairs take the next labels in order of first appearance (0→1,
 * 2→3, … for digits), so the rows cover as many classes as there are. Without labels, the ends are
 * spread out in z (posterior means, Euclidean distance) by farthest-point sampling.
 *
 * @param pairs   candidate indices, {@code pairs[p] = {from, to}}
 * @param byLabel true when chosen by label, false when by distance in z
 */
public record InterpolationPairs(int[][] pairs, boolean byLabel) {

    /**
     * @param labels per candidate, {@link Shard#NO_LABEL} where unknown
     * @param means  per candidate, the posterior mean in z
     * @param count  pairs wanted; fewer come back when the candidates run out
     */
    public static InterpolationPairs choose(int[] labels, double[][] means, int count) {
        Map<Integer, List<Integer>> byLabel = new LinkedHashMap<>();
        boolean allLabelled = true;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == Shard.NO_LABEL) {
                allLabelled = false;
            } else {
                byLabel.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
            }
        }
        if (allLabelled && byLabel.size() >= 2) {
            return new InterpolationPairs(labelled(byLabel, count), true);
        }
        return new InterpolationPairs(farthest(means, count), false);
    }

    private static int[][] labelled(Map<Integer, List<Integer>> byLabel, int count) {
        List<Integer> classes = new ArrayList<>(byLabel.keySet());
        List<int[]> out = new ArrayList<>();
        for (int p = 0; out.size() < count && p < count * classes.size(); p++) {
            int a = classes.get((2 * p) % classes.size());
            int b = classes.get((2 * p + 1) % classes.size());
            if (!byLabel.get(a).isEmpty() && !byLabel.get(b).isEmpty()) {
                out.add(new int[]{byLabel.get(a).remove(0), byLabel.get(b).remove(0)});
            }
        }
        return out.toArray(new int[0][]);
    }

    /**
     * Farthest-point sampling: first the candidate farthest from the candidates' centroid, then each time the one whose
     * distance to the nearest already chosen is largest; consecutive choices make the pairs. The second of each pair is
     * far from the first, and the rows spread over the modes of z instead of joining the same two outliers' class.
     */
    private static int[][] farthest(double[][] means, int count) {
        int n = means.length;
        if (n < 2) {
            return new int[0][];
        }
        double[] centroid = new double[means[0].length];
        for (double[] m : means) {
            for (int j = 0; j < m.length; j++) {
                centroid[j] += m[j] / n;
            }
        }
        double[] nearest = new double[n];
        for (int i = 0; i < n; i++) {
            nearest[i] = distance2(means[i], centroid);
        }
        boolean[] used = new boolean[n];
        List<Integer> chosen = new ArrayList<>();
        while (chosen.size() < Math.min(2 * count, n - n % 2)) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (!used[i] && (best < 0 || nearest[i] > nearest[best])) {
                    best = i;
                }
            }
            used[best] = true;
            chosen.add(best);
            for (int i = 0; i < n; i++) {
                nearest[i] = chosen.size() == 1 ? distance2(means[i], means[best]) : Math.min(nearest[i], distance2(means[i], means[best]));
            }
        }
        int[][] out = new int[chosen.size() / 2][];
        for (int p = 0; p < out.length; p++) {
            out[p] = new int[]{chosen.get(2 * p), chosen.get(2 * p + 1)};
        }
        return out;
    }

    private static double distance2(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += (a[j] - b[j]) * (a[j] - b[j]);
        }
        return s;
    }
}
