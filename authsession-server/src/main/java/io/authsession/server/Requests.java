package io.authsession.server;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.authsession.core.error.AuthSessionException;
import io.undertow.server.HttpServerExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Parses request bodies (strict JSON objects), fields, query parameters and path segments. Never blocks. */
final class Requests {
    static final int MAX_BODY_BYTES = 16 * 1024;

    private Requests() {}

    /** The body as a JSON object; empty when there is no body. Anything else than an object is invalid. */
    static Optional<JsonObject> optionalObject(byte[] body) {
        if (body.length == 0) {
            return Optional.empty();
        }
        String text = decodeUtf8(body).orElseThrow(() -> AuthSessionException.invalidRequest("body", "is not UTF-8"));
        JsonElement element;
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        try {
            element = JsonParser.parseReader(reader);
        } catch (JsonParseException | IllegalStateException e) {
            throw AuthSessionException.invalidRequest("body", "is not valid JSON");
        }
        if (!endsAfterValue(reader)) {
            throw AuthSessionException.invalidRequest("body", "has data after the JSON value");
        }
        if (!element.isJsonObject()) {
            throw AuthSessionException.invalidRequest("body", "must be a JSON object");
        }
        return Optional.of(element.getAsJsonObject());
    }

    private static boolean endsAfterValue(JsonReader reader) {
        try {
            return reader.peek() == JsonToken.END_DOCUMENT;
        } catch (IOException e) {
            return false;
        }
    }

    /** The body as a JSON object, which must be there. */
    static JsonObject requiredObject(byte[] body) {
        return optionalObject(body).orElseThrow(() -> AuthSessionException.invalidRequest("body", "must be a JSON object"));
    }

    /** A string field; absent and {@code null} are both absent. */
    static Optional<String> optionalString(JsonObject body, String field) {
        JsonElement value = body.get(field);
        if (value == null || value.isJsonNull()) {
            return Optional.empty();
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw AuthSessionException.invalidRequest(field, "must be a string");
        }
        return Optional.of(value.getAsString());
    }

    /** A string field that must be there; {@code null} when absent, for the use case to report. */
    static String stringOrNull(JsonObject body, String field) {
        return optionalString(body, field).orElse(null);
    }

    static Map<String, String> query(HttpServerExchange exchange) {
        Map<String, String> query = new HashMap<>();
        String raw = exchange.getQueryString();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            query.putIfAbsent(decodeComponent("query", name.replace('+', ' ')),
                    decodeComponent("query", value.replace('+', ' ')));
        }
        return query;
    }

    /** Percent-decodes one path segment as UTF-8 ({@code +} stays {@code +} in paths); errors name {@code part}. */
    static String decodeComponent(String part, String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw AuthSessionException.invalidRequest(part, "has an incomplete percent escape");
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw AuthSessionException.invalidRequest(part, "has an invalid percent escape");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
            }
        }
        return decodeUtf8(bytes.toByteArray())
                .orElseThrow(() -> AuthSessionException.invalidRequest(part, "is not percent-encoded UTF-8"));
    }

    private static Optional<String> decodeUtf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
