package org.vaespark.jobs.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.testing.SharedData;

/** docs/configuration.md is what {@link ConfigReference} gives from today's reference.conf files. */
class ConfigReferenceTest {
    private static final Path ROOT = SharedData.projectRoot();

    @Test
    void committedPageMatchesTheReferenceConfFiles() throws IOException {
        if (Boolean.getBoolean("vaespark.docs.write")) {
            ConfigReference.write(ROOT);
        }
        Path page = ROOT.resolve(ConfigReference.PAGE);
        assertTrue(Files.isRegularFile(page), ConfigReference.PAGE + " is missing; generate it with: " + ConfigReference.REGENERATE);
        String committed = Files.readString(page, StandardCharsets.UTF_8);
        assertEquals(ConfigReference.render(ROOT), committed, ConfigReference.PAGE
                + " differs from the reference.conf files; regenerate it with: " + ConfigReference.REGENERATE);
    }

    @Test
    void everyModuleKeyIsListedWithItsDefaultAndComment() {
        String page = ConfigReference.render(ROOT);
        assertTrue(page.contains("| `data.binarization` | `\"static\"` | How pixels become model inputs"), "model-core key");
        assertTrue(page.contains("| `train.exchange` | `\"collective\"` | Who averages the replicas each round."), "spark-jobs key");
        assertTrue(page.contains("`prepare.overwrite`"), "data-prep key");
    }

    @Test
    void aNewModuleIsPickedUpWithoutAChange(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("pom.xml"), "<project/>");
        write(tmp.resolve("alpha/src/main/resources/reference.conf"),
                "alpha {\n  # How many | to use.\n  count = 3\n  other = \"x\"\n  # A rate.\n  rate = 1.0\n}\n");
        write(tmp.resolve("zeta-new/src/main/resources/reference.conf"), "zeta {\n  # A list.\n  items = [1, 2]\n  # Unset.\n  path = null\n}\n");
        write(tmp.resolve("not-a-module/reference.conf"), "ignored = 1\n");
        String page = ConfigReference.render(tmp);
        assertTrue(page.contains("| `alpha.count` | `3` | How many \\| to use. |"), page);
        assertTrue(page.contains("| `alpha.other` | `\"x\"` | see `alpha.count` above |"), page);
        assertTrue(page.contains("| `alpha.rate` | `1.0` | A rate. |"), page);
        assertTrue(page.contains("| `zeta.items` | `[1,2]` | A list. |"), page);
        assertTrue(page.contains("| `zeta.path` | `null` | Unset. |"), page);
        assertTrue(page.contains("Defined in `zeta-new`."), page);
        assertTrue(!page.contains("ignored"), "only */src/main/resources/reference.conf is read");
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
