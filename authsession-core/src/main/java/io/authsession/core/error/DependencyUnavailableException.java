package io.authsession.core.error;

import java.util.Objects;

/**
 * A dependency (Redis, the user service, the mail service) failed or did not answer in time.
 *
 * <p>Adapters translate their technology's exceptions into this type so that none crosses a port.
 */
public final class DependencyUnavailableException extends AuthSessionException {
    private static final long serialVersionUID = 1L;

    private final String dependency;

    public DependencyUnavailableException(String dependency, String message, Throwable cause) {
        super(ErrorCode.SERVICE_UNAVAILABLE, dependency + ": " + message, cause);
        this.dependency = Objects.requireNonNull(dependency, "dependency");
    }

    public DependencyUnavailableException(String dependency, String message) {
        this(dependency, message, null);
    }

    /** The failing component, for example {@code redis} or {@code user_service}. */
    public String dependency() {
        return dependency;
    }
}
