package io.authsession.server.admin;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.authsession.core.CodeHashKey;
import io.authsession.core.domain.DurationFormat;
import io.authsession.core.wire.Timestamps;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** How the commands write: aligned tables, {@code key=value} lines, JSON, and ids shown only by fingerprint. */
final class Text {
    /** The command line's one Gson: nulls kept, so that a JSON reader sees every field. */
    static final Gson JSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private Text() {}

    /** A table: a header row, then the rows, each column as wide as its widest cell. */
    static void table(PrintWriter out, List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : pad(row.get(i), widths[i] + 2));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String pad(String text, int width) {
        StringBuilder padded = new StringBuilder(text);
        while (padded.length() < width) {
            padded.append(' ');
        }
        return padded.toString();
    }

    /** A value for a {@code key=value} line: quoted when it has a space or a quote (quotes become {@code '}). */
    static String value(String text) {
        String clean = text.replace('"', '\'').replace('\n', ' ').replace('\r', ' ');
        return clean.isEmpty() || clean.contains(" ") || clean.contains("=") ? "\"" + clean + "\"" : clean;
    }

    static String instantOf(Instant instant) {
        return Timestamps.format(instant);
    }

    static String instant(Optional<Instant> instant) {
        return instant.map(Timestamps::format).orElse("-");
    }

    /** A remaining time, to the second. */
    static String duration(Duration duration) {
        return DurationFormat.format(Duration.ofSeconds(Math.max(0, duration.toSeconds())));
    }

    /** How a device session id is shown in output that is kept (audit entries, audit findings): its fingerprint. */
    static String fingerprint(CodeHashKey key, String deviceSessionId) {
        return "fp:" + key.fingerprintOf(deviceSessionId);
    }

    /** A key name with the device session id in it replaced by its owner hint and fingerprint. */
    static String redact(String key, Optional<String> deviceSessionId, CodeHashKey fingerprints) {
        if (deviceSessionId.isEmpty() || !key.contains(deviceSessionId.get())) {
            return deviceSessionId.map(id -> key + " (entry " + fingerprint(fingerprints, id) + ")").orElse(key);
        }
        String id = deviceSessionId.get();
        String hint = id.length() > 4 ? id.substring(0, 4) : id;
        return key.replace(id, hint + "…" + fingerprint(fingerprints, id));
    }

    /** Bytes for humans: {@code 512 B}, {@code 3.2 KiB}, {@code 41.0 MiB}. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
