package io.authsession.server;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outermost handler: counts requests in flight, hands each to a worker thread (the handlers block on Redis and
 * HTTP), and once closed answers new requests with 503 and {@code Connection: close} while the ones in flight finish.
 */
final class ShutdownGate implements HttpHandler {
    private final HttpHandler next;
    private final AtomicLong inFlight = new AtomicLong();
    private final Object idle = new Object();
    private volatile boolean closed;

    ShutdownGate(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        // Count first, then look at the gate: a request either sees it closed or is seen by awaitIdle().
        inFlight.incrementAndGet();
        if (closed) {
            finished();
            exchange.getResponseHeaders().put(Headers.CONNECTION, "close");
            exchange.setPersistent(false);
            Responses.error(exchange, 503, "service_unavailable", "the service is shutting down; retry", Map.of());
            return;
        }
        exchange.addExchangeCompleteListener((completed, nextListener) -> {
            finished();
            nextListener.proceed();
        });
        exchange.dispatch(next);
    }

    /** Stops taking new requests. */
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
