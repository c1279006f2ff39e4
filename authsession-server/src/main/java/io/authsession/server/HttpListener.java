package io.authsession.server;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;

/** One Undertow listener behind a {@link ShutdownGate}. */
final class HttpListener {
    private static final System.Logger LOG = System.getLogger(HttpListener.class.getName());

    private final String name;
    private final Undertow undertow;
    private final ShutdownGate gate;
    private final InetSocketAddress address;

    private HttpListener(String name, Undertow undertow, ShutdownGate gate, InetSocketAddress address) {
        this.name = name;
        this.undertow = undertow;
        this.gate = gate;
        this.address = address;
    }

    /**
     * Binds and starts the listener, then logs the real bound address.
     *
     * @throws RuntimeException when the address cannot be bound
     */
    static HttpListener start(String name, ListenAddress listenAddress, HttpHandler api) {
        ShutdownGate gate = new ShutdownGate(api);
        Undertow undertow = Undertow.builder()
                .addHttpListener(listenAddress.port(), listenAddress.host())
                .setHandler(gate)
                // Path segments are decoded by the router, one by one, so that ids may hold an encoded slash.
                .setServerOption(UndertowOptions.DECODE_URL, false)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 10_000)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, 16 * 1024)
                .build();
        undertow.start();
        InetSocketAddress bound = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        LOG.log(Level.INFO, () -> name + " HTTP listener started on " + listenAddress.describe(bound));
        return new HttpListener(name, undertow, gate, bound);
    }

    InetSocketAddress address() {
        return address;
    }

    /**
     * Stops taking requests, lets those in flight finish within {@code budget}, then closes the listener. Never
     * waits much longer than the budget.
     */
    void stop(Duration budget) {
        gate.close();
        try {
            if (!gate.awaitIdle(budget)) {
                LOG.log(Level.WARNING, () -> "event=listener_drain_timeout listener=" + name + " in_flight="
                        + gate.inFlight() + " budget=" + budget);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        TimeBudget.run(name + "_listener", Duration.ofSeconds(5), undertow::stop);
        LOG.log(Level.INFO, () -> name + " HTTP listener stopped");
    }
}
