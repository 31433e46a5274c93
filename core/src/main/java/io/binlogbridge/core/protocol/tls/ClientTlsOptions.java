package io.binlogbridge.core.protocol.tls;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An ssl-mode setting and its CA file, as relay-server's {@code --source-ssl-*}, the connector's {@code source.ssl.*} and
 * the replayer's {@code --query-backend-ssl-*} take them, checked once here so all three say the same thing about a bad
 * value. The caller passes its own option names, which the messages use.
 */
public final class ClientTlsOptions {
    private ClientTlsOptions() {}

    /** A bad ssl-mode or CA value; {@link #option()} is the name of the one to change. */
    public static final class InvalidOption extends IllegalArgumentException {
        private final String option;

        InvalidOption(String option, String message) {
            super(message);
            this.option = option;
        }

        public String option() {
            return option;
        }
    }

    /**
     * @param modeOption the name of the mode option, as the messages say it ("--source-ssl-mode", "source.ssl.mode")
     * @param mode       its value (MySQL's names, any case)
     * @param caOption   the name of the CA option
     * @param ca         its value, null when not set
     * @throws InvalidOption an unknown mode, a verifying mode without a CA, or a CA file that cannot be read
     */
    public static ClientTls parse(String modeOption, String mode, String caOption, String ca) {
        SslMode sslMode;
        try {
            sslMode = SslMode.parse(mode);
        } catch (IllegalArgumentException e) {
            throw new InvalidOption(modeOption, modeOption + ": " + e.getMessage());
        }
        Path caFile = ca == null || ca.isBlank() ? null : Path.of(ca.strip());
        if (sslMode.verifiesCertificate() && caFile == null) {
            throw new InvalidOption(caOption, modeOption + " " + sslMode + " needs " + caOption);
        }
        if (caFile != null && !Files.isReadable(caFile)) {
            throw new InvalidOption(caOption, caOption + " " + caFile + " cannot be read");
        }
        return new ClientTls(sslMode, caFile);
    }
}
