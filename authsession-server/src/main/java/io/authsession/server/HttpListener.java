package io.authsession.server;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * One HTTP listener: its own XNIO worker (IO threads and a blocking pool), Undertow's HTTP/1.1 parser, an
 * {@link Acceptor} that caps open connections, and a {@link ShutdownGate}. Assembled by hand rather than with
 * {@code Undertow.builder()}, which offers no hook on accepting a connection.
 */
final class HttpListener {
    private static final System.Logger LOG = System.getLogger(HttpListener.class.getName());
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final String name;
    private final XnioWorker worker;
    private final Acceptor acceptor;
    private final ShutdownGate gate;
    private final HttpLimits limits;
    private final InetSocketAddress address;
    private final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();

    private HttpListener(String name, XnioWorker worker, Acceptor acceptor, ShutdownGate gate, HttpLimits limits,
            InetSocketAddress address) {
        this.name = name;
        this.worker = worker;
        this.acceptor = acceptor;
        this.gate = gate;
        this.limits = limits;
        this.address = address;
    }

    /**
     * Binds and starts the listener, then logs the real bound address.
     *
     * @throws RuntimeException when the address cannot be bound
     */
    static HttpListener start(String name, ListenAddress listenAddress, HttpLimits limits, HttpHandler api) {
        XnioWorker worker;
        try {
            worker = Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
                    .set(Options.WORKER_NAME, name)
                    .set(Options.WORKER_IO_THREADS, limits.ioThreads())
                    .set(Options.WORKER_TASK_CORE_THREADS, limits.workerThreads())
                    .set(Options.WORKER_TASK_MAX_THREADS, limits.workerThreads())
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.CORK, true)
                    .getMap());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            ShutdownGate gate = new ShutdownGate(name, api);
            OptionMap options = OptionMap.builder()
                    // Path segments are decoded by the router, one by one, so that ids may hold an encoded slash.
                    .set(UndertowOptions.DECODE_URL, false)
                    // Let raw non-ASCII bytes and controls reach the router, which refuses them in the envelope.
                    .set(UndertowOptions.ALLOW_UNESCAPED_CHARACTERS_IN_URL, true)
                    .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) limits.readTimeout().toMillis())
                    .set(UndertowOptions.NO_REQUEST_TIMEOUT, (int) limits.idleTimeout().toMillis())
                    .set(UndertowOptions.MAX_HEADER_SIZE, MAX_HEADER_BYTES)
                    .getMap();
            ByteBufferPool buffers = new DefaultByteBufferPool(true, 16 * 1024, -1, 4);
            HttpOpenListener http = new HttpOpenListener(buffers, options);
            http.setRootHandler(gate);
            Acceptor acceptor = new Acceptor(name, limits.maxConnections(), http);
            AcceptingChannel<StreamConnection> server = worker.createStreamConnectionServer(
                    new InetSocketAddress(InetAddress.getByName(listenAddress.host()), listenAddress.port()), acceptor,
                    OptionMap.builder()
                            .set(Options.TCP_NODELAY, true)
                            .set(Options.REUSE_ADDRESSES, true)
                            .set(Options.BACKLOG, 1000)
                            // Every accepted socket holds a descriptor until closed, refused ones too: XNIO counts
                            // them and waits at this mark, so a flood never exhausts descriptors (HttpLimits).
                            .set(Options.CONNECTION_HIGH_WATER, limits.maxConnections() + Acceptor.REFUSALS_IN_FLIGHT)
                            .set(Options.CONNECTION_LOW_WATER,
                                    limits.maxConnections() + Acceptor.REFUSALS_IN_FLIGHT / 2)
                            .getMap());
            acceptor.bind(server);
            server.resumeAccepts();
            InetSocketAddress bound = server.getLocalAddress(InetSocketAddress.class);
            LOG.log(Level.INFO, () -> name + " HTTP listener started on " + listenAddress.describe(bound));
            return new HttpListener(name, worker, acceptor, gate, limits, bound);
        } catch (IOException | RuntimeException e) {
            worker.shutdownNow();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    InetSocketAddress address() {
        return address;
    }

    int openConnections() {
        return acceptor.openConnections();
    }

    /**
     * Drains, then closes, within {@code budget} (plus a few seconds to close, never much more): stops accepting
     * connections, then lets the requests in flight finish (each answer closing its connection), gives kept-alive
     * clients a moment to take their {@code Connection: close}, then closes what is left. Stopping again does
     * nothing.
     */
    void stop(Duration budget) {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + budget.toNanos();
        // This order: a kept-alive client told to close by the gate reconnects at once, and must then be refused by
        // a closed listening socket, not queued in its backlog and reset when it closes.
        acceptor.stopAccepting();
        gate.close();
        try {
            if (!gate.awaitIdle(budget)) {
                LOG.log(Level.WARNING, () -> "event=listener_drain_timeout listener=" + name + " in_flight="
                        + gate.inFlight() + " budget=" + budget);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
        acceptor.awaitNoConnections(Math.min(limits.drainGrace().toMillis(), left));
        acceptor.closeAll();
        TimeBudget.run(name + "_listener", Duration.ofSeconds(5), () -> {
            worker.shutdown();
            try {
                if (!worker.awaitTermination(4, TimeUnit.SECONDS)) {
                    worker.shutdownNow();
                }
            } catch (InterruptedException e) {
                worker.shutdownNow();
                Thread.currentThread().interrupt();
            }
        });
        LOG.log(Level.INFO, () -> name + " HTTP listener stopped");
    }
}
