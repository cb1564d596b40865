package org.vaespark.prep.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the servers the tests start as separate JVMs (S3Proxy, HDFS) share: the java binary, the
 * classpath a test-tool module wrote, and a free port on 127.0.0.1.
 */
final class ToolJvm {
    private ToolJvm() {
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The classpath written by test-tool module {@code module} into {@code target/<file>}. */
    static String classpath(String module, String file) throws IOException {
        Path path = Path.of(System.getProperty("vaespark.root", ".."), module, "target", file);
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " is missing: run `mvn -B -pl " + module + " generate-resources` "
                    + "(a full `mvn test` builds it first)");
        }
        return Files.readString(path).trim();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
