package dev.gatekey.identity.application;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * AWS's credential report as CSV (IAM User Guide, "Getting credential reports for your AWS
 * account", "Understanding the report format"): AWS's columns in AWS's order, one row per user
 * after the root user's {@code <root_account>} row, {@code true}/{@code false} flags, ISO 8601
 * times with a {@code +00:00} offset, and AWS's placeholders: {@code not_supported} for the
 * root user's password columns, {@code N/A} where there is nothing to report (no password, no
 * key, a key never used), {@code no_information} for a password that was never used. Plain
 * Java: the rows are gathered by {@link CredentialReports}.
 */
public final class CredentialReportCsv {
    public static final List<String> COLUMNS = List.of("user", "arn", "user_creation_time", "password_enabled",
            "password_last_used", "password_last_changed", "password_next_rotation", "mfa_active",
            "access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date",
            "access_key_1_last_used_region", "access_key_1_last_used_service", "access_key_2_active",
            "access_key_2_last_rotated", "access_key_2_last_used_date", "access_key_2_last_used_region",
            "access_key_2_last_used_service", "cert_1_active", "cert_1_last_rotated", "cert_2_active",
            "cert_2_last_rotated");
    static final String ROOT_USER = "<root_account>";
    static final String NOT_APPLICABLE = "N/A";
    static final String NO_INFORMATION = "no_information";
    static final String NOT_SUPPORTED = "not_supported";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'+00:00'")
            .withZone(ZoneOffset.UTC);

    private CredentialReportCsv() {
    }

    /**
     * An IAM user's console password.
     *
     * @param lastUsed     the last sign-in with it; empty when never used (or not recorded)
     * @param nextRotation when the account password policy's maximum age makes it expire
     */
    public record Password(Instant lastChanged, Optional<Instant> lastUsed, Optional<Instant> nextRotation) {
    }

    /** An access key, in the report's {@code access_key_N_*} columns. */
    public record Key(boolean active, Instant lastRotated, Optional<Instant> lastUsedDate,
            Optional<String> lastUsedRegion, Optional<String> lastUsedService) {
    }

    /**
     * One row.
     *
     * @param password empty when the user has no password; ignored for the root user
     * @param rootLastSignIn the root user's last sign-in (its {@code password_last_used})
     * @param keys     the user's access keys, oldest first (at most two are reported)
     */
    public record Row(String user, String arn, Instant creationTime, boolean root, Optional<Password> password,
            Optional<Instant> rootLastSignIn, boolean mfaActive, List<Key> keys) {

        /** The root user's row. */
        public static Row root(String arn, Instant creationTime, Optional<Instant> lastSignIn, boolean mfaActive,
                List<Key> keys) {
            return new Row(ROOT_USER, arn, creationTime, true, Optional.empty(), lastSignIn, mfaActive, keys);
        }

        /** An IAM user's row. */
        public static Row user(String userName, String arn, Instant creationTime, Optional<Password> password,
                boolean mfaActive, List<Key> keys) {
            return new Row(userName, arn, creationTime, false, password, Optional.empty(), mfaActive, keys);
        }
    }

    /** The report: the header line, then one line per row, each ending with a newline. */
    public static String write(List<Row> rows) {
        StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (Row row : rows) {
            csv.append(String.join(",", fields(row))).append('\n');
        }
        return csv.toString();
    }

    static List<String> fields(Row row) {
        List<String> f = new java.util.ArrayList<>(COLUMNS.size());
        f.add(quoted(row.user()));
        f.add(quoted(row.arn()));
        f.add(time(row.creationTime()));
        if (row.root()) {
            f.add(NOT_SUPPORTED);
            f.add(row.rootLastSignIn().map(CredentialReportCsv::time).orElse(NO_INFORMATION));
            f.add(NOT_SUPPORTED);
            f.add(NOT_SUPPORTED);
        } else if (row.password().isPresent()) {
            Password p = row.password().get();
            f.add("true");
            f.add(p.lastUsed().map(CredentialReportCsv::time).orElse(NO_INFORMATION));
            f.add(time(p.lastChanged()));
            f.add(p.nextRotation().map(CredentialReportCsv::time).orElse(NOT_APPLICABLE));
        } else {
            f.add("false");
            f.add(NOT_APPLICABLE);
            f.add(NOT_APPLICABLE);
            f.add(NOT_APPLICABLE);
        }
        f.add(Boolean.toString(row.mfaActive()));
        for (int i = 0; i < 2; i++) {
            if (i < row.keys().size()) {
                Key k = row.keys().get(i);
                f.add(Boolean.toString(k.active()));
                f.add(time(k.lastRotated()));
                f.add(k.lastUsedDate().map(CredentialReportCsv::time).orElse(NOT_APPLICABLE));
                f.add(k.lastUsedRegion().orElse(NOT_APPLICABLE));
                f.add(k.lastUsedService().orElse(NOT_APPLICABLE));
            } else {
                f.addAll(List.of("false", NOT_APPLICABLE, NOT_APPLICABLE, NOT_APPLICABLE, NOT_APPLICABLE));
            }
        }
        // Gatekey has no signing certificates: both certificate columns are AWS's "none" values.
        f.addAll(List.of("false", NOT_APPLICABLE, "false", NOT_APPLICABLE));
        return f;
    }

    static String time(Instant instant) {
        return TIME.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** RFC 4180: IAM names and paths may contain commas, so such a field is quoted. */
    static String quoted(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
