package io.authsession.server;

import io.authsession.core.domain.EmailAddress;
import io.authsession.core.error.AuthSessionException;
import io.authsession.core.error.ErrorCode;
import io.authsession.core.port.EnsuredUser;
import io.authsession.core.port.UserDirectory;
import io.authsession.core.port.UserLookup;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The stub user service (CONTRACT §6): in process, every address creatable until ensured, ids stable per address
 * for the life of the process, block works. For development and isolated tests only.
 */
final class StubUserDirectory implements UserDirectory {
    private final Map<EmailAddress, String> users = new HashMap<>();
    private final Set<String> known = new HashSet<>();
    private final Set<String> blocked = new HashSet<>();

    @Override
    public synchronized UserLookup resolveByEmail(EmailAddress email) {
        String userId = users.get(email);
        if (userId == null) {
            return UserLookup.creatable();
        }
        return blocked.contains(userId) ? UserLookup.blocked(userId) : UserLookup.existing(userId);
    }

    @Override
    public synchronized EnsuredUser ensureByEmail(EmailAddress email) {
        String userId = users.computeIfAbsent(email, address -> "stub-" + UUID.randomUUID());
        known.add(userId);
        return new EnsuredUser(userId, blocked.contains(userId));
    }

    @Override
    public synchronized void block(String userId, String reason) {
        if (!known.contains(userId)) {
            throw new AuthSessionException(ErrorCode.USER_NOT_FOUND, "no such user");
        }
        blocked.add(userId);
    }

    @Override
    public void ping() {
        // In process: always reachable.
    }
}
