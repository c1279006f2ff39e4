package io.authsession.testkit;

import io.authsession.core.domain.EmailAddress;
import io.authsession.core.error.AuthSessionException;
import io.authsession.core.error.ErrorCode;
import io.authsession.core.port.EnsuredUser;
import io.authsession.core.port.UserDirectory;
import io.authsession.core.port.UserLookup;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link UserDirectory} in memory with the stub user service's rules: every address is creatable until ensured,
 * user ids are stable per address ({@code user-1}, {@code user-2}, ...), and block works. It counts calls so that a
 * test can assert a flow did not reach the user service.
 */
public final class InMemoryUserDirectory implements UserDirectory {
    private final Map<EmailAddress, String> idsByEmail = new HashMap<>();
    private final Map<String, Boolean> blockedById = new HashMap<>();
    private final AtomicInteger resolveCalls = new AtomicInteger();
    private final AtomicInteger ensureCalls = new AtomicInteger();
    private final Faults faults = new Faults("user_service");

    /** The next {@code calls} calls fail as if the user service were down. */
    public void failNextCalls(int calls) {
        faults.failNext(calls);
    }

    /** Creates the user of an address, as a sign-up elsewhere would; returns its id. */
    public synchronized String register(String email) {
        return ensure(EmailAddress.parse(email));
    }

    /** Creates the user of an address if needed and blocks it; returns its id. */
    public synchronized String registerBlocked(String email) {
        String userId = register(email);
        blockedById.put(userId, true);
        return userId;
    }

    /** The id of the address's user, if it exists. */
    public synchronized Optional<String> userIdOf(String email) {
        return Optional.ofNullable(idsByEmail.get(EmailAddress.parse(email)));
    }

    /** Whether the user is blocked. */
    public synchronized boolean isBlocked(String userId) {
        return blockedById.getOrDefault(userId, false);
    }

    public int resolveCalls() {
        return resolveCalls.get();
    }

    public int ensureCalls() {
        return ensureCalls.get();
    }

    @Override
    public synchronized UserLookup resolveByEmail(EmailAddress email) {
        resolveCalls.incrementAndGet();
        faults.check();
        String userId = idsByEmail.get(email);
        if (userId == null) {
            return UserLookup.creatable();
        }
        return isBlocked(userId) ? UserLookup.blocked(userId) : UserLookup.existing(userId);
    }

    @Override
    public synchronized EnsuredUser ensureByEmail(EmailAddress email) {
        ensureCalls.incrementAndGet();
        faults.check();
        String userId = ensure(email);
        return new EnsuredUser(userId, isBlocked(userId));
    }

    @Override
    public synchronized void block(String userId, String reason) {
        faults.check();
        if (!blockedById.containsKey(userId)) {
            throw new AuthSessionException(ErrorCode.USER_NOT_FOUND, "no such user");
        }
        blockedById.put(userId, true);
    }

    @Override
    public void ping() {
        faults.check();
    }

    private String ensure(EmailAddress email) {
        return idsByEmail.computeIfAbsent(email, address -> {
            String userId = "user-" + (idsByEmail.size() + 1);
            blockedById.put(userId, false);
            return userId;
        });
    }
}
