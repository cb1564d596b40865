package org.vaespark.prep.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.hadoop.conf.Configuration;

/**
 * A real S3-compatible server on 127.0.0.1 for tests: S3Proxy (gaul/s3proxy) with its in-memory
 * "transient" jclouds backend, run as a separate JVM because its Jackson and Guava clash with
 * Spark's. Its classpath comes from the {@code test-s3proxy} module
 * ({@code test-s3proxy/target/s3proxy-classpath.txt}). The server checks AWS signatures, so clients
 * must use {@link #ACCESS_KEY} / {@link #SECRET_KEY}. Closing kills the process; a JVM shutdown hook
 * does the same if a test forgets.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";

    /** The bucket of {@link #shared()}. */
    public static final String BUCKET = "vaespark";
    private static S3ProxyServer shared;

    private final Process process;
    private final int port;
    private final Thread hook;

    private S3ProxyServer(Process process, int port) {
        this.process = process;
        this.port = port;
        this.hook = new Thread(process::destroyForcibly, "stop-s3proxy");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * The one server of a test JVM, with {@link #BUCKET}, configured into {@link SparkTestSession}'s Hadoop
     * configuration. Hadoop caches an s3a file system per bucket, so every test class must use this one
     * endpoint; it is stopped at JVM exit.
     */
    public static synchronized S3ProxyServer shared() {
        if (shared == null) {
            shared = start(BUCKET);
            shared.configure(SparkTestSession.get().sparkContext().hadoopConfiguration());
        }
        return shared;
    }

    /** Starts the server, waits until it answers and creates {@code bucket}. */
    public static S3ProxyServer start(String bucket) {
        try {
            int port = ToolJvm.freePort();
            Path dir = Files.createTempDirectory("s3proxy");
            Path props = Files.writeString(dir.resolve("s3proxy.properties"), String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=transient",
                    "jclouds.identity=" + ACCESS_KEY,
                    "jclouds.credential=" + SECRET_KEY) + "\n");
            ProcessBuilder pb = new ProcessBuilder(ToolJvm.java(),
                    "-Xmx1g", "-cp", ToolJvm.classpath("test-s3proxy", "s3proxy-classpath.txt"), "org.gaul.s3proxy.Main", "--properties", props.toString());
            pb.environment().put("LOG_LEVEL", "warn");
            pb.redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile());
            S3ProxyServer server = new S3ProxyServer(pb.start(), port);
            server.awaitUp(dir.resolve("s3proxy.log"));
            server.createBucket(bucket);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The s3a settings that reach this server, as Hadoop keys. */
    public List<String[]> s3aSettings() {
        return List.of(
                new String[] {"fs.s3a.endpoint", endpoint()},
                new String[] {"fs.s3a.path.style.access", "true"},
                new String[] {"fs.s3a.connection.ssl.enabled", "false"},
                new String[] {"fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"},
                new String[] {"fs.s3a.access.key", ACCESS_KEY},
                new String[] {"fs.s3a.secret.key", SECRET_KEY},
                new String[] {"fs.s3a.change.detection.mode", "none"},
                new String[] {"fs.s3a.attempts.maximum", "2"},
                new String[] {"fs.s3a.retry.limit", "2"});
    }

    /** Sets {@link #s3aSettings()} on {@code conf}. */
    public Configuration configure(Configuration conf) {
        for (String[] kv : s3aSettings()) {
            conf.set(kv[0], kv[1]);
        }
        return conf;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
            // the JVM is already shutting down
        }
    }


    private void awaitUp(Path log) throws IOException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited: " + Files.readString(log));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/").toURL().openConnection();
                c.setConnectTimeout(500);
                c.getResponseCode();
                return;
            } catch (IOException notYet) {
                sleep(200);
            }
        }
        close();
        throw new IllegalStateException("S3Proxy did not answer within 60 s at " + endpoint());
    }

    /** One signed PUT (AWS signature version 2, which S3Proxy accepts next to v4). */
    private void createBucket(String bucket) throws IOException {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
        String toSign = "PUT\n\n\n" + date + "\n/" + bucket;
        HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/" + bucket).toURL().openConnection();
        c.setRequestMethod("PUT");
        c.setRequestProperty("Date", date);
        c.setRequestProperty("Authorization", "AWS " + ACCESS_KEY + ":" + hmacSha1(SECRET_KEY, toSign));
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(0);
        c.getOutputStream().close();
        int code = c.getResponseCode();
        if (code / 100 != 2) {
            throw new IllegalStateException("creating bucket " + bucket + " answered HTTP " + code);
        }
    }

    private static String hmacSha1(String key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
