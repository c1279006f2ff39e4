package io.authsession.server;

import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.channels.AcceptingChannel;

/**
 * Accepts connections for one listener and keeps at most {@code maxConnections} of them open. One more is answered
 * {@code 503} in the error envelope and closed at once, so a flood of connections is refused fast and never runs the
 * process out of file descriptors (which would make XNIO back off accepting for seconds). Knows every open
 * connection, so that a draining listener can wait for them and close the rest.
 */
final class Acceptor implements ChannelListener<AcceptingChannel<StreamConnection>> {
    private static final System.Logger LOG = System.getLogger("io.authsession.server.http");
    private static final byte[] REFUSAL = Responses.rawErrorResponse(503, "Service Unavailable", "service_unavailable",
            "too many open connections; retry later");
    /**
     * Sockets XNIO may hold open beyond the cap, refusals on their way out: past {@code maxConnections} plus these,
     * XNIO stops accepting until connections close ({@link HttpListener} sets its high-water mark so), which bounds
     * the descriptors a flood can take whatever the IO threads' timing.
     */
    static final int REFUSALS_IN_FLIGHT = 64;

    private final String listener;
    private final int maxConnections;
    private final HttpOpenListener http;
    private final Set<StreamConnection> open = ConcurrentHashMap.newKeySet();
    /** Counted apart from {@link #open} so that accepts on several IO threads never overshoot the cap. */
    private final AtomicInteger count = new AtomicInteger();
    private final Object change = new Object();
    private volatile AcceptingChannel<StreamConnection> channel;
    private long refused;

    Acceptor(String listener, int maxConnections, HttpOpenListener http) {
        this.listener = listener;
        this.maxConnections = maxConnections;
        this.http = http;
    }

    /** The listening channel this accepts from, for {@link #stopAccepting()}. */
    void bind(AcceptingChannel<StreamConnection> server) {
        this.channel = server;
    }

    @Override
    public void handleEvent(AcceptingChannel<StreamConnection> server) {
        StreamConnection accepted;
        try {
            accepted = server.accept();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "event=accept_failed listener=" + listener + " error=\"" + LogFormat.oneLine(e)
                    + "\"");
            return;
        }
        if (accepted != null) {
            admit(accepted);
        }
    }

    private void admit(StreamConnection accepted) {
        if (!reserve()) {
            refuseOnItsThread(accepted);
            return;
        }
        open.add(accepted);
        // Undertow's parser answers a request it cannot parse with a bare 400; this puts the envelope on it.
        accepted.getSinkChannel().setConduit(new ParseFailureConduit(accepted.getSinkChannel().getConduit(), listener));
        // Hand over on the connection's own IO thread, so that wrapping its close listener races with nothing.
        accepted.getIoThread().execute(() -> handOver(accepted));
    }

    private void handOver(StreamConnection accepted) {
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                open.remove(accepted);
                count.decrementAndGet();
                synchronized (change) {
                    change.notifyAll();
                }
            }
        };
        try {
            http.handleEvent(accepted);
        } finally {
            // Undertow installs its own close listener while taking the connection; ours runs after it.
            ChannelListener<? super StreamConnection> undertow = accepted.getCloseListener();
            accepted.setCloseListener(connection -> {
                try {
                    ChannelListeners.invokeChannelListener(connection, undertow);
                } finally {
                    release.run();
                }
            });
            if (!accepted.isOpen()) {
                release.run();
            }
        }
    }

    private boolean reserve() {
        int current;
        do {
            current = count.get();
            if (current >= maxConnections) {
                return false;
            }
        } while (!count.compareAndSet(current, current + 1));
        return true;
    }

    /**
     * A socket registered with a selector keeps its descriptor until that selector deregisters it, so a refusal is
     * closed on the connection's own IO thread, where XNIO deregisters at once.
     */
    private void refuseOnItsThread(StreamConnection accepted) {
        if (accepted.getIoThread() == org.xnio.XnioIoThread.currentThread()) {
            refuse(accepted);
        } else {
            accepted.getIoThread().execute(() -> refuse(accepted));
        }
    }

    private void refuse(StreamConnection accepted) {
        synchronized (this) {
            refused++;
            // One line per thousand, not per connection: a flood must not become a flood of log lines.
            if (refused % 1000 == 1) {
                long total = refused;
                LOG.log(Level.WARNING, () -> "event=connection_refused listener=" + listener + " open="
                        + count.get() + " max_connections=" + maxConnections + " refused_total=" + total);
            }
        }
        try {
            // A fresh socket's send buffer always takes these few bytes; the close frees the descriptor at once.
            accepted.getSinkChannel().write(ByteBuffer.wrap(REFUSAL));
            // Whatever of the request has arrived is read first: closing over unread bytes would send a reset,
            // which can overtake the answer.
            ByteBuffer discard = ByteBuffer.allocate(4096);
            for (int i = 0; i < 16 && accepted.getSourceChannel().read(discard) > 0; i++) {
                discard.clear();
            }
        } catch (IOException e) {
            // the client is gone already
        }
        IoUtils.safeClose(accepted);
    }

    int openConnections() {
        return count.get();
    }

    /**
     * Stops accepting: connections already queued by the kernel are taken (and served like the others) and the
     * listening socket is closed, so a client trying now is refused instead of reset later. A connection that
     * completes its handshake in the instant between the last accept and the close is reset by the kernel; the
     * caller closes the gate only after this, so that no kept-alive client is told to reconnect before new
     * connections are refused.
     */
    void stopAccepting() {
        AcceptingChannel<StreamConnection> server = channel;
        if (server == null) {
            return;
        }
        Runnable stop = () -> {
            try {
                StreamConnection queued;
                while ((queued = server.accept()) != null) {
                    admit(queued);
                }
            } catch (IOException e) {
                // closed already
            }
            IoUtils.safeClose(server);
        };
        AtomicBoolean done = new AtomicBoolean();
        server.getIoThread().execute(() -> {
            try {
                stop.run();
            } finally {
                done.set(true);
                synchronized (change) {
                    change.notifyAll();
                }
            }
        });
        awaitUntil(done::get, 2_000);
    }

    /** Waits until every connection is closed, at most {@code millis}; true when none is left. */
    boolean awaitNoConnections(long millis) {
        return awaitUntil(() -> count.get() == 0, millis);
    }

    /** Closes what is still open: first the write side (a clean end for an idle client), then the connection. */
    void closeAll() {
        for (StreamConnection connection : open) {
            connection.getIoThread().execute(() -> io.undertow.util.ConnectionUtils.cleanClose(connection));
        }
    }

    private boolean awaitUntil(java.util.function.BooleanSupplier condition, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        synchronized (change) {
            while (!condition.getAsBoolean()) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                try {
                    change.wait(Math.min(left, 50));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return condition.getAsBoolean();
                }
            }
        }
        return true;
    }
}
