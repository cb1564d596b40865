package org.vaespark.core.model.structure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vaespark.core.config.Settings;
import org.vaespark.core.cpu.Backend;
import org.vaespark.core.cpu.ExecutorChoice;
import org.vaespark.core.errors.VaeException;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.Modalities;
import org.vaespark.core.model.ModelKind;
import org.vaespark.core.model.MultimodalSpec;
import org.vaespark.core.model.VaeConfig;

/** {@code model.multimodal.*}: the defaults, every bad value refused with the key and the fix, and the graph refused. */
class MultimodalConfigTest {
    private static final ImageShape MNIST = new ImageShape(28, 28, 1);

    static VaeConfig config(String... overrides) {
        String[] all = new String[overrides.length + 1];
        all[0] = "model.kind=mvae";
        System.arraycopy(overrides, 0, all, 1, overrides.length);
        return VaeConfig.from(Settings.defaults(all).config(), MNIST);
    }

    @Test
    void theDefaultsAreImageAndLabelWithUnitWeightsAllPaired() {
        VaeConfig c = config();
        assertEquals(ModelKind.MVAE, c.kind());
        MultimodalSpec m = c.structure().multimodal();
        assertEquals(Modalities.IMAGE_LABEL, m.modalities());
        assertEquals(List.of(1.0, 1.0), m.weights());
        assertEquals(0.0, m.unpairedFraction());
        assertEquals(List.of(512), m.labelHidden());
    }

    @Test
    void halvesSplitTheImageAtItsMiddleRow() {
        VaeConfig c = config("model.multimodal.modalities=halves", "model.multimodal.weights=[1.0, 2.5]",
                "model.multimodal.unpaired-fraction=0.25");
        assertEquals(Modalities.HALVES, c.structure().multimodal().modalities());
        assertEquals(List.of(1.0, 2.5), c.structure().multimodal().weights());
        assertEquals(0.25, c.structure().multimodal().unpairedFraction());
        assertEquals(392, MultimodalVae.topValues(c));
        int[] widths = MultimodalVae.inputWidths(c);
        assertEquals(392, widths[0]);
        assertEquals(392, widths[1]);
        assertTrue(ModelDescription.layout(c).names().contains("expert_top_mu_W"));
        assertTrue(ModelDescription.layout(c).names().contains("expert_bottom_logvar_W"));
    }

    @Test
    void imageLabelDeclaresALabelExpertAndALabelDecoder() {
        VaeConfig c = config("model.multimodal.label-hidden=[64]");
        var names = ModelDescription.layout(c).names();
        assertTrue(names.contains("expert_image_mu_W"), names.toString());
        assertTrue(names.contains("expert_label_0_W"), names.toString());
        assertTrue(names.contains("label_out_W"), names.toString());
        assertEquals(List.of(64L, 10L), List.of(ModelDescription.layout(c).shapes().get("label_out_W")[0],
                ModelDescription.layout(c).shapes().get("label_out_W")[1]));
    }

    @Test
    void badValuesNameTheKeyAndWhatIsAllowed() {
        assertMessage(() -> config("model.multimodal.weights=[1.0]"), "model.multimodal.weights", "image and label");
        assertMessage(() -> config("model.multimodal.weights=[1.0, -2.0]"), "model.multimodal.weights", "> 0");
        assertMessage(() -> config("model.multimodal.weights=[1.0, x]"), "model.multimodal.weights", "two numbers");
        assertMessage(() -> config("model.multimodal.unpaired-fraction=1.5"), "model.multimodal.unpaired-fraction", "[0, 1]");
        assertMessage(() -> config("model.multimodal.modalities=audio"), "model.multimodal.modalities", "image-label halves");
        assertMessage(() -> config("model.multimodal.label-hidden=[0]"), "model.multimodal.label-hidden", "> 0");
        assertMessage(() -> config("model.prior.kind=vamp"), "model.prior.kind", "prior expert");
        assertMessage(() -> config("model.posterior.kind=iaf"), "model.posterior.kind", "gaussian");
        assertMessage(() -> config("model.objective.kind=iwae"), "model.objective.kind", "subsampled ELBO");
        assertMessage(() -> config("model.architecture=conv"), "model.architecture", "mlp or gated");
        assertMessage(() -> config("model.likelihood=gaussian"), "model.likelihood", "bernoulli");
        assertMessage(() -> VaeConfig.from(Settings.defaults("model.kind=mvae", "model.multimodal.modalities=halves").config(),
                new ImageShape(27, 28, 1)), "model.multimodal.modalities", "27 rows");
    }

    @Test
    void theGraphBackendIsRefusedNamingTheComponent() {
        VaeConfig c = config();
        assertMessage(() -> ExecutorChoice.of(c, Backend.GRAPH), "model.backend", "MultimodalVae");
        assertTrue(ModelDescription.graphUnavailable(c).contains("product-of-experts"));
        assertEquals(null, ModelDescription.graphUnavailable(VaeConfig.from(Settings.defaults().config(), MNIST)));
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable run, String... parts) {
        VaeException e = assertThrows(VaeException.class, run);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
    }
}
