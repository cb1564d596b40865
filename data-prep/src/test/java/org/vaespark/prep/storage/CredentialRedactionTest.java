package org.vaespark.prep.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vaespark.core.config.Settings;
import org.vaespark.core.errors.VaeException;
import org.vaespark.prep.Manifest;
import org.vaespark.prep.Prepare;
import org.vaespark.prep.testing.S3ProxyServer;
import org.vaespark.prep.testing.SharedData;
import org.vaespark.prep.testing.SparkTestSession;

/** Secrets from the Hadoop configuration or from a URI's user-info never reach an error message or a manifest. */
class CredentialRedactionTest {
    private static final String CONF_SECRET = "SECRET-XYZ-conf-0123456789";
    private static final String URI_SECRET = "SECRET-XYZ-uri-0123456789";

    @TempDir
    static Path dir;

    private static S3ProxyServer s3;
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        s3 = S3ProxyServer.shared();
        spark = SparkTestSession.get();
        // A per-bucket secret that S3Proxy rejects: requests to this bucket fail authentication.
        spark.sparkContext().hadoopConfiguration().set("fs.s3a.bucket.denied.secret.key", CONF_SECRET);
    }

    @Test
    void aUriWithUserInfoIsRedactedInTheError() {
        String output = "s3a://AKIAEXAMPLEKEY:" + URI_SECRET + "@denied/datasets/mnist";
        VaeException e = assertThrows(VaeException.class, () -> Prepare.run(spark, Settings.defaults(
                "prepare.source=mnist", "prepare.input=" + SharedData.dir().resolve("mnist"), "prepare.output=" + output)));
        assertNoSecret(e);
    }

    @Test
    void aWrongSecretFromTheConfigurationIsNotQuoted() {
        VaeException e = assertThrows(VaeException.class, () -> Prepare.run(spark, Settings.defaults(
                "prepare.source=mnist", "prepare.input=s3a://denied/raw", "prepare.output=" + dir.resolve("out"))));
        assertNoSecret(e);
    }

    @Test
    void theManifestOfADatasetReadFromS3HoldsNoCredentials() throws Exception {
        Manifest m = Manifest.fromJson(ManifestHolder.json(), "test");
        assertFalse(m.toJson().contains(S3ProxyServer.SECRET_KEY));
        assertFalse(m.toJson().contains(S3ProxyServer.ACCESS_KEY));
        assertFalse(Files.readString(dir.resolve("manifest-source/_manifest.json")).contains("s3a://"),
                "source files are named without their location");
    }

    private static void assertNoSecret(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        for (String secret : new String[] {CONF_SECRET, URI_SECRET}) {
            assertFalse(e.getMessage().contains(secret), e.getMessage());
            assertFalse(trace.toString().contains(secret), "stack trace quotes the secret:\n" + trace);
        }
        assertTrue(e.getMessage().contains("[at "), e.getMessage());
    }

    /** Prepares the small binarized valid split from s3a:// once and returns its manifest text. */
    private static final class ManifestHolder {
        static String json() throws Exception {
            String raw = "s3a://vaespark/raw/bin";
            org.apache.hadoop.fs.FileSystem fs = new org.apache.hadoop.fs.Path(raw)
                    .getFileSystem(spark.sparkContext().hadoopConfiguration());
            for (String split : new String[] {"train", "valid", "test"}) {
                String name = "binarized_mnist_" + split + ".amat.gz";
                fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(SharedData.file("binarized_mnist/" + name).toUri()),
                        new org.apache.hadoop.fs.Path(raw, name));
            }
            Path out = dir.resolve("manifest-source");
            Manifest m = Prepare.run(spark, Settings.defaults("prepare.source=binarized-mnist", "prepare.input=" + raw,
                    "prepare.output=" + out));
            assertEquals(m.toJson(), Files.readString(out.resolve("_manifest.json")));
            return m.toJson();
        }
    }
}
