package io.authsession.testkit;

import io.authsession.core.domain.RuntimeSettings;
import io.authsession.core.domain.RuntimeSettings.Setting;
import io.authsession.core.port.ConfigProvider;
import java.time.Clock;

class InMemoryConfigProviderTest extends ConfigProviderContract {
    private InMemoryConfigProvider fake;

    @Override
    protected ConfigProvider createProvider(Clock clock, RuntimeSettings defaults) {
        fake = new InMemoryConfigProvider(defaults);
        return fake;
    }

    @Override
    protected void writeField(String field, String value) {
        Setting.ofField(field).ifPresent(setting -> fake.set(setting, value));
    }

    @Override
    protected void deleteField(String field) {
        Setting.ofField(field).ifPresent(fake::remove);
    }
}
