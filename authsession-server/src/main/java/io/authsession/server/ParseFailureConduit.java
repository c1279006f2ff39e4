package io.authsession.server;

import io.undertow.server.handlers.HostHeaderHandler;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.StreamSinkConduit;

/**
 * Puts the error envelope on the two answers Undertow writes by itself, before any handler of ours runs: the fixed
 * bodiless {@code 400} of its parser (a bad request line, a bad percent escape, a header it refuses, conflicting
 * framing headers), and the bodiless {@code 400} of its {@code Host} check. This conduit sits under every connection
 * and swaps exactly those bytes for a {@code 400 invalid_request} envelope, logged as one access line. Everything
 * else passes through untouched.
 */
final class ParseFailureConduit extends AbstractStreamSinkConduit<StreamSinkConduit> {
    private static final System.Logger LOG = System.getLogger("io.authsession.server.http");
    /** What {@code io.undertow.server.protocol.http.HttpReadListener} writes (its {@code BAD_REQUEST}). */
    private static final ByteBuffer UNDERTOW_BAD_REQUEST = ByteBuffer.wrap(
            "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
    /** The reason phrases of Undertow's {@code Host} refusals: a status line with one of them is Undertow's. */
    private static final List<String> HOST_REFUSALS = List.of(HostHeaderHandler.STATUS_NO_HOST_HEADER,
            HostHeaderHandler.STATUS_TOO_MANY_HOST_HEADERS, HostHeaderHandler.STATUS_MALFORMED_PORT,
            HostHeaderHandler.STATUS_MALFORMED_IP_LITERAL, HostHeaderHandler.STATUS_MALFORMED_IP_LITERAL_BAD_CHARS,
            HostHeaderHandler.STATUS_HOST_NO_MATCH);
    private static final byte[] UNPARSABLE = Responses.rawErrorResponse(400, "Bad Request", "invalid_request",
            "the request is not valid HTTP/1.1 (request line, target, headers or framing)");
    private static final byte[] BAD_HOST = Responses.rawErrorResponse(400, "Bad Request", "invalid_request",
            "Host: must be one host, with an optional port (RFC 9110, section 7.2)");

    private final String listener;
    private ByteBuffer pending;

    ParseFailureConduit(StreamSinkConduit next, String listener) {
        super(next);
        this.listener = listener;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (pending == null) {
            byte[] replacement = replacementFor(src);
            if (replacement != null) {
                int consumed = src.remaining();
                src.position(src.limit());
                pending = ByteBuffer.wrap(replacement);
                String outcome = replacement == BAD_HOST ? "bad_host" : "unparsable_request";
                LOG.log(Level.INFO, () -> "event=http_request listener=" + listener + " method=- route=- status=400"
                        + " outcome=" + outcome);
                writePending();
                return consumed;
            }
        } else if (!writePending()) {
            return 0;
        }
        return next.write(src);
    }

    /** The envelope to write instead of {@code src}, or null when {@code src} is not one of Undertow's answers. */
    private static byte[] replacementFor(ByteBuffer src) {
        int at = src.position();
        // Cheap first: every answer of ours is larger or has another status; most writes stop at these two tests.
        if (src.remaining() < 16 || src.get(at + 9) != '4' || src.get(at + 10) != '0' || src.get(at + 11) != '0') {
            return null;
        }
        if (src.equals(UNDERTOW_BAD_REQUEST)) {
            return UNPARSABLE;
        }
        String head = StandardCharsets.ISO_8859_1.decode(src.duplicate()).toString();
        if (!head.startsWith("HTTP/1.") || !head.endsWith("\r\n\r\n") || !head.contains("\r\nContent-Length: 0\r\n")) {
            return null;
        }
        int lineEnd = head.indexOf("\r\n");
        String reason = head.substring(Math.min(13, lineEnd), lineEnd);
        return HOST_REFUSALS.contains(reason) ? BAD_HOST : null;
    }

    @Override
    public boolean flush() throws IOException {
        return (pending == null || writePending()) && next.flush();
    }

    @Override
    public void terminateWrites() throws IOException {
        if (pending != null) {
            // Undertow shuts the write side right after "writing" its answer; the envelope goes out first.
            writePending();
        }
        next.terminateWrites();
    }

    /** Writes what is left of the envelope; true when all of it is written. */
    private boolean writePending() throws IOException {
        while (pending.hasRemaining()) {
            if (next.write(pending) == 0) {
                return false;
            }
        }
        return true;
    }
}
