package io.authsession.server;

import io.undertow.io.IoCallback;
import io.undertow.io.Receiver;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.server.protocol.http.HttpContinue;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.xnio.XnioExecutor;

/**
 * Reads a request body on the connection's IO thread, without blocking, at most {@link Requests#MAX_BODY_BYTES}
 * and within a deadline. A slow or stalled body therefore holds a connection (which the connection cap bounds) but
 * never a worker thread. The outcome is handed to exactly one of the two callbacks, on the IO thread.
 */
final class BodyReader {
    /** Why a body could not be read. */
    enum Failure {
        /** Larger than the limit: {@code 413}. */
        TOO_LARGE,
        /** Not there within the deadline: {@code 408}. */
        TIMED_OUT,
        /** Framing that cannot be decoded (a bad chunk size, bad trailers): {@code 400}. */
        MALFORMED,
        /** The client closed or reset the connection: nobody to answer. */
        CLIENT_GONE
    }

    interface Done {
        void read(HttpServerExchange exchange, byte[] body);
    }

    interface Failed {
        void failed(HttpServerExchange exchange, Failure failure, IOException cause);
    }

    private BodyReader() {}

    static void read(HttpServerExchange exchange, Duration deadline, Done done, Failed failed) {
        // Everything below runs on this exchange's IO thread, the timer included, so the flag needs no lock.
        boolean[] finished = new boolean[1];
        XnioExecutor.Key timer = exchange.getIoThread().executeAfter(() -> {
            if (!finished[0]) {
                finished[0] = true;
                failed.failed(exchange, Failure.TIMED_OUT, null);
            }
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        Receiver.FullBytesCallback onBody = (ex, body) -> {
            if (!finished[0]) {
                finished[0] = true;
                timer.remove();
                done.read(ex, body);
            }
        };
        Receiver.ErrorCallback onError = (ex, e) -> {
            if (!finished[0]) {
                finished[0] = true;
                timer.remove();
                failed.failed(ex, classify(e), e);
            }
        };
        Runnable receive = () -> {
            Receiver receiver = exchange.getRequestReceiver();
            receiver.setMaxBufferSize(Requests.MAX_BODY_BYTES);
            receiver.receiveFullBytes(onBody, onError);
        };
        if (HttpContinue.requiresContinueResponse(exchange)) {
            // The client waits for this before it sends the body (curl does, for larger bodies).
            HttpContinue.sendContinueResponse(exchange, new IoCallback() {
                @Override
                public void onComplete(HttpServerExchange ex, io.undertow.io.Sender sender) {
                    receive.run();
                }

                @Override
                public void onException(HttpServerExchange ex, io.undertow.io.Sender sender, IOException e) {
                    onError.error(ex, e);
                }
            });
        } else {
            receive.run();
        }
    }

    /** Undertow reports all of these as an {@code IOException}; the kind decides who is at fault and what to say. */
    static Failure classify(IOException error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Receiver.RequestToLargeException || t instanceof RequestTooBigException) {
                return Failure.TOO_LARGE;
            }
            if (t instanceof ClosedChannelException) {
                return Failure.CLIENT_GONE;
            }
            String message = String.valueOf(t.getMessage());
            // UT000128: "Remote peer closed connection before all data could be read"
            if (message.startsWith("UT000128") || message.contains("Connection reset") || message.contains("Broken pipe")) {
                return Failure.CLIENT_GONE;
            }
        }
        return Failure.MALFORMED;
    }
}
