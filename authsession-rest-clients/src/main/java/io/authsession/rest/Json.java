package io.authsession.rest;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import java.util.Optional;

/** The module's one Gson instance and the defensive reading of answers. */
final class Json {
    // Strict, because an answer that only a lenient parser accepts is not the contract's JSON.
    private static final Gson GSON = new GsonBuilder()
            .disableHtmlEscaping()
            .setStrictness(Strictness.STRICT)
            .create();

    private Json() {}

    static String write(JsonObject object) {
        return GSON.toJson(object);
    }

    /** The text as a JSON object; empty when it is not valid JSON or not an object. */
    static Optional<JsonObject> parseObject(String text) {
        try {
            JsonElement element = GSON.fromJson(text, JsonElement.class);
            return element != null && element.isJsonObject() ? Optional.of(element.getAsJsonObject()) : Optional.empty();
        } catch (JsonParseException e) {
            return Optional.empty();
        }
    }

    /** The member when it is a JSON string. */
    static Optional<String> string(JsonObject object, String name) {
        JsonElement element = object.get(name);
        if (element instanceof JsonPrimitive && ((JsonPrimitive) element).isString()) {
            return Optional.of(element.getAsString());
        }
        return Optional.empty();
    }

    /** The member when it is a JSON boolean (not the string {@code "true"}). */
    static Optional<Boolean> bool(JsonObject object, String name) {
        JsonElement element = object.get(name);
        if (element instanceof JsonPrimitive && ((JsonPrimitive) element).isBoolean()) {
            return Optional.of(element.getAsBoolean());
        }
        return Optional.empty();
    }
}
