package org.vaespark.jobs.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Optional;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vaespark.core.errors.Errors;

/**
 * Claims that stop two evaluation batches from computing the same evaluation at once. A claim
 * on an evaluation key is a generation file {@code claims/<key>/g-NNNNNN}; a batch owns the key
 * when it created the newest generation itself, with an exclusive create. A claim older than
 * the timeout belongs to a batch that died, and the next batch takes it over by creating the
 * next generation (again exclusively, so only one batch can take it over). A younger claim is
 * taken over too when it names a process on this host that no longer runs (a batch killed on
 * this machine, e.g. a reproduction run stopped and restarted): claims hold "on HOST pid PID".
 *
 * <p>The exclusive create is atomic on local disks (O_EXCL) and on HDFS (the NameNode). On
 * {@code s3a://} (Hadoop 3.3.4) it is a check-then-write, so two batches started in the same
 * instant could both compute an evaluation; the commit of the result is still all-or-nothing
 * and readers keep one row per key, so the table never holds a duplicate — the price is only
 * the duplicated work.
 */
public final class Claims {
    private static final Logger LOG = LoggerFactory.getLogger(Claims.class);
    private static final String PREFIX = "g-";

    private final FileSystem fs;
    private final Path root;
    private final long timeoutMillis;
    private final String holder;

    /**
     * @param root          the claims directory
     * @param timeoutMillis a claim older than this is taken over
     * @param holder        written into the claim: which batch holds it (for people reading the directory)
     */
    public Claims(FileSystem fs, Path root, long timeoutMillis, String holder) {
        this.fs = fs;
        this.root = root;
        this.timeoutMillis = timeoutMillis;
        this.holder = holder;
    }

    /** A claim this batch owns; release it when the evaluation is committed or has failed. */
    public record Claim(String key, Path file) {
    }

    /** Claims {@code key}, or returns empty when another live batch holds it. */
    public Optional<Claim> tryClaim(String key) {
        Path dir = new Path(root, key);
        try {
            FileStatus newest = newest(dir);
            int generation = 0;
            if (newest != null) {
                long age = System.currentTimeMillis() - newest.getModificationTime();
                String held = read(newest.getPath());
                if (age < timeoutMillis && deadHere(held)) {
                    LOG.warn("{}: the claim {} names a process that no longer runs on this host ({}); taking it over", key,
                            newest.getPath().getName(), held);
                } else if (age < timeoutMillis) {
                    LOG.info("{} is claimed by another batch ({}, {} s ago); skipping it", key, held, age / 1000);
                    return Optional.empty();
                } else {
                    LOG.warn("{}: the claim {} is {} min old (timeout {} min); taking it over", key, newest.getPath().getName(),
                            age / 60000, timeoutMillis / 60000);
                }
                generation = generation(newest.getPath()) + 1;
            }
            Path file = new Path(dir, String.format("%s%06d", PREFIX, generation));
            return createExclusively(file) ? Optional.of(new Claim(key, file)) : Optional.empty();
        } catch (IOException e) {
            throw Errors.jobFailed(dir.toString(), "cannot claim the evaluation: " + Errors.redact(e.getMessage()),
                    "check write permission on results.dir", e);
        }
    }

    /** Gives a claim up (its whole directory: older generations are dead batches'). */
    public void release(Claim claim) {
        try {
            fs.delete(claim.file().getParent(), true);
        } catch (IOException e) {
            LOG.warn("could not release the claim {} (it expires after the timeout): {}", claim.file(), e.getMessage());
        }
    }

    private static final java.util.regex.Pattern HOLDER = java.util.regex.Pattern.compile(" on (\\S+) pid (\\d+) ");

    /** This machine's host name, as claims record it. */
    static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    /** Whether a claim's text names a process of this host that is no longer alive (claims without a pid never are). */
    static boolean deadHere(String held) {
        java.util.regex.Matcher m = HOLDER.matcher(held);
        if (!m.find() || !m.group(1).equals(host())) {
            return false;
        }
        return ProcessHandle.of(Long.parseLong(m.group(2))).map(p -> !p.isAlive()).orElse(true);
    }

    private FileStatus newest(Path dir) throws IOException {
        if (!fs.exists(dir)) {
            return null;
        }
        FileStatus newest = null;
        for (FileStatus s : fs.listStatus(dir)) {
            if (s.getPath().getName().startsWith(PREFIX) && (newest == null || generation(s.getPath()) > generation(newest.getPath()))) {
                newest = s;
            }
        }
        return newest;
    }

    private boolean createExclusively(Path file) throws IOException {
        if ("file".equals(fs.getScheme())) {
            java.nio.file.Path local = Paths.get(fs.makeQualified(file).toUri());
            Files.createDirectories(local.getParent());
            try {
                Files.write(local, holder.getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        }
        try (FSDataOutputStream out = fs.create(file, false)) {
            out.write(holder.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        }
    }

    private String read(Path file) {
        try (InputStream in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "unreadable claim";
        }
    }

    private static int generation(Path file) {
        return Integer.parseInt(file.getName().substring(PREFIX.length()));
    }
}
