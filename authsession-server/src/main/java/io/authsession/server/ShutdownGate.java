package io.authsession.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outermost handler, on the IO thread: counts requests in flight and, once closed, makes every answer the last
 * one of its connection ({@code Connection: close}, the in-flight ones included) and answers new requests with 503,
 * so that no kept-alive client sends another request into a connection about to close.
 */
final class ShutdownGate implements HttpHandler {
    private static final System.Logger LOG = System.getLogger("io.authsession.server.http");

    private final String listener;
    private final HttpHandler next;
    private final AtomicLong inFlight = new AtomicLong();
    private final Object idle = new Object();
    private volatile boolean closed;

    ShutdownGate(String listener, HttpHandler next) {
        this.listener = listener;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        // Count first, then look at the gate: a request either sees it closed or is seen by awaitIdle().
        inFlight.incrementAndGet();
        exchange.addExchangeCompleteListener((completed, nextListener) -> {
            finished();
            nextListener.proceed();
        });
        // Decided when the answer is committed, not when the request arrived: a request in flight when the drain
        // begins still closes its connection after answering.
        exchange.addResponseCommitListener(committing -> {
            if (closed) {
                committing.setPersistent(false);
            }
        });
        if (closed) {
            exchange.setPersistent(false);
            LOG.log(Level.INFO, () -> "event=http_request listener=" + listener + " method="
                    + exchange.getRequestMethod() + " route=- status=503 outcome=draining duration_ms=0");
            Responses.error(exchange, 503, "service_unavailable", "the service is shutting down; retry", Map.of());
            return;
        }
        next.handleRequest(exchange);
    }

    /** From now on every answer closes its connection, and new requests are refused. */
    void close() {
        closed = true;
    }

    /** Waits until no request is in flight; false when the budget ran out first. */
    boolean awaitIdle(Duration budget) throws InterruptedException {
        long deadline = System.nanoTime() + budget.toNanos();
        synchronized (idle) {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    long inFlight() {
        return inFlight.get();
    }

    private void finished() {
        if (inFlight.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }
}
