package io.authsession.server.admin;

import io.authsession.core.CodeHashKey;
import io.authsession.server.OperatorEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code admin code-key generate|fingerprint}: new code-hash keys, and the fingerprints the server logs. */
@Command(name = "code-key", mixinStandardHelpOptions = true,
        description = "Code-hash keys: make a new one, print the fingerprints of the configured ones.",
        subcommands = {CodeKeyCommand.Generate.class, CodeKeyCommand.Fingerprint.class})
final class CodeKeyCommand implements Runnable {
    /** The longest key {@code generate} makes; HMAC-SHA256 hashes longer keys down to 32 bytes anyway. */
    static final int MAX_BYTES = 64;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    CodeKeyCommand(Context context) {}

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "a command is required: generate, fingerprint");
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"A new random code-hash key (SecureRandom), standard base64, with its fingerprint.",
                "Standard output then holds a secret: put it straight into your secret store."})
    static final class Generate implements Callable<Integer> {
        private final Context context;

        @Option(names = "--bytes", paramLabel = "N", defaultValue = "32",
                description = "Key length in bytes, " + CodeHashKey.MIN_LENGTH + " to " + MAX_BYTES
                        + " (default: ${DEFAULT-VALUE}).")
        int bytes;

        Generate(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            if (bytes < CodeHashKey.MIN_LENGTH || bytes > MAX_BYTES) {
                throw new UsageException("--bytes must be between " + CodeHashKey.MIN_LENGTH + " and " + MAX_BYTES
                        + ", got " + bytes);
            }
            byte[] raw = new byte[bytes];
            new SecureRandom().nextBytes(raw);
            String base64 = Base64.getEncoder().encodeToString(raw);
            CodeHashKey key = CodeHashKey.fromBase64(base64);
            context.out.println("key=" + base64);
            context.out.println("fingerprint=" + key.fingerprint());
            return Exit.OK;
        }
    }

    @Command(name = "fingerprint", mixinStandardHelpOptions = true,
            description = {"The fingerprints of " + OperatorEnvironment.CODE_HASH_KEY + " and "
                    + OperatorEnvironment.CODE_HASH_KEY_PREVIOUS + ", exactly as the server logs them at startup"
                    + " (event=code_hash_key role=... fingerprint=...).",
                "With --of, the fingerprint a log line carries in place of a value (a device session id): under"
                    + " the current key, and under the previous one for lines written before the rotation."})
    static final class Fingerprint implements Callable<Integer> {
        private final Context context;

        @Option(names = "--of", paramLabel = "VALUE", description = "A value to fingerprint, repeatable; - reads one"
                + " per line from standard input (keeps session ids out of the shell history).")
        List<String> values = new ArrayList<>();

        Fingerprint(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            OperatorEnvironment environment = context.environment();
            Optional<CodeHashKey> current = environment.codeHashKey();
            Optional<CodeHashKey> previous = environment.previousCodeHashKey();
            if (values.isEmpty()) {
                context.out.println("event=code_hash_key role=current variable=" + OperatorEnvironment.CODE_HASH_KEY
                        + " fingerprint=" + current.map(CodeHashKey::fingerprint).orElse("unset"));
                context.out.println("event=code_hash_key role=previous variable="
                        + OperatorEnvironment.CODE_HASH_KEY_PREVIOUS + " fingerprint="
                        + previous.map(CodeHashKey::fingerprint).orElse("unset"));
                return Exit.OK;
            }
            CodeHashKey key = current.orElseThrow(() -> new UsageException(OperatorEnvironment.CODE_HASH_KEY
                    + " is not set: a fingerprint is keyed, so set the servers' key"));
            for (String value : expand(values)) {
                StringBuilder line = new StringBuilder("fingerprint=").append(key.fingerprintOf(value));
                previous.ifPresent(p -> line.append(" previous_key_fingerprint=").append(p.fingerprintOf(value)));
                context.out.println(line);
            }
            return Exit.OK;
        }

        private List<String> expand(List<String> given) {
            List<String> all = new ArrayList<>();
            for (String value : given) {
                if (!value.equals("-")) {
                    all.add(value);
                    continue;
                }
                try {
                    String line;
                    while ((line = context.in.readLine()) != null) {
                        if (!line.isBlank()) {
                            all.add(line.strip());
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return all;
        }
    }
}
