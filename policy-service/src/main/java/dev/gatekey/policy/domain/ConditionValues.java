package dev.gatekey.policy.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/** Parsing of typed condition values, shared by the validator and the evaluator. */
final class ConditionValues {
    private ConditionValues() {
    }

    static Optional<BigDecimal> number(String s) {
        try {
            return Optional.of(new BigDecimal(s.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** ISO 8601 (date, date-time with or without offset, UTC when none) or epoch seconds. */
    static Optional<Instant> date(String s) {
        String t = s.trim();
        if (t.matches("-?\\d+")) {
            try {
                return Optional.of(Instant.ofEpochSecond(Long.parseLong(t)));
            } catch (NumberFormatException | java.time.DateTimeException e) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(OffsetDateTime.parse(t).toInstant());
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return Optional.of(LocalDateTime.parse(t).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return Optional.of(LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static Optional<Boolean> bool(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.equals("true")) {
            return Optional.of(true);
        }
        if (t.equals("false")) {
            return Optional.of(false);
        }
        return Optional.empty();
    }

    static Optional<byte[]> binary(String s) {
        try {
            return Optional.of(Base64.getDecoder().decode(s.trim()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether a literal policy value is well-formed for the operator's kind. */
    static boolean valid(ConditionOperator.Kind kind, String value) {
        return switch (kind) {
            case NUMERIC -> number(value).isPresent();
            case DATE -> date(value).isPresent();
            case BOOL, NULL -> bool(value).isPresent();
            case BINARY -> binary(value).isPresent();
            case IP -> CidrBlock.parse(value).isPresent();
            case STRING, ARN -> true;
        };
    }
}
