package io.authsession.server;

import io.authsession.core.port.UserDirectory;
import io.authsession.testkit.UserDirectoryContract;

/** The stub user service of {@code --dev} and stub mode keeps the same rules as any user directory (CONTRACT §6). */
class StubUserDirectoryTest extends UserDirectoryContract {
    @Override
    protected UserDirectory createDirectory() {
        return new StubUserDirectory();
    }
}
