package io.authsession.rest;

import io.authsession.core.error.InvalidSettingException;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import okhttp3.HttpUrl;

/** The validated base URL of an outbound service; every endpoint path is appended to its path prefix. */
final class BaseUrl {
    private final HttpUrl url;

    private BaseUrl(HttpUrl url) {
        this.url = url;
    }

    /**
     * Validates a base URL: http or https, a host, no user info, no query, no fragment; a path prefix is kept.
     *
     * @param setting the name the error messages use, for example {@code userServiceBaseUrl}
     * @throws InvalidSettingException naming the setting and the broken rule
     */
    static BaseUrl of(String setting, URI uri) {
        Objects.requireNonNull(uri, setting);
        if (!uri.isAbsolute() || uri.isOpaque()) {
            throw invalid(setting, "must be an absolute http or https URL");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid(setting, "must use http or https");
        }
        if (uri.getRawQuery() != null) {
            throw invalid(setting, "must not have a query");
        }
        if (uri.getRawFragment() != null) {
            throw invalid(setting, "must not have a fragment");
        }
        // OkHttp accepts host names that java.net.URI only treats as a registry authority (an underscore in a
        // container name, say), so OkHttp decides what a valid host is.
        HttpUrl url = HttpUrl.parse(uri.toString());
        if (url == null || uri.getRawAuthority() == null || url.host().isEmpty()) {
            throw invalid(setting, "must name a host");
        }
        if (!url.username().isEmpty() || !url.password().isEmpty()) {
            // OkHttp would not send them, and a URL with a password ends up in logs and error messages.
            throw invalid(setting, "must not contain user info");
        }
        return new BaseUrl(url);
    }

    private static InvalidSettingException invalid(String setting, String rule) {
        return new InvalidSettingException(setting, rule);
    }

    /** The base URL itself, as the connectivity check asks it. */
    HttpUrl root() {
        return url;
    }

    /** The base URL with the segments appended to its path, each one percent-encoded as a single segment. */
    HttpUrl resolve(String... segments) {
        HttpUrl.Builder builder = url.newBuilder();
        for (String segment : segments) {
            builder.addPathSegment(segment);
        }
        return builder.build();
    }

    @Override
    public String toString() {
        return url.toString();
    }
}
