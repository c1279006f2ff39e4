package io.authsession.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authsession.core.domain.EmailAddress;
import io.authsession.core.error.AuthSessionException;
import io.authsession.core.error.ErrorCode;
import io.authsession.core.port.EnsuredUser;
import io.authsession.core.port.UserDirectory;
import io.authsession.core.port.UserLookup;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The behaviour authsession expects of a {@link UserDirectory}: the stub user service's rules, which a REST user
 * service must follow too.
 */
public abstract class UserDirectoryContract {
    protected UserDirectory directory;

    /** A directory that knows no user yet (or none of the addresses the kit makes up). */
    protected abstract UserDirectory createDirectory();

    @BeforeEach
    void createDirectoryUnderTest() {
        directory = createDirectory();
    }

    private static EmailAddress newAddress() {
        return EmailAddress.parse("kit-" + UUID.randomUUID() + "@example.com");
    }

    @Test
    @DisplayName("an unknown address is creatable")
    void creatable() {
        assertThat(directory.resolveByEmail(newAddress())).isEqualTo(UserLookup.creatable());
    }

    @Test
    @DisplayName("ensuring creates the user once; its id is stable and resolves as existing")
    void ensureIsStable() {
        EmailAddress email = newAddress();
        EnsuredUser first = directory.ensureByEmail(email);
        assertThat(first.blocked()).isFalse();
        assertThat(first.userId()).isNotBlank();
        assertThat(directory.ensureByEmail(email)).isEqualTo(first);
        assertThat(directory.resolveByEmail(email)).isEqualTo(UserLookup.existing(first.userId()));
    }

    @Test
    @DisplayName("different addresses get different users")
    void distinctUsers() {
        assertThat(directory.ensureByEmail(newAddress()).userId())
                .isNotEqualTo(directory.ensureByEmail(newAddress()).userId());
    }

    @Test
    @DisplayName("a blocked user resolves as blocked and ensures as blocked, keeping its id")
    void blocked() {
        EmailAddress email = newAddress();
        String userId = directory.ensureByEmail(email).userId();
        directory.block(userId, "fraud");
        assertThat(directory.resolveByEmail(email)).isEqualTo(UserLookup.blocked(userId));
        assertThat(directory.ensureByEmail(email)).isEqualTo(new EnsuredUser(userId, true));
    }

    @Test
    @DisplayName("blocking twice is fine, and the user stays blocked")
    void blockTwice() {
        EmailAddress address = newAddress();
        String userId = directory.ensureByEmail(address).userId();
        directory.block(userId, "fraud");
        directory.block(userId, "fraud again");
        assertThat(directory.ensureByEmail(address)).isEqualTo(new EnsuredUser(userId, true));
        assertThat(directory.resolveByEmail(address)).isEqualTo(UserLookup.blocked(userId));
    }

    @Test
    @DisplayName("blocking an unknown user is user_not_found")
    void blockUnknown() {
        assertThatThrownBy(() -> directory.block("kit-nobody-" + UUID.randomUUID(), "fraud"))
                .isInstanceOfSatisfying(AuthSessionException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.USER_NOT_FOUND));
    }
}
