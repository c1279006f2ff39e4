package io.authsession.server.admin;

import com.google.gson.JsonObject;
import io.authsession.core.CodeHashKey;
import io.authsession.core.domain.AddressBudget;
import io.authsession.core.domain.AddressKey;
import io.authsession.core.domain.AddressState;
import io.authsession.core.domain.DurationFormat;
import io.authsession.core.domain.EmailAddress;
import io.authsession.core.domain.RuntimeSettings;
import io.authsession.core.port.ChallengeStore;
import io.authsession.server.OperatorEnvironment;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code admin addresses status|unlock <email>}: the failed-guess budget of an address (CONTRACT §2.3). The address is
 * normalised as the service does, and only its keyed hash (under {@code AUTHSESSION_CODE_HASH_KEY}) reaches Redis.
 */
@Command(name = "addresses", mixinStandardHelpOptions = true,
        description = "The failed-guess budget of an e-mail address: look at it, lift a lock.",
        subcommands = {AddressesCommand.Status.class, AddressesCommand.Unlock.class})
final class AddressesCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    AddressesCommand(Context context) {}

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a command is required: status, unlock");
    }

    /** The address's keyed hash under the configured key; without one it would name nobody's budget. */
    static AddressKey addressKey(Context context, String email) {
        OperatorEnvironment environment = context.environment();
        CodeHashKey key = environment.codeHashKey().orElseThrow(() -> new UsageException(
                OperatorEnvironment.CODE_HASH_KEY + " is not set: an address's budget is named by a hash under the"
                        + " servers' code-hash key, so set the same key as the servers"));
        return key.addressKeyOf(EmailAddress.parse(email));
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Failed guesses counted in the open window, when the window ends, locked or not.")
    static final class Status implements Callable<Integer> {
        private final Context context;

        @Parameters(index = "0", paramLabel = "EMAIL", description = "The address, as a user types it.")
        String email;

        @Option(names = "--json", description = "One JSON object.")
        boolean json;

        Status(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            AddressKey address = addressKey(context, email);
            OperatorEnvironment.Connection connection = context.connection();
            RuntimeSettings settings = connection.redis().configProvider().current();
            AddressBudget budget = AddressBudget.of(settings);
            AddressState state = connection.redis().challengeStore().addressState(address, budget);
            if (json) {
                JsonObject object = new JsonObject();
                object.addProperty("address_key", address.value());
                object.addProperty("failed_attempts", state.failedAttempts());
                object.addProperty("budget", budget.maxFailedAttempts());
                object.addProperty("window", DurationFormat.format(budget.window()));
                object.addProperty("window_ends_at", state.windowEndsAt().map(Text::instantOf).orElse(null));
                object.addProperty("locked", state.locked());
                context.out.println(Text.JSON.toJson(object));
                return Exit.OK;
            }
            Text.table(context.out, List.of("FIELD", "VALUE"), List.of(
                    List.of("address_key", address.value()),
                    List.of("failed_attempts", Integer.toString(state.failedAttempts())),
                    List.of("budget", budget.isOff() ? "off" : budget.maxFailedAttempts() + " per "
                            + DurationFormat.format(budget.window())),
                    List.of("window_ends_at", Text.instant(state.windowEndsAt())),
                    List.of("locked", state.locked() ? "yes" : "no")));
            return Exit.OK;
        }
    }

    @Command(name = "unlock", mixinStandardHelpOptions = true,
            description = "Closes the address's failed-guess window, lifting a lock.")
    static final class Unlock implements Callable<Integer> {
        private final Context context;

        @Parameters(index = "0", paramLabel = "EMAIL", description = "The address, as a user types it.")
        String email;

        @Option(names = "--reason", paramLabel = "REASON", description = "Why, for the audit trail.")
        String reason;

        @Mixin
        SessionsCommand.OperatorOption operator;

        Unlock(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String why = reason == null ? "" : SessionsCommand.checkReason(reason);
            AddressKey address = addressKey(context, email);
            ChallengeStore challenges = context.connection().redis().challengeStore();
            boolean open = challenges.unlockAddress(address);
            context.out.println(open ? "unlocked: the failed-guess window of the address is closed"
                    : "nothing to unlock: no failed-guess window was open");
            AuditTrail.record(context, operator.name(context), "addresses unlock", "address_key=" + address.value(),
                    why, "windows_closed=" + (open ? 1 : 0), "ok");
            return Exit.OK;
        }
    }
}
