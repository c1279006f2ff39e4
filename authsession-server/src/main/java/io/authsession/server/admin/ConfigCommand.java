package io.authsession.server.admin;

import com.google.gson.JsonObject;
import io.authsession.core.domain.RuntimeSettings;
import io.authsession.core.domain.RuntimeSettings.Setting;
import io.authsession.core.error.InvalidSettingException;
import io.authsession.redis.RedisMaintenance;
import io.authsession.server.OperatorEnvironment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code admin config show|set|unset}: the runtime settings hash of CONTRACT §5, validated exactly as the service
 * reads it (the same parser, {@link RuntimeSettings#with}).
 */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "The runtime settings (the <prefix>config hash): effective values, set and unset fields.",
        subcommands = {ConfigCommand.Show.class, ConfigCommand.Set.class, ConfigCommand.Unset.class})
final class ConfigCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    ConfigCommand(Context context) {}

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a command is required: show, set, unset");
    }

    static String fields() {
        return Arrays.stream(Setting.values()).map(Setting::field).collect(Collectors.joining(", "));
    }

    static Setting setting(String field) {
        return Setting.ofField(field).orElseThrow(() -> new UsageException("unknown field '" + field
                + "'; the runtime settings are " + fields()));
    }

    /** Where an effective value comes from. */
    record Effective(Setting setting, String value, String source, Optional<String> problem) {}

    /** Every setting's effective value, read as the service reads the hash. */
    static List<Effective> effective(OperatorEnvironment environment, Map<String, String> hash) {
        RuntimeSettings defaults = environment.runtimeDefaults();
        Map<Setting, String> problems = new java.util.EnumMap<>(Setting.class);
        RuntimeSettings settings = defaults.overriddenBy(hash, problems::put);
        List<Effective> rows = new ArrayList<>();
        for (Setting setting : Setting.values()) {
            String variable = environment.runtimeDefaultVariable(setting);
            String fallback = environment.runtimeDefaultFromEnvironment(setting) ? "environment " + variable
                    : "default (" + variable + " unset)";
            String source;
            if (hash.containsKey(setting.field()) && !problems.containsKey(setting)) {
                source = "hash";
            } else if (problems.containsKey(setting)) {
                source = fallback + "; the hash value '" + hash.get(setting.field()) + "' is invalid";
            } else {
                source = fallback;
            }
            rows.add(new Effective(setting, settings.text(setting), source,
                    Optional.ofNullable(problems.get(setting))));
        }
        return rows;
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Every runtime setting: its effective value and where it comes from (hash or environment"
                    + " default).")
    static final class Show implements Callable<Integer> {
        private final Context context;

        @Option(names = "--json", description = "One JSON object per line.")
        boolean json;

        Show(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            OperatorEnvironment.Connection connection = context.connection();
            Map<String, String> hash = connection.maintenance().runtimeSettingsHash();
            List<Effective> rows = effective(context.environment(), hash);
            List<String> unknown = hash.keySet().stream().filter(f -> Setting.ofField(f).isEmpty()).sorted().toList();
            if (json) {
                for (Effective row : rows) {
                    JsonObject object = new JsonObject();
                    object.addProperty("field", row.setting().field());
                    object.addProperty("value", row.value());
                    object.addProperty("source", row.source().startsWith("hash") ? "hash" : "environment");
                    object.addProperty("hash_value", hash.get(row.setting().field()));
                    object.addProperty("problem", row.problem().orElse(null));
                    context.out.println(Text.JSON.toJson(object));
                }
                for (String field : unknown) {
                    JsonObject object = new JsonObject();
                    object.addProperty("field", field);
                    object.addProperty("hash_value", hash.get(field));
                    object.addProperty("problem", "unknown field, ignored by the service");
                    context.out.println(Text.JSON.toJson(object));
                }
                return Exit.OK;
            }
            List<List<String>> table = new ArrayList<>();
            for (Effective row : rows) {
                table.add(List.of(row.setting().field(), row.value(), row.source()
                        + row.problem().map(p -> " (" + p + ")").orElse("")));
            }
            for (String field : unknown) {
                table.add(List.of(field, "-", "hash: unknown field, ignored by the service (admin config unset "
                        + field + ")"));
            }
            Text.table(context.out, List.of("FIELD", "VALUE", "SOURCE"), table);
            context.out.println("hash: " + connection.maintenance().runtimeSettingsKey()
                    + "; the service reads it at most every 5 s");
            return Exit.OK;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Writes one field, after checking the value exactly as the service reads it (an invalid one"
                    + " is refused and nothing is written).")
    static final class Set implements Callable<Integer> {
        private final Context context;

        @Parameters(index = "0", paramLabel = "FIELD", description = "One of the runtime settings fields.")
        String field;

        @Parameters(index = "1", paramLabel = "VALUE", description = "Durations like 500ms, 30s, 10m, 1h30m; counts as"
                + " whole numbers.")
        String value;

        @Option(names = "--reason", paramLabel = "REASON", description = "Why, for the audit trail.")
        String reason;

        @Mixin
        SessionsCommand.OperatorOption operator;

        Set(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String why = reason == null ? "" : SessionsCommand.checkReason(reason);
            Setting setting = setting(field);
            OperatorEnvironment environment = context.environment();
            try {
                environment.runtimeDefaults().with(setting, value);
            } catch (InvalidSettingException e) {
                throw new UsageException("refused, nothing written: " + e.setting() + ": " + e.rule());
            }
            RedisMaintenance maintenance = context.connection().maintenance();
            Map<String, String> hash = maintenance.runtimeSettingsHash();
            String before = effective(environment, hash).get(setting.ordinal()).value();
            maintenance.setRuntimeSetting(setting.field(), value);
            String after = effective(environment, maintenance.runtimeSettingsHash()).get(setting.ordinal()).value();
            context.out.println("set " + setting.field() + " = " + after + " (was " + before + "); the service"
                    + " applies it within 5 s");
            AuditTrail.record(context, operator.name(context), "config set", "field=" + setting.field() + " value="
                    + value + " previous=" + Optional.ofNullable(hash.get(setting.field())).orElse("(unset)"), why,
                    "fields_written=1", "ok");
            return Exit.OK;
        }
    }

    @Command(name = "unset", mixinStandardHelpOptions = true,
            description = "Removes one field: the environment default applies again (an unknown field left in the hash"
                    + " can be removed too).")
    static final class Unset implements Callable<Integer> {
        private final Context context;

        @Parameters(index = "0", paramLabel = "FIELD", description = "The field to remove.")
        String field;

        @Option(names = "--reason", paramLabel = "REASON", description = "Why, for the audit trail.")
        String reason;

        @Mixin
        SessionsCommand.OperatorOption operator;

        Unset(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String why = reason == null ? "" : SessionsCommand.checkReason(reason);
            RedisMaintenance maintenance = context.connection().maintenance();
            Map<String, String> hash = maintenance.runtimeSettingsHash();
            if (!hash.containsKey(field)) {
                setting(field); // an unknown name is a usage error; a known one that is not set is just nothing to do
                context.out.println("nothing to unset: " + field + " is not in the hash");
                return Exit.OK;
            }
            boolean removed = maintenance.unsetRuntimeSetting(field);
            context.out.println("unset " + field + "; the service applies the environment default within 5 s");
            AuditTrail.record(context, operator.name(context), "config unset", "field=" + field + " previous="
                    + hash.get(field), why, "fields_removed=" + (removed ? 1 : 0), "ok");
            return Exit.OK;
        }
    }
}
