package org.vaespark.prep.source;

import java.util.ArrayList;
import java.util.List;

/** Cuts the sorted image list of one split folder into {@link InputUnit}s of at most {@code perTask} images. */
final class ImageShards {
    private ImageShards() {
    }

    /** Ids run 0.. in the order of {@code names}; {@code labels} is parallel to {@code names} or null. */
    static List<InputUnit> of(String folder, String split, List<String> names, List<Integer> labels, int perTask) {
        List<InputUnit> units = new ArrayList<>();
        for (int start = 0; start < names.size(); start += perTask) {
            int end = Math.min(names.size(), start + perTask);
            units.add(InputUnit.images(folder, split, names.subList(start, end),
                    labels == null ? null : labels.subList(start, end), start));
        }
        return units;
    }
}
