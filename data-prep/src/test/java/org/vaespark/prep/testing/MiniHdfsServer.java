package org.vaespark.prep.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real single-node HDFS (Hadoop 3.3.4's MiniHadoopClusterManager: a NameNode and a DataNode)
 * started as a separate JVM on 127.0.0.1 for tests, away from Spark's shaded Hadoop client. Its
 * classpath comes from the {@code test-hdfs} module ({@code test-hdfs/target/hdfs-classpath.txt}).
 * One server per test JVM; it is stopped at JVM exit.
 */
public final class MiniHdfsServer {
    private static MiniHdfsServer shared;

    private final Process process;
    private final int port;

    private MiniHdfsServer(Process process, int port) {
        this.process = process;
        this.port = port;
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-hdfs"));
    }

    /** The server of this test JVM, started on first use. */
    public static synchronized MiniHdfsServer shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /** {@code hdfs://127.0.0.1:<port>}. */
    public String uri() {
        return "hdfs://127.0.0.1:" + port;
    }

    private static MiniHdfsServer start() {
        try {
            int port = ToolJvm.freePort();
            Path dir = Files.createTempDirectory("hdfs");
            Path conf = dir.resolve("hdfs-site.xml");
            List<String> cmd = new ArrayList<>(List.of(ToolJvm.java()));
            ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-opens")).forEach(cmd::add);
            cmd.addAll(List.of("-Xmx1g", "-cp", ToolJvm.classpath("test-hdfs", "hdfs-classpath.txt"), "org.apache.hadoop.mapreduce.MiniHadoopClusterManager",
                    "-nomr", "-format", "-nnport", Integer.toString(port), "-nnhttpport", "0", "-datanodes", "1",
                    "-writeConfig", conf.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("hdfs.log").toFile());
            MiniHdfsServer server = new MiniHdfsServer(pb.start(), port);
            // the manager writes its configuration once the NameNode and DataNode are up
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!Files.exists(conf) || Files.size(conf) == 0) {
                if (!server.process.isAlive() || System.nanoTime() > deadline) {
                    server.process.destroyForcibly();
                    throw new IllegalStateException("HDFS did not start: " + Files.readString(dir.resolve("hdfs.log")));
                }
                Thread.sleep(200);
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
