package dev.gatekey.identity.domain;

import java.time.Instant;

/** A user's password metadata as AWS's {@code LoginProfile} describes it (never the password). */
public record LoginProfile(String userName, Instant createDate, boolean passwordResetRequired) {
}
