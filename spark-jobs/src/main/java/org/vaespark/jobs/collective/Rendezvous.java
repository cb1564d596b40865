package org.vaespark.jobs.collective;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Where the n tasks of a collective learn of each other: a socket the driver opens for one stage
 * attempt; each task sends (rank, its listening address, its JVM) and receives everyone's once all n
 * arrived, as a collective tracker does (XGBoost's Rabit tracker, Horovod's rendezvous server). Spark's
 * own {@code BarrierTaskContext.allGather} would do, but it polls once a second.
 */
public final class Rendezvous implements AutoCloseable {
    /** This JVM, as tasks tell co-located peers apart. */
    public static final String JVM = ProcessHandle.current().pid() + "@" + java.util.UUID.randomUUID();

    private final ServerSocket server;
    private final String address;
    private final CompletableFuture<Void> done;

    private Rendezvous(ServerSocket server, String address, int n, int timeoutMs) {
        this.server = server;
        this.address = address;
        this.done = CompletableFuture.runAsync(() -> serve(n, timeoutMs), r -> {
            Thread t = new Thread(r, "vae-collective-rendezvous");
            t.setDaemon(true);
            t.start();
        });
    }

    /** Opens the rendezvous of n tasks on {@code host} (the driver's address as executors reach it). */
    public static Rendezvous open(String host, int n, int timeoutMs) {
        try {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(InetAddress.getByName(host), 0), Math.max(64, n));
            return new Rendezvous(s, host + ":" + s.getLocalPort(), n, timeoutMs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the averaging rendezvous on " + host, e);
        }
    }

    /** {@code host:port} for the tasks. */
    public String address() {
        return address;
    }

    /** Everyone's addresses and JVMs, indexed by rank. */
    public record Peers(String[] addresses, String[] jvms) {
        /** Whether every task runs in this JVM. */
        public boolean allHere() {
            for (String j : jvms) {
                if (!JVM.equals(j)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A task's side: registers {@code rank} with its {@code listening} address and waits for everyone. */
    public static Peers join(String rendezvous, int rank, String listening, int timeoutMs, String timeoutKey) {
        int colon = rendezvous.lastIndexOf(':');
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(rendezvous.substring(0, colon), Integer.parseInt(rendezvous.substring(colon + 1))), timeoutMs);
            s.setSoTimeout(timeoutMs);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeInt(rank);
            out.writeUTF(listening);
            out.writeUTF(JVM);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            int n = in.readInt();
            String[] addresses = new String[n];
            String[] jvms = new String[n];
            for (int q = 0; q < n; q++) {
                addresses[q] = in.readUTF();
                jvms[q] = in.readUTF();
            }
            return new Peers(addresses, jvms);
        } catch (SocketTimeoutException e) {
            throw new IllegalStateException("rank " + rank + ": not every task of the averaging stage arrived at the rendezvous " + rendezvous
                    + " within " + timeoutMs / 1000 + " s (" + timeoutKey + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("rank " + rank + " could not reach the averaging rendezvous on the driver at " + rendezvous, e);
        }
    }

    private void serve(int n, int timeoutMs) {
        Socket[] tasks = new Socket[n];
        String[] addresses = new String[n];
        String[] jvms = new String[n];
        try {
            server.setSoTimeout(timeoutMs);
            for (int i = 0; i < n; i++) {
                Socket s = server.accept();
                s.setSoTimeout(timeoutMs);
                DataInputStream in = new DataInputStream(s.getInputStream());
                int rank = in.readInt();
                if (rank < 0 || rank >= n || tasks[rank] != null) {
                    s.close();
                    throw new IOException("unexpected rank " + rank + " at the rendezvous of " + n + " tasks");
                }
                tasks[rank] = s;
                addresses[rank] = in.readUTF();
                jvms[rank] = in.readUTF();
            }
            for (Socket s : tasks) {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeInt(n);
                for (int q = 0; q < n; q++) {
                    out.writeUTF(addresses[q]);
                    out.writeUTF(jvms[q]);
                }
                out.flush();
            }
        } catch (IOException e) {
            // a stage attempt that failed or timed out: its tasks fail on their side and the stage is retried
        } finally {
            for (Socket s : tasks) {
                if (s != null) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing after the exchange of addresses
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // the accept loop ends with it
        }
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the serving thread is a daemon and ends on the closed socket
        }
    }
}
