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
     * Writes the entry. A stream that cannot be written (Redis failing) is said on standard error; the line is
     * written anyway, so that the operator keeps a record.
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
            written = false;
            context.err.println("authsession admin: the audit entry could not be written to Redis: " + e.getMessage());
        }
        context.out.println(line);
        context.out.flush();
        return written;
    }
}
