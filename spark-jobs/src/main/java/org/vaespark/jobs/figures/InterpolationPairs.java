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
 * 2→3, … for digits), so the rows cover as many classes as there are. Without labels, each pair is
 * the two remaining candidates farthest apart in z (posterior means, Euclidean distance).
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

    private static int[][] farthest(double[][] means, int count) {
        boolean[] used = new boolean[means.length];
        List<int[]> out = new ArrayList<>();
        while (out.size() < count) {
            int bestA = -1;
            int bestB = -1;
            double best = -1;
            for (int a = 0; a < means.length; a++) {
                for (int b = a + 1; b < means.length && !used[a]; b++) {
                    if (!used[b]) {
                        double d = distance2(means[a], means[b]);
                        if (d > best) {
                            best = d;
                            bestA = a;
                            bestB = b;
                        }
                    }
                }
            }
            if (bestA < 0) {
                break;
            }
            used[bestA] = true;
            used[bestB] = true;
            out.add(new int[]{bestA, bestB});
        }
        return out.toArray(new int[0][]);
    }

    private static double distance2(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += (a[j] - b[j]) * (a[j] - b[j]);
        }
        return s;
    }
}
