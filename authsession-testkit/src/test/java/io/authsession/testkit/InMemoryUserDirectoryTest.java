package io.authsession.testkit;

import io.authsession.core.port.UserDirectory;

class InMemoryUserDirectoryTest extends UserDirectoryContract {
    @Override
    protected UserDirectory createDirectory() {
        return new InMemoryUserDirectory();
    }
}
