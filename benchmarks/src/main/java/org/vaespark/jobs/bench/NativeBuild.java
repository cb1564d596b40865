package org.vaespark.jobs.bench;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Which ND4J native build this process runs, recorded beside every benchmark figure (issue 17
 * item 8: the generic, {@code -avx2} and {@code -onednn-avx2} binaries differ by up to 2x on
 * convolutions): the JavaCPP platform and {@code org.bytedeco.javacpp.platform.extension}, the
 * nd4j-native jars on the class path (their classifier), whether the binaries of that platform
 * and extension are on it, libnd4j's own build description ({@code buildInfo()}: compiler, CPU
 * features, helpers such as oneDNN), the BLAS vendor, and the executioner's environment.
 */
public final class NativeBuild {
    static final String EXTENSION = "org.bytedeco.javacpp.platform.extension";

    private NativeBuild() {
    }

    /** Everything known about the native build; a part that cannot be read says why instead of its value. */
    public static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        String platform = Loader.getPlatform();
        String extension = System.getProperty(EXTENSION, "");
        m.put("javacpp_platform", platform);
        m.put("platform_extension", extension.isEmpty() ? "(none: the generic build)" : extension);
        m.put("classifier", platform + extension);
        m.put("nd4j_native_jars", nativeJars());
        String binaries = "org/nd4j/linalg/cpu/nativecpu/bindings/" + platform + extension + "/";
        m.put("binaries_on_class_path", NativeBuild.class.getClassLoader().getResource(binaries) != null ? binaries : "not found: " + binaries);
        m.put("backend", Nd4j.getBackend().getClass().getSimpleName());
        m.put("loaded_build", loadedBuild());
        m.put("blas_vendor", String.valueOf(Nd4j.factory().blas().getBlasVendor()));
        try {
            m.put("build_info", NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().trim());
        } catch (Throwable e) {
            m.put("build_info", "unavailable: " + e);
        }
        Map<String, String> env = new TreeMap<>();
        try {
            Nd4j.getExecutioner().getEnvironmentInformation().forEach((k, v) -> env.put(String.valueOf(k), String.valueOf(v)));
        } catch (Throwable e) {
            env.put("error", String.valueOf(e));
        }
        m.put("environment", env);
        return m;
    }

    /** One line for logs and tables, e.g. "linux-x86_64-onednn-avx2, OPENBLAS": the build that loaded, not the one asked for. */
    public static String summary(Map<String, Object> build) {
        return build.get("loaded_build") + ", " + build.get("blas_vendor");
    }

    /**
     * The classifier whose libnd4j this process loaded, read from the path JavaCPP loaded it from: with no
     * {@code platform.extension} set, JavaCPP takes the first extension of nd4j-native's own list whose binaries are on
     * the class path, so the property alone does not say which build runs.
     */
    static String loadedBuild() {
        Nd4j.getBackend();
        for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
            if (e.getKey().contains("jnind4jcpu") && e.getValue() != null) {
                File dir = new File(e.getValue()).getParentFile();
                return dir == null ? e.getValue() : dir.getName();
            }
        }
        return "unknown: no libjnind4jcpu among JavaCPP's loaded libraries";
    }

    /** nd4j-native / nd4j-cuda jar names on the class path; in a fat jar they are not listed, and the list says so. */
    private static List<String> nativeJars() {
        List<String> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            String name = new File(entry).getName();
            if (name.startsWith("nd4j-native") || name.startsWith("nd4j-cuda")) {
                jars.add(name);
            }
        }
        if (jars.isEmpty()) {
            jars.add("none listed on java.class.path (a fat jar: see binaries_on_class_path)");
        }
        return jars;
    }
}
