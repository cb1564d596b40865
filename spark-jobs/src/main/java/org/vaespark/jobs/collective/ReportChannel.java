package org.vaespark.jobs.collective;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A one-way stream of reports from one task of a running stage to the driver: a socket the driver
 * opens for a stage attempt ({@link Sink}), to which the reporting task connects ({@link Source}) and
 * writes Java-serialized objects while it goes on working, so a long barrier stage can hand the driver
 * its intermediate states (for checkpoints and metrics) without ending. Reports arrive in the order sent.
 */
public final class ReportChannel {
    private ReportChannel() {
    }

    /** The driver's end: accepts one task's connection and queues what it sends. */
    public static final class Sink implements AutoCloseable {
        private final ServerSocket server;
        private final String address;
        private final LinkedBlockingQueue<Object> reports = new LinkedBlockingQueue<>();
        private final Thread reader;
        private volatile IOException failure;

        private Sink(ServerSocket server, String address) {
            this.server = server;
            this.address = address;
            this.reader = new Thread(this::read, "vae-collective-reports");
            reader.setDaemon(true);
            reader.start();
        }

        /** Opens a sink on {@code bind}; tasks reach it at {@code host} (the driver's address as executors see it). */
        public static Sink open(String bind, String host) {
            try {
                ServerSocket s = new ServerSocket();
                s.bind(new InetSocketAddress(InetAddress.getByName(bind), 0), 4);
                return new Sink(s, host + ":" + s.getLocalPort());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the averaging report channel on " + bind, e);
            }
        }

        /** {@code host:port} for the reporting task. */
        public String address() {
            return address;
        }

        /** The next report, waiting at most {@code ms}; null when none came. */
        public Object poll(long ms) throws InterruptedException {
            return reports.poll(ms, TimeUnit.MILLISECONDS);
        }

        /** The next report already here; null when none is. */
        public Object poll() {
            return reports.poll();
        }

        /**
         * Waits until the task's stream ended (after its task returned, its last report is in the queue);
         * false when it did not end within {@code ms}.
         */
        public boolean awaitEnd(long ms) throws InterruptedException {
            reader.join(ms);
            return !reader.isAlive();
        }

        /** Why the stream broke off, if it did (null after a clean end or while open). */
        public IOException failure() {
            return failure;
        }

        private void read() {
            try (Socket s = server.accept(); ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(s.getInputStream()))) {
                while (true) {
                    reports.add(in.readObject());
                }
            } catch (EOFException e) {
                // the task closed its end: every report is in
            } catch (IOException e) {
                failure = e;
            } catch (ClassNotFoundException e) {
                failure = new IOException(e);
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException ignored) {
                // the reader ends with it
            }
        }
    }

    /** The reporting task's end: sends on a thread of its own, so the task does not wait for the driver. */
    public static final class Source implements AutoCloseable {
        private final Socket socket;
        private final ObjectOutputStream out;
        private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "vae-collective-report-sender");
            t.setDaemon(true);
            return t;
        });
        private Future<?> last;

        private Source(Socket socket) throws IOException {
            this.socket = socket;
            this.out = new ObjectOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
            out.flush();
        }

        /** Connects to the sink at {@code address}. */
        public static Source connect(String address, int timeoutMs, String timeoutKey) {
            int colon = address.lastIndexOf(':');
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))), timeoutMs);
                return new Source(s);
            } catch (SocketTimeoutException e) {
                closeQuietly(s);
                throw new IllegalStateException("the driver's averaging report channel " + address + " did not answer within "
                        + timeoutMs / 1000 + " s (" + timeoutKey + ")", e);
            } catch (IOException e) {
                closeQuietly(s);
                throw new UncheckedIOException("could not reach the averaging report channel on the driver at " + address, e);
            }
        }

        /** Queues {@code report} for sending (it must not change afterwards); a failure of an earlier send is thrown here. */
        public void send(Serializable report) {
            check();
            last = sender.submit(() -> {
                out.writeObject(report);
                // each report stands alone: no back-references into earlier ones, which the stream would keep alive
                out.reset();
                out.flush();
                return null;
            });
        }

        private void check() {
            if (last != null && last.isDone()) {
                try {
                    last.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while reporting to the driver", e);
                } catch (ExecutionException e) {
                    throw new UncheckedIOException("lost the averaging report channel to the driver", asIo(e.getCause()));
                }
            }
        }

        /** Sends what is queued, then closes the stream: the driver sees its end after the last report. */
        @Override
        public void close() {
            sender.shutdown();
            try {
                if (!sender.awaitTermination(10, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("a report to the driver did not go out within 10 minutes");
                }
                check();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reporting to the driver", e);
            } finally {
                closeQuietly(socket);
            }
        }

        private static IOException asIo(Throwable t) {
            return t instanceof IOException io ? io : new IOException(t);
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing more to send
            }
        }
    }
}
