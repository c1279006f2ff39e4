package io.authsession.server.admin;

import io.authsession.core.wire.Timestamps;
import io.authsession.redis.RedisMaintenance;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The audit trail of CONTRACT §10: every command that changes data writes one line to standard output and one entry
 * to the stream {@code <prefix>audit}, with time, operator, command, arguments (never a secret, a code, an e-mail
 * address or a device session id in clear), reason, counts and outcome.
 */
final class AuditTrail {
    private AuditTrail() {}

    /**
     * Writes the entry. The line is written even when the stream cannot be (Redis failing), saying so, so that the
     * operator keeps a record.
     *
     * @return whether the stream entry was written
     */
    static boolean record(Context context, String operator, String command, String arguments, String reason,
            String counts, String outcome) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("time", Timestamps.format(context.clock.instant()));
        fields.put("operator", operator);
        fields.put("command", command);
        fields.put("arguments", arguments);
        fields.put("reason", reason);
        fields.put("counts", counts);
        fields.put("outcome", outcome);
        StringBuilder line = new StringBuilder("audit");
        fields.forEach((name, value) -> line.append(' ').append(name).append('=').append(Text.value(value)));
        boolean written;
        try {
            RedisMaintenance maintenance = context.connection().maintenance();
            String id = maintenance.appendAudit(fields);
            line.append(" stream=").append(maintenance.auditStreamKey()).append(" entry=").append(id);
            written = true;
        } catch (RuntimeException e) {
            // Said on the line itself: standard error keeps its one line for the command's own failure.
            written = false;
            line.append(" stream=unwritten error=").append(Text.value(e.getMessage() == null ? e.toString()
                    : e.getMessage()));
        }
        context.out.println(line);
        context.out.flush();
        return written;
    }
}
