package org.vaespark.jobs.collective;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A full mesh of TCP connections between the n tasks of one collective (the tasks of a Spark barrier
 * stage), for the all-to-all exchanges of {@link MeanExchange}. Every task first {@link #listen}s,
 * the addresses are shared (Spark's {@code BarrierTaskContext.allGather}), then each task connects to
 * every lower rank and accepts every higher one. An exchange writes to each peer on its own thread
 * while reading the peers in rank order, so two tasks sending each other megabytes never block on
 * full socket buffers. A peer that sends nothing for the timeout fails the exchange with a message
 * naming it; its task then fails and Spark retries the stage.
 */
public final class PeerMesh implements AutoCloseable {
    private static final int BUFFER_BYTES = 4 << 20;

    private final int rank;
    private final Socket[] sockets;
    private final DataInputStream[] in;
    private final OutputStream[] out;
    private final ExecutorService senders;
    private final int timeoutMs;
    private final String timeoutKey;

    private PeerMesh(int rank, Socket[] sockets, int timeoutMs, String timeoutKey) throws IOException {
        this.rank = rank;
        this.sockets = sockets;
        this.timeoutMs = timeoutMs;
        this.timeoutKey = timeoutKey;
        this.in = new DataInputStream[sockets.length];
        this.out = new OutputStream[sockets.length];
        for (int q = 0; q < sockets.length; q++) {
            if (q != rank) {
                sockets[q].setSoTimeout(timeoutMs);
                in[q] = new DataInputStream(sockets[q].getInputStream());
                out[q] = sockets[q].getOutputStream();
            }
        }
        this.senders = Executors.newFixedThreadPool(Math.max(1, sockets.length - 1), r -> {
            Thread t = new Thread(r, "vae-collective-send");
            t.setDaemon(true);
            return t;
        });
    }

    /** A listening socket on {@code host} (a port the system chooses), the first half of building a mesh. */
    public static Listener listen(String host) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReceiveBufferSize(BUFFER_BYTES);
            server.bind(new InetSocketAddress(InetAddress.getByName(host), 0), 64);
            return new Listener(server, host);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + " for the averaging exchange", e);
        }
    }

    /** A task's listening socket, before the mesh is connected. */
    public static final class Listener implements AutoCloseable {
        private final ServerSocket server;
        private final String host;

        private Listener(ServerSocket server, String host) {
            this.server = server;
            this.host = host;
        }

        /** {@code host:port}, to share with the other tasks. */
        public String address() {
            return host + ":" + server.getLocalPort();
        }

        /**
         * Connects to every other task of {@code addresses} (index = rank): dials the lower ranks, accepts
         * the higher ones. Waits at most {@code timeoutMs} for each connection and later for each message.
         */
        public PeerMesh connect(int rank, String[] addresses, int timeoutMs, String timeoutKey) {
            int n = addresses.length;
            Socket[] sockets = new Socket[n];
            try {
                for (int q = 0; q < rank; q++) {
                    Socket s = new Socket();
                    tune(s);
                    int colon = addresses[q].lastIndexOf(':');
                    s.connect(new InetSocketAddress(addresses[q].substring(0, colon), Integer.parseInt(addresses[q].substring(colon + 1))), timeoutMs);
                    new DataOutputStream(s.getOutputStream()).writeInt(rank);
                    sockets[q] = s;
                }
                server.setSoTimeout(timeoutMs);
                for (int accepted = rank + 1; accepted < n; accepted++) {
                    Socket s = server.accept();
                    tune(s);
                    s.setSoTimeout(timeoutMs);
                    int q = new DataInputStream(s.getInputStream()).readInt();
                    if (q <= rank || q >= n || sockets[q] != null) {
                        s.close();
                        throw new IOException("unexpected peer rank " + q + " connecting to rank " + rank + " of " + n);
                    }
                    sockets[q] = s;
                }
                return new PeerMesh(rank, sockets, timeoutMs, timeoutKey);
            } catch (SocketTimeoutException e) {
                closeAll(sockets);
                throw new IllegalStateException("rank " + rank + " of the averaging exchange: a peer did not connect within "
                        + timeoutMs / 1000 + " s (" + timeoutKey + ")", e);
            } catch (IOException e) {
                closeAll(sockets);
                throw new UncheckedIOException("rank " + rank + " could not connect the averaging exchange to " + String.join(", ", addresses), e);
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException ignored) {
                // nothing is listening any more either way
            }
        }
    }

    public int rank() {
        return rank;
    }

    public int size() {
        return sockets.length;
    }

    /**
     * Sends {@code outgoing[q][0, lengths[q])} to each peer q and reads the same number of bytes
     * {@code incoming[q].length} from it into {@code incoming[q]}; the own rank's entries are ignored.
     */
    public void exchange(byte[][] outgoing, int[] outLengths, byte[][] incoming, int[] inLengths) {
        List<Future<?>> sends = new ArrayList<>();
        for (int q = 0; q < sockets.length; q++) {
            if (q != rank) {
                int peer = q;
                sends.add(senders.submit(() -> {
                    out[peer].write(outgoing[peer], 0, outLengths[peer]);
                    out[peer].flush();
                    return null;
                }));
            }
        }
        for (int q = 0; q < sockets.length; q++) {
            if (q != rank) {
                try {
                    in[q].readFully(incoming[q], 0, inLengths[q]);
                } catch (SocketTimeoutException e) {
                    throw new IllegalStateException("rank " + rank + " of the averaging exchange: rank " + q + " sent nothing for "
                            + timeoutMs / 1000 + " s (" + timeoutKey + "); Spark retries the stage", e);
                } catch (IOException e) {
                    throw new UncheckedIOException("rank " + rank + " of the averaging exchange lost rank " + q, e);
                }
            }
        }
        for (Future<?> f : sends) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new UncheckedIOException("rank " + rank + " could not send its share of the average",
                        e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during the averaging exchange", e);
            }
        }
    }

    @Override
    public void close() {
        senders.shutdownNow();
        closeAll(sockets);
    }

    private static void tune(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        s.setSendBufferSize(BUFFER_BYTES);
        s.setReceiveBufferSize(BUFFER_BYTES);
    }

    private static void closeAll(Socket[] sockets) {
        for (Socket s : sockets) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing on the way out of a failure
                }
            }
        }
    }
}
