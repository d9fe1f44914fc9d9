package dev.gatekey.policy.persistence;

/** A tag of a managed policy. */
public record TagRecord(String key, String value) {
}
