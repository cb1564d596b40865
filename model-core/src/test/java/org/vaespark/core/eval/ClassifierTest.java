package org.vaespark.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.vaespark.core.model.Binarization;
import org.vaespark.core.samediff.Vae;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.VaeNames;
import org.vaespark.core.testing.TestConfigs;
import org.vaespark.core.train.Shard;

/** The classification error of M2's q(y|x) on hand-made cases. */
class ClassifierTest {

    @Test
    void errorsCountArgmaxMistakesOverLabelledExamples() {
        double[][] logProbs = {
                {-0.1, -2.5, -3.0},
                {-2.0, -0.2, -4.0},
                {-1.0, -1.0, -3.0},     // a tie: the first class wins
                {-5.0, -4.0, -0.01},
                {-0.3, -1.4, -9.0}};
        int[] labels = {0, 2, 1, 2, Shard.NO_LABEL};
        Classifier.Result r = Classifier.errors(logProbs, labels);
        assertEquals(4, r.examples());
        assertEquals(2, r.errors());
        assertEquals(0.5, r.error());
        assertEquals(Double.NaN, Classifier.errors(logProbs, new int[]{-1, -1, -1, -1, -1}).error());
    }

    @Test
    void aHandSetLinearClassifierGivesItsKnownError() {
        VaeConfig c = TestConfigs.model(TestConfigs.small("model.kind=m2", "model.labels.classes=2",
                "model.labels.classifier-hidden=[]"), 4);
        Vae model = Vae.initialise(c, 1);
        // logits = x W + b with W[0] = (10, 0), b = (0, 5): class 0 iff pixel 0 is on.
        model.setParameters(model.parameters().map((name, a) -> {
            float[] v = new float[a.length];
            if (name.equals(VaeNames.weight(VaeNames.CLS_OUT))) {
                v[0] = 10;
            } else if (name.equals(VaeNames.bias(VaeNames.CLS_OUT))) {
                v[1] = 5;
            } else {
                return a;
            }
            return v;
        }));
        byte[] pixels = {
                1, 0, 0, 1,
                0, 1, 1, 0,
                1, 1, 1, 1,
                0, 0, 0, 0,
                1, 0, 1, 0,
                0, 0, 1, 1};
        int[] labels = {0, 1, 1, 1, 1, Shard.NO_LABEL};    // examples 2 and 4 are predicted 0: two errors in five
        Shard data = new Shard(0, new long[]{0, 1, 2, 3, 4, 5}, pixels, 4, labels);
        Classifier.Result r = new Classifier(model).evaluate(data, Binarization.STATIC, 1, 4);
        assertEquals(5, r.examples());
        assertEquals(2, r.errors());
    }
}
