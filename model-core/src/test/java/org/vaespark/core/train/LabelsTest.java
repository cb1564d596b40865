package org.vaespark.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.samediff.Labels;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.testing.TestConfigs;

/** Label hiding (train.labelled-per-class) and the label feed of CVAE and M2. */
class LabelsTest {

    @Test
    void labelledPerClassKeepsExactlyTheFirstNIdsOfEachClass() {
        long[] ids = {40, 3, 17, 8, 99, 21, 5, 60, 2, 33, 11};
        int[] labels = {1, 0, 1, 2, 0, 1, 0, 2, -1, 0, 1};
        int[] kept = LabelledSubset.select(ids, labels, 2);
        // class 0: ids 3, 5, 33, 99 -> 3, 5; class 1: ids 11, 17, 21, 40 -> 11, 17; class 2: ids 8, 60 -> both.
        int[] expected = {-1, 0, 1, 2, -1, -1, 0, 2, -1, -1, 1};
        assertArrayEquals(expected, kept);

        // The same examples in another order select the same ids.
        long[] ids2 = new long[ids.length];
        int[] labels2 = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            ids2[i] = ids[ids.length - 1 - i];
            labels2[i] = labels[ids.length - 1 - i];
        }
        int[] kept2 = LabelledSubset.select(ids2, labels2, 2);
        for (int i = 0; i < ids.length; i++) {
            assertEquals(kept[ids.length - 1 - i], kept2[i]);
        }
        assertArrayEquals(labels, LabelledSubset.select(ids, labels, null));
        assertArrayEquals(new int[]{1, 0, 1, 2, 0, 1, 0, 2, -1, 0, 1}, LabelledSubset.select(ids, labels, 4));
    }

    @Test
    void labelledPerClassOnRealMnistKeepsNPerClass() {
        Shard s = LabelledSubset.apply(org.vaespark.core.testing.MnistRows.raw("train", 1000, 0), 7);
        Map<Integer, Integer> counts = new HashMap<>();
        long lastKeptId = -1;
        for (int i = 0; i < s.size(); i++) {
            if (s.labels()[i] != Shard.NO_LABEL) {
                counts.merge(s.labels()[i], 1, Integer::sum);
                lastKeptId = Math.max(lastKeptId, s.ids()[i]);
            }
        }
        assertEquals(10, counts.size());
        counts.values().forEach(n -> assertEquals(7, n));
        assertTrue(lastKeptId < 200, "the kept examples are the first ones by id");
    }

    @Test
    void badLabelsNameTheExampleId() {
        VaeConfig cvae = TestConfigs.model(TestConfigs.small("model.kind=cvae"), 4);
        VaeConfig m2 = TestConfigs.model(TestConfigs.small("model.kind=m2", "model.labels.classifier-hidden=[3]"), 4);
        var x = Nd4j.zeros(2, 4);
        var eps = Nd4j.zeros(1, 2, 4);
        VaeException e = assertThrows(VaeException.class, () -> Labels.feed(cvae, x, eps, 1, new long[]{7, 1234}, new int[]{3, -1}));
        assertTrue(e.getMessage().contains("1234") && e.getMessage().contains("no label"), e.getMessage());
        e = assertThrows(VaeException.class, () -> Labels.feed(m2, x, eps, 1, new long[]{7, 55}, new int[]{3, 10}));
        assertTrue(e.getMessage().contains("55") && e.getMessage().contains("model.labels.classes"), e.getMessage());

        Vae.Feed f = Labels.feed(m2, x, eps, 1, new long[]{7, 55}, new int[]{3, -1});
        assertArrayEquals(new float[]{1, 0}, f.labelled().toFloatVector());
        assertEquals(1f, f.labels().getFloat(0, 3));
        assertEquals(0f, f.labels().sumNumber().floatValue() - 1f);
    }

    @Test
    void onlyM2TrainsOnHiddenLabels() {
        TrainConfig hidden = TrainConfig.from(TestConfigs.small("train.labelled-per-class=10").config());
        assertEquals(10, hidden.labelledPerClass());
        assertEquals(null, TrainConfig.from(TestConfigs.small().config()).labelledPerClass());
        VaeConfig cvae = TestConfigs.model(TestConfigs.small("model.kind=cvae"), 4);
        VaeException e = assertThrows(VaeException.class, () -> LocalTrainer.checkLabelHiding(cvae, hidden));
        assertTrue(e.getMessage().contains("train.labelled-per-class"), e.getMessage());
        assertThrows(VaeException.class, () -> TrainConfig.from(TestConfigs.small("train.labelled-per-class=0").config()));
    }
}
