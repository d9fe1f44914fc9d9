package dev.gatekey.policy.persistence;

/**
 * A user or group a managed policy is attached to, or a user it is the permissions boundary of.
 *
 * @param boundary true for a permissions-boundary use
 */
public record PolicyEntityRecord(PrincipalType type, String name, String path, boolean boundary) {
}
