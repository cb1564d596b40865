package org.vaespark.jobs.nativebuild;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.testing.SharedData;
import org.vaespark.jobs.testing.ChildJvm;

/**
 * The two ND4J native builds of the CPU jar (issue 17 item 8): both are on the class path, the launcher picks one
 * (VAE_NATIVE_BUILD / native.build) and refuses a build it does not know, and the oneDNN build, where the CPU can run
 * it, is what JavaCPP loads by default, loads from the jars alone (no system BLAS is needed: JavaCPP preloads the
 * OpenBLAS of the jar) and computes what the generic build, forced by an empty extension, computes.
 */
class NativeBuildTest {
    private static final String BINDINGS = "org/nd4j/linalg/cpu/nativecpu/bindings/";

    @TempDir
    Path dir;

    @Test
    void bothBuildsAreOnTheClassPath() {
        for (String build : List.of("linux-x86_64", "linux-x86_64-onednn-avx2")) {
            assertNotNull(getClass().getClassLoader().getResource(BINDINGS + build + "/libnd4jcpu.so"), build);
        }
    }

    @Test
    void theOnednnBuildLoadsAndComputesWhatTheGenericBuildComputes() throws Exception {
        assumeTrue(Files.readString(Path.of("/proc/cpuinfo")).matches("(?s).*\\bavx2\\b.*"), "this CPU has no AVX2");
        // JavaCPP takes the oneDNN build by itself when its jar is on the class path; an empty extension forces the generic one
        String byDefault = probe(List.of());
        String generic = probe(List.of("-Dorg.bytedeco.javacpp.platform.extension="));
        String onednn = probe(List.of("-Dorg.bytedeco.javacpp.platform.extension=-onednn-avx2"));
        assertFalse(generic.contains("HAVE_ONEDNN"), generic);
        assertTrue(onednn.contains("HAVE_ONEDNN"), onednn);
        assertTrue(byDefault.contains("HAVE_ONEDNN"), byDefault);
        double[] g = conv(generic);
        double[] o = conv(onednn);
        for (int i = 0; i < g.length; i++) {
            assertEquals(g[i], o[i], 1e-4 * Math.abs(g[i]) + 1e-3, "conv figure " + i + ": " + generic + " vs " + onednn);
        }
    }

    @Test
    void theLauncherRefusesABuildItDoesNotKnow() throws Exception {
        Path launch = SharedData.projectRoot().resolve("submit/launch.sh");
        ChildJvm.Result r = ChildJvm.run(List.of("bash", launch.toString(), "validate", "--help"), dir,
                Map.of("VAE_NATIVE_BUILD", "avx512"), 60);
        assertEquals(2, r.exit(), r.output());
        assertTrue(r.output().contains("VAE_NATIVE_BUILD") && r.output().contains("'avx512'")
                && r.output().contains("use auto, generic or onednn-avx2"), r.output());
    }

    private String probe(List<String> options) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(ChildJvm.launch().getProperty("jvm.flags").trim().split("\\s+")));
        cmd.addAll(options);
        cmd.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), NativeBuildProbe.class.getName()));
        ChildJvm.Result r = ChildJvm.run(cmd, dir, Map.of(), 120);
        assertEquals(0, r.exit(), r.output());
        return r.output();
    }

    private static double[] conv(String output) {
        String line = output.lines().filter(l -> l.startsWith("conv: ")).findFirst().orElseThrow(() -> new AssertionError(output));
        return Arrays.stream(line.substring(6).trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
    }
}
