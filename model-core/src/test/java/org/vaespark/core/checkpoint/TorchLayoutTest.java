package org.vaespark.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.vaespark.core.config.Settings;
import org.vaespark.core.model.ImageShape;
import org.vaespark.core.model.VaeConfig;
import org.vaespark.core.model.structure.ModelDescription;
import org.vaespark.core.tensor.NamedArrays;
import org.vaespark.core.testing.Variant;
import org.vaespark.core.testing.VariantData;
import org.vaespark.core.testing.Variants;

/** Every parameter of every model in conf/models/ and of the test battery's variants gets a PyTorch name from docs/export.md. */
class TorchLayoutTest {
    private static final Path MODELS = Path.of("../conf/models");
    private static final Path DOC = Path.of("../docs/export.md");

    @Test
    void everyParameterOfEveryConfiguredModelHasADocumentedName() throws IOException {
        Set<String> documented = documentedNames();
        List<Path> files;
        try (Stream<Path> s = Files.list(MODELS)) {
            files = s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
        assertTrue(files.size() >= 19, "conf/models/ read: " + files);
        for (Path f : files) {
            ImageShape image = f.getFileName().toString().contains("cifar") ? new ImageShape(32, 32, 3) : new ImageShape(28, 28, 1);
            VaeConfig c = VaeConfig.from(Settings.load(List.of(f.toString()), List.of()).config(), image);
            checkDocumented(f.getFileName().toString(), c, documented);
        }
    }

    @Test
    void everyVariantOfTheTestBatteryHasDocumentedNames() throws IOException {
        Set<String> documented = documentedNames();
        List<Variant> all = new ArrayList<>(Variants.all());
        all.addAll(Variants.cpuExtras());
        for (Variant v : all) {
            checkDocumented(v.name(), VaeConfig.from(v.settings().config(), VariantData.shape(v)), documented);
        }
    }

    @Test
    void madeMasksAreExportedInTheTorchLayoutOfTheirWeights() {
        VaeConfig c = VaeConfig.from(Settings.defaults("model.encoder.hidden=[6]", "model.decoder.hidden=[6]", "model.latent-dim=3",
                "model.posterior.kind=iaf", "model.posterior.length=2", "model.posterior.iaf.hidden=[5]",
                "model.posterior.iaf.context=4").config(), 10);
        NamedArrays p = ModelDescription.layout(c).initialise(1);
        List<TorchLayout.Tensor> t = TorchLayout.export(c, p);
        TorchLayout.Tensor mask = find(t, "posterior.flow.0.hidden.0.mask");
        assertArrayEquals(find(t, "posterior.flow.0.hidden.0.weight").shape(), mask.shape());
        assertArrayEquals(new long[]{5, 3}, mask.shape());
        // hidden unit k has degree 1 + k mod 2; input i (natural order) degree i + 1: unit k sees input i iff i + 1 <= 1 + k mod 2
        for (int k = 0; k < 5; k++) {
            for (int i = 0; i < 3; i++) {
                assertEquals(i <= k % 2 ? 1f : 0f, mask.values()[k * 3 + i], "unit " + k + ", input " + i);
            }
        }
        TorchLayout.Tensor head = find(t, "posterior.flow.1.s.mask");
        // step 1 reverses the order: output j has degree 3 - j and sees units of strictly lower degree
        for (int j = 0; j < 3; j++) {
            for (int k = 0; k < 5; k++) {
                assertEquals(1 + k % 2 < 3 - j ? 1f : 0f, head.values()[j * 5 + k], "output " + j + ", unit " + k);
            }
        }
    }

    private static void checkDocumented(String model, VaeConfig c, Set<String> documented) {
        NamedArrays p = ModelDescription.layout(c).initialise(1);
        List<TorchLayout.Tensor> t = TorchLayout.export(c, p);
        Set<String> names = new HashSet<>();
        long exported = 0;
        for (TorchLayout.Tensor x : t) {
            assertTrue(names.add(x.name()), model + ": " + x.name() + " exported twice");
            // Indices as <n>; the layer of a hierarchical model's conditionals (q_z2, p_z1) as <k>.
            String pattern = x.name().replaceAll("\\.\\d+(?=\\.|$)", ".<n>").replaceAll("^([qp])_z\\d+", "$1_z<k>");
            assertTrue(documented.contains(pattern), model + ": " + x.name() + " (" + pattern + ") is not in docs/export.md");
            long n = 1;
            for (long s : x.shape()) {
                n *= s;
            }
            assertEquals(n, x.values().length, model + ": " + x.name() + " shape and values");
            if (!x.name().endsWith(".mask")) {
                exported++;
            }
        }
        assertEquals(p.names().size(), exported, model + ": one exported tensor per parameter");
        for (String ours : p.names()) {
            String torch = TorchLayout.torchName(ours, p);
            TorchLayout.Tensor x = find(t, torch);
            long[] shape = p.shape(ours);
            if (shape.length == 2 && ours.endsWith("_W")) {
                assertArrayEquals(new long[]{shape[1], shape[0]}, x.shape(), model + ": " + ours + " as nn.Linear [out, in]");
            }
            if (x.name().endsWith(".weight") && !x.name().startsWith("decoder.dense") && !x.name().startsWith("encoder.dense")
                    && shape.length == 2 && shape[1] >= 2) {
                assertEquals(p.values(ours)[1], x.values()[(int) shape[0]], model + ": " + ours + " transposed");
            }
        }
        assertFalse(names.isEmpty());
    }

    private static TorchLayout.Tensor find(List<TorchLayout.Tensor> t, String name) {
        return t.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no tensor " + name));
    }

    private static Set<String> documentedNames() throws IOException {
        Set<String> names = new HashSet<>();
        Matcher m = Pattern.compile("`([a-z_0-9.<>]+)`").matcher(Files.readString(DOC));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
